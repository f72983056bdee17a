import rule from '../../src/core/rules/shell-symlink.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM debian:12\nSHELL ["/bin/bash", "-c"]', { name: 'other links', code: 'FROM debian:12\nRUN ln -sf /usr/bin/python3 /usr/bin/python' }],
  invalid: [
    { code: 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh', errors: [{ line: 2, message: 'SHELL ["/bin/bash", "-c"]' }] },
    { name: 'separate flags', code: 'FROM debian:12\nRUN ln -s -f /bin/dash /bin/sh', errors: [{ line: 2 }] }
  ]
});
