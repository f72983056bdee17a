import rule from '../../src/core/rules/wget-and-curl.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM debian:12\nRUN curl -fsSLo /a https://x.example/a\nRUN curl -fsSLo /b https://x.example/b',
    { name: 'only wget', code: 'FROM alpine:3.20\nRUN wget -qO /a https://x.example/a && wget -qO /b https://x.example/b' },
    { name: 'installing both is not using both', code: 'FROM debian:12\nRUN apt-get install -y curl wget && curl -fsSLo /a https://x.example/a' },
    { name: 'mentioned as arguments', code: 'FROM debian:12\nRUN curl -fsSLo /wget https://x.example/wget && echo wget' },
    { name: 'exec form RUN is not parsed', code: 'FROM debian:12\nRUN ["wget", "https://x.example/a"]\nRUN curl -fsSLo /a https://x.example/a' }
  ],
  invalid: [
    {
      code: 'FROM debian:12\nRUN curl -fsSLo /a https://x.example/a\nRUN wget -qO /b https://x.example/b',
      errors: [{ line: 3, message: 'wget is used here but curl is already used at line 2' }]
    },
    {
      name: 'same RUN, continuation',
      code: 'FROM debian:12\nRUN wget -q https://x.example/a \\\n && curl -fsSLO https://x.example/b',
      errors: [{ line: 3, message: 'curl is used here' }]
    },
    {
      name: 'reported once, across stages',
      code: 'FROM debian:12 AS a\nRUN curl -fsSLo /a https://x.example/a\nFROM alpine:3.20\nRUN wget -q https://x.example/b\nRUN wget -q https://x.example/c && curl -O https://x.example/d',
      errors: [{ line: 4 }]
    },
    {
      name: 'through sudo in a heredoc',
      code: 'FROM debian:12\nRUN curl -fsSLo /a https://x.example/a\nRUN <<EOF\nset -e\nsudo wget -q https://x.example/b\nEOF',
      errors: [{ line: 5 }]
    }
  ]
});
