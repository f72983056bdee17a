import rule from '../../src/core/rules/copy-from-self.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23 AS build\nFROM alpine:3.20 AS run\nCOPY --from=build /app /app',
    { name: 'earlier stage index', code: 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=0 /a /a' },
    { name: 'image named like the stage', code: 'FROM node:22 AS node\nCOPY --from=node:22 /usr/local/bin/node /n' },
    { name: 'COPY without --from', code: 'FROM alpine:3.20 AS build\nCOPY . /src' },
    { name: 'duplicate name: refers to the first stage', code: 'FROM a:1 AS x\nFROM b:1 AS x\nCOPY --from=x /a /a' }
  ],
  invalid: [
    {
      code: 'FROM golang:1.23 AS build\nCOPY --from=build /src /src',
      errors: [
        {
          line: 2,
          message:
            'COPY --from=build refers to its own stage "build" (FROM on line 1); a stage cannot use itself: copy from an earlier stage that builds the files, or drop --from to copy from the build context'
        }
      ]
    },
    {
      name: 'case-insensitive',
      code: 'FROM alpine:3.20 AS a\nFROM golang:1.23 AS Build\nCOPY --from=BUILD /src /src',
      errors: [{ line: 3, message: 'own stage "build"' }]
    },
    {
      name: 'own index',
      code: 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=1 /a /a',
      errors: [{ line: 3, message: 'COPY --from=1 refers to its own stage 1 (FROM on line 2)' }]
    },
    {
      name: 'RUN --mount from itself',
      code: 'FROM golang:1.23 AS build\nRUN --mount=type=bind,from=build,target=/x ls /x',
      errors: [
        {
          line: 2,
          message: 'RUN --mount from=build refers to its own stage "build" (FROM on line 1); a stage cannot use itself: mount an earlier stage instead'
        }
      ]
    },
    { name: 'first stage, index 0', code: 'FROM golang:1.23\nCOPY --from=0 /a /a', errors: [{ line: 2 }] }
  ]
});
