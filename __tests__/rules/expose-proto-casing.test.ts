import rule from '../../src/core/rules/expose-proto-casing.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: ['FROM x:1\nEXPOSE 80/tcp 53/udp', 'FROM x:1\nEXPOSE 80'],
  invalid: [
    { code: 'FROM x:1\nEXPOSE 53/UDP', errors: [{ line: 2, message: "'53/UDP' in EXPOSE instruction should be lowercase: write 53/udp" }] },
    { name: 'mixed and several', code: 'FROM x:1\nEXPOSE 80/Tcp 81/tcp 82/TCP', errors: [{ message: '80/tcp' }, { message: '82/tcp' }] }
  ]
});
