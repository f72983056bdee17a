import rule from '../../src/core/rules/label-key-format.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM alpine:3.20\nLABEL org.opencontainers.image.source="https://x" com.example.vendor-name=x', 'FROM alpine:3.20\nLABEL ${PREFIX}.x=1'],
  invalid: [
    { code: 'FROM alpine:3.20\nLABEL Maintainer="jane@example.com"', errors: [{ line: 2, message: 'Label key "Maintainer" should contain only lower-case' }] },
    { name: 'reserved namespace', code: 'FROM alpine:3.20\nLABEL com.docker.thing=1', errors: [{ message: 'reserved for Docker' }] },
    {
      name: 'doubled and trailing separators',
      code: 'FROM alpine:3.20\nLABEL a..b=1 c-=2',
      errors: [{ message: 'two separators' }, { message: 'end with a letter' }]
    }
  ]
});
