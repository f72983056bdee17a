import rule from '../../src/core/rules/workdir-relative.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nWORKDIR /app',
    { name: 'variables', code: 'FROM alpine:3.20\nWORKDIR $HOME\nWORKDIR ${APP_DIR}/src' },
    { name: 'Windows paths', code: 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\nWORKDIR c:/app\nWORKDIR \\\\app' },
    { name: 'quoted absolute', code: 'FROM alpine:3.20\nWORKDIR "/my app"' },
    { name: 'a relative path in RUN is not WORKDIR', code: 'FROM alpine:3.20\nRUN mkdir app' },
    { name: 'after an absolute WORKDIR (BuildKit)', code: 'FROM alpine:3.20\nWORKDIR /srv\nWORKDIR app/../web' },
    { name: 'absolute WORKDIR inherited from the parent stage', code: 'FROM alpine:3.20 AS base\nWORKDIR /opt\nFROM base\nWORKDIR ./tool' },
    { name: 'after a WORKDIR from a variable', code: 'FROM alpine:3.20\nWORKDIR $APP_HOME\nWORKDIR logs' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nWORKDIR app', errors: [{ line: 2, message: 'such as WORKDIR /app' }] },
    {
      name: 'not inherited from an unrelated stage',
      code: 'FROM alpine:3.20 AS a\nWORKDIR /opt\nFROM alpine:3.20\nWORKDIR tool',
      errors: [{ line: 4, message: 'such as WORKDIR /tool' }]
    },
    { name: 'tilde', code: 'FROM alpine:3.20\nWORKDIR ~/app', errors: [{ line: 2, message: 'does not expand ~' }] },
    { name: 'tilde even after an absolute WORKDIR', code: 'FROM alpine:3.20\nWORKDIR /srv\nWORKDIR ~/app', errors: [{ line: 3 }] },
    { name: 'lower-case keyword, twice', code: 'FROM alpine:3.20\nworkdir src\nworkdir build', errors: [{ line: 2 }, { line: 3 }] }
  ]
});
