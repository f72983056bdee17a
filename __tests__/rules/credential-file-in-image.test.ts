import rule from '../../src/core/rules/credential-file-in-image.js';
import { imageFile, imageRuleTester } from '../helpers/image-rule-tester.js';

const text = (s: string) => Buffer.from(s);
const KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n';
const GH = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

imageRuleTester(rule, {
  valid: [
    { name: '.npmrc with only a registry', files: [imageFile('app/.npmrc', { content: text('registry=https://r.example/\n') })] },
    { name: '.npmrc token from a variable', files: [imageFile('app/.npmrc', { content: text('//r.example/:_authToken=${NPM_TOKEN}\n') })] },
    { name: '.env without secrets', files: [imageFile('app/.env', { content: text('LOG_LEVEL=debug\nPORT=8080\nDB_PASSWORD=\n') })] },
    { name: '.env.example is documentation', files: [imageFile('app/.env.example', { content: text(`GITHUB_TOKEN=${GH}\n`) })] },
    {
      name: 'a certificate is public',
      files: [imageFile('etc/ssl/server.pem', { content: text('-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n') })]
    },
    { name: 'test keys of a package', files: [imageFile('usr/lib/python3/site-packages/x/tests/key.pem', { content: text(KEY) })] },
    { name: 'docker config without auths', files: [imageFile('root/.docker/config.json', { content: text('{"credsStore":"desktop"}') })] },
    { name: 'a directory named like one', files: [imageFile('app/.env', { type: 'dir' })] }
  ],
  invalid: [
    {
      name: 'SSH private key',
      files: [imageFile('root/.ssh/id_rsa', { content: text(KEY) })],
      errors: [{ file: 'registry.test/app:1!/root/.ssh/id_rsa', message: 'private key at /root/.ssh/id_rsa, layer 1' }]
    },
    {
      name: '.npmrc with a token',
      files: [imageFile('home/node/.npmrc', { content: text('//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop\n') })],
      errors: [{ message: '.npmrc with a registry token' }]
    },
    { name: '.env with a token by value', files: [imageFile('srv/.env', { content: text(`X=${GH}\n`) })], errors: [{ message: '.env file with a secret' }] },
    {
      name: '.env with a secret by name',
      files: [imageFile('srv/.env.production', { content: text('DB_PASSWORD=hunter2hunter2\n') })],
      errors: [{ message: '.env' }]
    },
    {
      name: '.git-credentials',
      files: [imageFile('root/.git-credentials', { content: text('https://bot:s3cr3tvalue@github.com\n') })],
      errors: [{ message: '.git-credentials' }]
    },
    {
      name: 'AWS credentials',
      files: [imageFile('root/.aws/credentials', { content: text('[default]\naws_access_key_id = AKIA\naws_secret_access_key = abcdEFGHijklMNOP\n') })],
      errors: [{ message: 'AWS' }]
    },
    {
      name: 'docker config with auths',
      files: [imageFile('root/.docker/config.json', { content: text('{"auths":{"ghcr.io":{"auth":"Ym90OnRva2Vu"}}}') })],
      errors: [{ message: 'Docker config.json' }]
    },
    {
      name: 'deleted by a later layer: still shipped',
      files: [imageFile('root/.ssh/id_rsa', { content: text(KEY), deletedInLayer: 2 })],
      errors: [{ message: 'deleted in layer 3, but still shipped' }]
    },
    { name: 'too large to check is said, not passed', files: [imageFile('app/.env', { contentTooLarge: true })], errors: [{ message: 'too large to check' }] }
  ]
});
