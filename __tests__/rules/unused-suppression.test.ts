import rule from '../../src/core/rules/unused-suppression.js';
import { ruleTester } from '../helpers/rule-tester.js';

// Only this rule runs here, so any suppression of another rule hides nothing.
ruleTester(rule, {
  valid: ['FROM alpine:3.20\nRUN echo hello', { name: 'a plain comment is not a suppression', code: 'FROM alpine:3.20\n# ignore this\nRUN echo hi' }],
  invalid: [
    { code: 'FROM alpine:3.20\n# container-guard ignore=sudo\nRUN echo hello', errors: [{ line: 2, message: 'suppression of "sudo" matched no finding' }] },
    {
      name: 'one finding per unused id',
      code: 'FROM alpine:3.20\n# hadolint ignore=DL3008,DL3009\nRUN echo hi',
      errors: [
        { line: 2, message: '"dl3008"' },
        { line: 2, message: '"dl3009"' }
      ]
    },
    { name: 'global scope', code: '# container-guard global ignore=root-user\nFROM alpine:3.20', errors: [{ line: 1 }] }
  ]
});
