import rule from '../../src/core/rules/npm-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM node:20\nRUN npm install -g typescript@5.5.4',
    { name: 'bare install and ci', code: 'FROM node:20\nRUN npm install && npm ci --omit=dev && npm i' },
    { name: 'scoped and ranged versions', code: 'FROM node:20\nRUN npm i -g @angular/cli@18.1.0 "yarn@^1.22" express@~4.19.2 react@next' },
    { name: 'folders, tarballs and URLs', code: 'FROM node:20\nRUN npm install ./lib ../shared /opt/pkg.tgz file:../x https://example.com/pkg-1.0.0.tgz' },
    { name: 'git with a ref', code: 'FROM node:20\nRUN npm install git+https://github.com/npm/cli.git#v10.8.2 github:user/repo#abc123 user/repo#semver:^1.0' },
    { name: 'option values are not packages', code: 'FROM node:20\nRUN npm install --registry https://registry.example.com --loglevel warn --prefix /opt/app' },
    { name: 'boolean options given a value', code: 'FROM node:20\nRUN npm install --unsafe-perm true -g pm2@5.4.2' },
    { name: 'variables', code: 'FROM node:20\nRUN npm install -g "npm@${NPM_VERSION}" $PACKAGES' },
    { name: 'other npm commands', code: 'FROM node:20\nRUN npm run build && npm uninstall -g foo && npm update' },
    { name: 'heredoc', code: 'FROM node:20\nRUN <<EOF\nnpm install -g pnpm@9.6.0\nEOF' },
    { name: 'ignored package', options: { ignore: ['npm'] }, code: 'FROM node:20\nRUN npm install -g npm' }
  ],
  invalid: [
    { code: 'FROM node:20\nRUN npm install -g typescript', errors: [{ line: 2, message: '`typescript@<version>`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM node:20\nRUN set -eux; \\\n    npm install --global \\\n        pm2@5.4.2 \\\n        @nestjs/cli \\\n        nodemon',
      errors: [{ line: 3, message: '`@nestjs/cli` and `nodemon`' }]
    },
    { name: 'heredoc', code: 'FROM node:20\nRUN <<EOF\nset -e\nnpm i -g yarn\nEOF', errors: [{ line: 4, message: 'npm i' }] },
    { name: '@latest is not a pin', code: 'FROM node:20\nRUN npm install -g npm@latest', errors: [{ message: '`npm@<version>`' }] },
    { name: 'npm add alias', code: 'FROM node:20\nRUN npm add lodash', errors: [{ message: 'npm add' }] },
    { name: 'git without a ref', code: 'FROM node:20\nRUN npm install github:user/repo', errors: [{ message: '#<commit or tag>' }] },
    { name: 'options before the subcommand', code: 'FROM node:20\nRUN npm --prefix /app --loglevel=warn install left-pad', errors: [{ message: '`left-pad`' }] }
  ]
});
