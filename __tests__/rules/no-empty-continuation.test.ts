import rule from '../../src/core/rules/no-empty-continuation.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN apt-get update && \\\n    apt-get install -y curl',
    { name: 'a comment line inside the continuation', code: 'FROM debian:12\nRUN apt-get update && \\\n# install\n    apt-get install -y curl' },
    { name: 'an empty line after the instruction', code: 'FROM debian:12\nRUN true\n\nRUN false' },
    { name: 'empty lines in a heredoc body', code: 'FROM debian:12\nRUN <<EOF\necho a\n\necho b\nEOF' }
  ],
  invalid: [
    { code: 'FROM debian:12\nRUN apt-get update && \\\n\n    apt-get install -y curl', errors: [{ line: 2, message: 'Empty continuation line at 3' }] },
    { name: 'two, whitespace only', code: 'FROM debian:12\nRUN a && \\\n  \n\n  b', errors: [{ line: 2, message: 'lines at 3, 4' }] },
    { name: 'in an ENV', code: 'FROM debian:12\nENV A=1 \\\n\n    B=2', errors: [{ line: 2, message: 'into this ENV' }] }
  ]
});
