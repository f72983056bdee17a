import rule from '../../src/core/rules/healthcheck-missing.js';
import { imageRuleTester } from '../helpers/image-rule-tester.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM nginx:1.27\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1',
    { name: 'HEALTHCHECK NONE is a declaration', code: 'FROM alpine:3.20\nHEALTHCHECK NONE' },
    {
      name: 'only the final stage matters',
      code: 'FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nHEALTHCHECK CMD ["/app", "health"]'
    },
    { name: 'inherited from the parent stage', code: 'FROM alpine:3.20 AS base\nHEALTHCHECK CMD ["/probe"]\nFROM base\nCMD ["app"]' },
    { name: 'configured target has one', code: 'FROM alpine:3.20 AS prod\nHEALTHCHECK NONE\nFROM alpine:3.20 AS dev\nCMD ["sh"]', targets: ['prod'] }
  ],
  invalid: [
    { code: 'FROM nginx:1.27\nCOPY site/ /usr/share/nginx/html/', errors: [{ line: 1, message: 'add HEALTHCHECK CMD' }] },
    {
      name: 'healthcheck in a build stage does not ship',
      code: 'FROM alpine:3.20 AS build\nHEALTHCHECK NONE\nFROM alpine:3.20 AS final\nCMD ["app"]',
      errors: [{ line: 3, message: 'stage "final"' }]
    },
    { name: 'ONBUILD HEALTHCHECK does not count', code: 'FROM alpine:3.20\nONBUILD HEALTHCHECK NONE', errors: [{ line: 1 }] },
    {
      name: 'targets: each shipped stage',
      code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\nHEALTHCHECK NONE\nFROM alpine:3.20 AS c',
      targets: ['a', 'c'],
      errors: [{ line: 1 }, { line: 4 }]
    }
  ]
});

imageRuleTester(rule, {
  valid: [
    { name: 'a probe', image: { healthcheck: ['CMD-SHELL', 'curl -f http://localhost/'] } },
    { name: 'explicit NONE', image: { healthcheck: ['NONE'] } }
  ],
  invalid: [{ name: 'none in the config', image: { healthcheck: undefined }, errors: [{ message: 'config Healthcheck is empty' }] }]
});
