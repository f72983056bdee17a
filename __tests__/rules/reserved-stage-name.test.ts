import rule from '../../src/core/rules/reserved-stage-name.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20 AS base',
    'FROM scratch',
    'FROM scratch AS export',
    { name: 'a name containing the word', code: 'FROM alpine:3.20 AS context-builder' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20 AS scratch', errors: [{ line: 1, message: "'scratch' is reserved" }] },
    { name: 'context, any case', code: 'FROM alpine:3.20 as Context', errors: [{ line: 1, message: "'context' is reserved" }] }
  ]
});
