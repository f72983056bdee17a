import rule from '../../src/core/rules/undefined-var.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine AS base\nARG foo\nCOPY $foo .',
    { name: 'ENV earlier in the stage', code: 'FROM alpine:3.20\nENV APP=/app\nWORKDIR $APP' },
    { name: 'ENV of the stage it builds on', code: 'FROM alpine:3.20 AS base\nENV APP=/app\nFROM base\nWORKDIR ${APP}/src' },
    { name: 'base image environment', code: 'FROM node:22\nENV PATH=$PATH:/app/bin\nLABEL node=$NODE_VERSION java=${JAVA_HOME}' },
    { name: 'predefined proxy and platform ARGs', code: 'FROM alpine:3.20\nLABEL p=$HTTP_PROXY a=$TARGETARCH' },
    { name: 'a default at the use', code: 'FROM alpine:3.20\nWORKDIR ${DIR:-/app}' },
    { name: 'RUN is expanded by the shell', code: 'FROM alpine:3.20\nRUN echo $UNDEFINED' },
    { name: 'single quotes are not expanded', code: "FROM alpine:3.20\nENV A='$NOPE'" },
    { name: 'escaped dollar', code: 'FROM alpine:3.20\nENV A=\\$NOPE' },
    { name: 'a global ARG declared again in the stage', code: 'ARG V=1\nFROM alpine:3.20\nARG V\nLABEL v=$V' },
    { name: 'known option', code: 'FROM alpine:3.20\nCOPY $CI_DIR /ci', options: { known: ['CI_DIR'] } },
    { name: 'heredoc bodies are not checked', code: 'FROM alpine:3.20\nCOPY <<EOF /x\n$NOPE\nEOF' }
  ],
  invalid: [
    { code: 'FROM alpine AS base\nCOPY $foo .', errors: [{ line: 2, message: "Usage of undefined variable '$foo'" }] },
    { name: 'a typo of a base image variable', code: 'FROM alpine:3.20\nENV PATH=$PAHT:/app/bin', errors: [{ line: 2, message: '(did you mean $PATH?)' }] },
    {
      name: 'global ARG not redeclared',
      code: 'ARG VERSION=1\nFROM alpine:3.20\nLABEL v=$VERSION',
      errors: [{ line: 3, message: 'add ARG VERSION to this stage' }]
    },
    { name: 'ENV of another, unrelated stage', code: 'FROM alpine:3.20 AS a\nENV X=1\nFROM alpine:3.20\nWORKDIR $X', errors: [{ line: 4 }] },
    { name: 'scratch has no environment', code: 'FROM scratch\nENV PATH=$PATH:/bin', errors: [{ line: 2, message: "'$PATH'" }] },
    { name: 'reported once per instruction and name', code: 'FROM alpine:3.20\nCOPY $A $A /x/', errors: [{ line: 2 }] },
    { name: 'used before its ENV', code: 'FROM alpine:3.20\nWORKDIR $APP\nENV APP=/app', errors: [{ line: 2 }] },
    { name: 'in a flag', code: 'FROM alpine:3.20\nCOPY --chown=$OWNER a /a', errors: [{ line: 2, message: "'$OWNER'" }] }
  ]
});
