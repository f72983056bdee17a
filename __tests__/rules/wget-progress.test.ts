import rule from '../../src/core/rules/wget-progress.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN wget --progress=dot:giga https://e.x/a',
    { name: 'quiet', code: 'FROM debian:12\nRUN wget -q https://e.x/a && wget -nv https://e.x/b && wget -qO- https://e.x/c | sh' },
    { name: 'output to a log file', code: 'FROM debian:12\nRUN wget -o /tmp/log https://e.x/a' }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN wget https://example.com/big.tar.gz', errors: [{ line: 2, message: 'add --progress=dot:giga' }] },
    { name: 'inside sh -c', code: 'FROM debian:12\nRUN sh -c "wget -O /x https://e.x/a"', errors: [{ line: 2 }] }
  ]
});
