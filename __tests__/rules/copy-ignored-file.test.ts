import rule from '../../src/core/rules/copy-ignored-file.js';
import { ruleTester } from '../helpers/rule-tester.js';

const external = { dockerignore: { file: '.dockerignore', lines: ['# build output', 'dist', '*.env', '!example.env', 'secrets/**'] } };

ruleTester(rule, {
  valid: [
    { code: 'FROM scratch\nCOPY src/ /app/', external },
    { name: 'an exception', code: 'FROM scratch\nCOPY example.env /app/', external },
    { name: 'COPY --from reads another stage', code: 'FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b /dist /dist', external },
    { name: 'URLs, wildcards and variables are not judged', code: 'FROM scratch\nADD https://e.x/dist /x\nCOPY *.env /x/\nCOPY $D /x', external },
    { name: 'no .dockerignore', code: 'FROM scratch\nCOPY dist /x' }
  ],
  invalid: [
    {
      code: 'FROM scratch\nCOPY dist /usr/share/nginx/html',
      external,
      errors: [{ line: 2, message: 'Attempting to Copy file "dist" that is excluded by .dockerignore (pattern "dist" at line 2)' }]
    },
    {
      name: 'ADD, nested path, several sources',
      code: 'FROM scratch\nADD ok.txt prod.env secrets/db/key /x/',
      external,
      errors: [{ message: 'Add file "prod.env"' }, { message: '"secrets/db/key"' }]
    },
    { name: './ prefix', code: 'FROM scratch\nCOPY ./dist/app.js /x', external, errors: [{ line: 2 }] }
  ]
});
