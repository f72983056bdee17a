import rule from '../../src/core/rules/multiple-cmd.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nCMD ["app"]',
    { name: 'one per stage', code: 'FROM alpine:3.20 AS build\nCMD ["make"]\nFROM alpine:3.20\nCMD ["app"]' },
    { name: 'ONBUILD CMD is not a CMD of this stage', code: 'FROM alpine:3.20\nONBUILD CMD ["a"]\nCMD ["b"]' },
    { name: 'CMD with ENTRYPOINT', code: 'FROM alpine:3.20\nENTRYPOINT ["app"]\nCMD ["--help"]' },
    { name: 'the word in RUN', code: 'FROM alpine:3.20\nRUN echo CMD\nCMD ["app"]' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]', errors: [{ line: 3, message: 'overrides the CMD at line 2' }] },
    {
      name: 'three CMDs',
      code: 'FROM alpine:3.20\nCMD a\nRUN true\nCMD b\nCMD c',
      errors: [
        { line: 4, message: 'line 2' },
        { line: 5, message: 'line 4' }
      ]
    },
    { name: 'mixed forms and case', code: 'FROM alpine:3.20\ncmd a\nCMD ["b"]', errors: [{ line: 3, message: 'keep only one CMD' }] },
    { name: 'in each of two stages', code: 'FROM alpine:3.20 AS a\nCMD x\nCMD y\nFROM a\nCMD z\nCMD w', errors: [{ line: 3 }, { line: 6 }] },
    { name: 'multi-line CMD', code: 'FROM alpine:3.20\nCMD ["a", \\\n     "b"]\nCMD ["c"]', errors: [{ line: 4, message: 'line 2' }] }
  ]
});
