import rule from '../../src/core/rules/multiple-entrypoint.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nENTRYPOINT ["app"]\nCMD ["--help"]',
    { name: 'one per stage', code: 'FROM alpine:3.20 AS a\nENTRYPOINT ["a"]\nFROM a\nENTRYPOINT ["b"]' },
    { name: 'ONBUILD ENTRYPOINT', code: 'FROM alpine:3.20\nONBUILD ENTRYPOINT ["a"]\nENTRYPOINT ["b"]' },
    { name: 'none', code: 'FROM alpine:3.20\nCMD ["a"]\nCMD ["b"]' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]', errors: [{ line: 3, message: 'overrides the ENTRYPOINT at line 2' }] },
    { name: 'shell and exec form', code: 'FROM alpine:3.20\nENTRYPOINT /init.sh\nCMD ["x"]\nentrypoint ["app"]', errors: [{ line: 4, message: 'exec "$@"' }] },
    {
      name: 'three',
      code: 'FROM alpine:3.20\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nENTRYPOINT ["c"]',
      errors: [
        { line: 3, message: 'line 2' },
        { line: 4, message: 'line 3' }
      ]
    },
    { name: 'second stage only', code: 'FROM alpine:3.20 AS a\nENTRYPOINT ["a"]\nFROM alpine:3.20\nENTRYPOINT ["b"]\nENTRYPOINT ["c"]', errors: [{ line: 5 }] }
  ]
});
