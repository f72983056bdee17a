import rule from '../../src/core/rules/expose-ssh-port.js';
import { imageRuleTester } from '../helpers/image-rule-tester.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM nginx:1.27\nEXPOSE 80 443',
    { name: 'ports containing the digits 22', code: 'FROM alpine:3.20\nEXPOSE 2222 220 122/tcp' },
    { name: 'range not including 22', code: 'FROM alpine:3.20\nEXPOSE 23-30 8000-8022' },
    { name: 'UDP', code: 'FROM alpine:3.20\nEXPOSE 22/udp' },
    { name: 'unresolved variable', code: 'FROM alpine:3.20\nARG PORT\nEXPOSE $PORT' },
    { name: 'not EXPOSE', code: 'FROM alpine:3.20\nRUN echo 22\nLABEL port=22' }
  ],
  invalid: [
    { code: 'FROM ubuntu:24.04\nEXPOSE 22', errors: [{ line: 2, message: 'port 22 publishes SSH' }] },
    { name: 'with protocol among others', code: 'FROM ubuntu:24.04\nEXPOSE 80 22/tcp 443', errors: [{ line: 2, message: '22/tcp' }] },
    { name: 'range including 22', code: 'FROM ubuntu:24.04\nEXPOSE 20-25', errors: [{ line: 2, message: 'range 20-25' }] },
    { name: 'from an ARG default', code: 'FROM ubuntu:24.04\nARG SSH_PORT=22\nEXPOSE ${SSH_PORT}', errors: [{ line: 3, message: 'docker exec' }] },
    { name: 'continuation line', code: 'FROM ubuntu:24.04\nEXPOSE 80 \\\n  22', errors: [{ line: 3 }] },
    { name: 'lower-case, two stages', code: 'from ubuntu:24.04 as a\nexpose 22\nfrom a\nexpose 22/TCP', errors: [{ line: 2 }, { line: 4 }] }
  ]
});

imageRuleTester(rule, {
  valid: [
    { name: 'no ports', image: { exposedPorts: [] } },
    { name: 'web and udp 22', image: { exposedPorts: ['8080/tcp', '22/udp'] } }
  ],
  invalid: [
    {
      name: '22/tcp in the config',
      image: { exposedPorts: ['8080/tcp', '22/tcp'] },
      errors: [{ file: 'registry.test/app:1', message: 'the image exposes 22/tcp' }]
    },
    { name: 'a range with 22', image: { exposedPorts: ['20-30/tcp'] }, errors: [{ message: '20-30/tcp' }] }
  ]
});
