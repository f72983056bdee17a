import rule from '../../src/core/rules/inline-ignore-pragma.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['# check=skip=JSONArgsRecommended\nFROM alpine:3.20\n# an ordinary comment\nRUN true'],
  invalid: [
    {
      code: 'FROM alpine:3.20\n# hadolint ignore=DL3018\nRUN apk add curl\n# container-guard ignore=x -- why\nRUN a\n# check=skip=all\nRUN b\n# trivy:ignore:DS-0002\nUSER root',
      errors: [{ line: 2 }, { line: 4 }, { line: 6 }, { line: 8, message: 'move the exception to ignores:' }]
    }
  ]
});
