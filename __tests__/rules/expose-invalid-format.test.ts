import rule from '../../src/core/rules/expose-invalid-format.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM nginx:1.27\nEXPOSE 80',
    'FROM nginx:1.27\nEXPOSE 80/tcp 443/tcp 53/udp',
    { name: 'range', code: 'FROM x:1\nEXPOSE 8000-8100' },
    'FROM x:1\nARG PORT=80\nEXPOSE ${PORT}'
  ],
  invalid: [
    { name: 'host-port mapping', code: 'FROM nginx:1.27\nEXPOSE 8080:80', errors: [{ line: 2, message: "found '8080:80': write EXPOSE 80" }] },
    { name: 'IP and mapping', code: 'FROM nginx:1.27\nEXPOSE 127.0.0.1:80:80', errors: [{ line: 2, message: "'127.0.0.1:80:80'" }] },
    { name: 'from a variable', code: 'FROM nginx:1.27\nARG P=80:80\nEXPOSE $P 443', errors: [{ line: 3 }] }
  ]
});
