import rule from '../../src/core/rules/invalid-instruction-order.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nRUN true',
    { name: 'global ARGs first', code: 'ARG BASE=alpine:3.20\nARG VERSION\nFROM ${BASE}' },
    { name: 'parser directives and comments first', code: '# syntax=docker/dockerfile:1\n# escape=\\\n\n# A comment\nFROM alpine:3.20' },
    { name: 'escape directive (Windows)', code: '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir' },
    { name: 'instructions after FROM in any order', code: 'FROM alpine:3.20\nLABEL a=b\nFROM alpine:3.20\nENV X=1' },
    { name: 'lower-case from', code: 'arg V=3.20\nfrom alpine:${V}' },
    { name: 'unknown keyword is left to the engine', code: 'FORM alpine:3.20\nFROM alpine:3.20' }
  ],
  invalid: [
    {
      code: 'LABEL maintainer=me\nFROM alpine:3.20',
      errors: [{ line: 1, message: 'LABEL comes before the first FROM; only ARG and parser directives may come before FROM: move it after FROM' }]
    },
    { name: 'ENV before FROM suggests ARG', code: 'ENV BASE=alpine\nFROM alpine:3.20', errors: [{ line: 1, message: 'use a global ARG instead' }] },
    {
      name: 'after an ARG and a directive',
      code: '# syntax=docker/dockerfile:1\nARG V=1\nRUN echo hi\nFROM alpine:3.20',
      errors: [{ line: 3, message: 'RUN comes before the first FROM' }]
    },
    { name: 'each instruction before FROM', code: 'WORKDIR /app\nCOPY . .\nFROM alpine:3.20\nRUN true', errors: [{ line: 1 }, { line: 2 }] },
    {
      name: 'no FROM at all: one finding',
      code: 'RUN echo hi\nCMD ["sh"]',
      errors: [{ line: 1, message: 'RUN comes before any FROM, and this Dockerfile has no FROM at all; start it with FROM <image>:<version>' }]
    },
    { name: 'lower-case keyword', code: 'run true\nfrom alpine:3.20', errors: [{ line: 1, message: 'RUN comes before the first FROM' }] }
  ]
});
