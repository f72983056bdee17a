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
    { name: 'heredoc bodies are not checked', code: 'FROM alpine:3.20\nCOPY <<EOF /x\n$NOPE\nEOF' },
    { name: 'PATH on scratch (BuildKit sets a default)', code: 'FROM scratch\nENV PATH=$PATH:/bin' },
    {
      name: 'uses inside an alternative or default',
      code: 'FROM scratch\nENV LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+${LD_LIBRARY_PATH}:}/usr/local/lib" X=${UNSET:-$ALSO_UNSET}'
    },
    { name: 'a variable the base image may set (s2i APP_ROOT)', code: 'FROM registry.access.redhat.com/ubi9/s2i-core\nCOPY root/ ${APP_ROOT}/' }
  ],
  invalid: [
    { code: 'FROM scratch AS base\nCOPY $foo .', errors: [{ line: 2, message: "Usage of undefined variable '$foo'" }] },
    { name: 'a typo of a base image variable', code: 'FROM alpine:3.20\nENV PATH=$PAHT:/app/bin', errors: [{ line: 2, message: '(did you mean $PATH?)' }] },
    {
      name: 'global ARG not redeclared',
      code: 'ARG VERSION=1\nFROM alpine:3.20\nLABEL v=$VERSION',
      errors: [{ line: 3, message: 'add ARG VERSION to this stage' }]
    },
    { name: 'ENV of another, unrelated stage', code: 'FROM scratch AS a\nENV X=1\nFROM scratch\nWORKDIR $X', errors: [{ line: 4 }] },
    { name: 'scratch has no environment but PATH', code: 'FROM scratch\nENV HOME=$HOME/x', errors: [{ line: 2, message: "'$HOME'" }] },
    { name: 'reported once per instruction and name', code: 'FROM scratch\nCOPY $A $A /x/', errors: [{ line: 2 }] },
    {
      name: 'used before its ENV: a typo of a later-defined name is still reported on images',
      code: 'FROM alpine:3.20\nENV APP_DIR=/app\nWORKDIR $APP_DIRR',
      errors: [{ line: 3, message: '(did you mean $APP_DIR?)' }]
    },
    { name: 'in a flag', code: 'FROM scratch\nCOPY --chown=$OWNER a /a', errors: [{ line: 2, message: "'$OWNER'" }] }
  ]
});
