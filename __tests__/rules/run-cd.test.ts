import rule from '../../src/core/rules/run-cd.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23\nWORKDIR /src\nRUN go build ./...',
    { name: 'cd as an argument, not a command', code: 'FROM alpine:3.20\nRUN echo cd /tmp && mkdir cd' },
    { name: 'exec form', code: 'FROM alpine:3.20\nRUN ["sh", "-c", "cd /x && make"]' },
    { name: 'WORKDIR instruction', code: 'FROM alpine:3.20\nWORKDIR /tmp' },
    { name: 'variable named cd', code: 'FROM alpine:3.20\nRUN CD=/tmp make' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nRUN cd /usr/src/app && make', errors: [{ line: 2, message: 'set WORKDIR /usr/src/app before this RUN' }] },
    {
      name: 'standalone cd on a continuation line',
      code: 'FROM alpine:3.20\nRUN mkdir -p /build \\\n && cd /build \\\n && cmake ..',
      errors: [{ line: 3, message: 'WORKDIR /build' }]
    },
    {
      name: 'relative and variable targets',
      code: 'FROM alpine:3.20\nRUN cd src && make\nRUN cd "$HOME" && ls',
      errors: [
        { line: 2, message: 'WORKDIR <absolute path>' },
        { line: 3, message: 'WORKDIR <absolute path>' }
      ]
    },
    { name: 'once per RUN, in a subshell', code: 'FROM alpine:3.20\nRUN (cd /a && make) && (cd /b && make)', errors: [{ line: 2, message: 'WORKDIR /a' }] },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\ncd /opt/app\n./configure\nEOF', errors: [{ line: 4, message: 'WORKDIR /opt/app' }] }
  ]
});
