import rule from '../../src/core/rules/expose-port-range.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM nginx:1.27\nEXPOSE 80 443/tcp 53/udp',
    { name: 'limits', code: 'FROM alpine:3.20\nEXPOSE 0 65535' },
    { name: 'range', code: 'FROM alpine:3.20\nEXPOSE 8000-8010/tcp' },
    { name: 'variables without value are ignored', code: 'FROM alpine:3.20\nARG PORT\nEXPOSE $PORT ${OTHER}/tcp' },
    { name: 'variable with a valid value', code: 'FROM alpine:3.20\nENV PORT=8080\nEXPOSE $PORT' }
  ],
  invalid: [
    { code: 'FROM nginx:1.27\nEXPOSE 80800', errors: [{ line: 2, message: 'port 80800 is outside 0-65535' }] },
    { name: 'with protocol', code: 'FROM nginx:1.27\nEXPOSE 80 70000/udp', errors: [{ line: 2, message: '70000/udp' }] },
    { name: 'range end', code: 'FROM nginx:1.27\nEXPOSE 65000-65536', errors: [{ line: 2, message: '65536' }] },
    { name: 'backwards range', code: 'FROM nginx:1.27\nEXPOSE 9000-8000/tcp', errors: [{ line: 2, message: 'write it as 8000-9000/tcp' }] },
    { name: 'from an ARG default', code: 'FROM nginx:1.27\nARG PORT=99999\nEXPOSE $PORT', errors: [{ line: 3, message: '$PORT (= 99999)' }] },
    { name: 'continuation line', code: 'FROM nginx:1.27\nEXPOSE 80 \\\n    100000', errors: [{ line: 3 }] }
  ]
});
