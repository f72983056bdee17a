import rule from '../../src/core/rules/copy-from-unknown-stage.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=builder /app /app',
    { name: 'stage name, other case', code: 'FROM golang:1.23 AS Builder\nFROM alpine:3.20\nCOPY --from=BUILDER /app /app' },
    { name: 'earlier stage index', code: 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=0 /app /app' },
    { name: 'image with tag', code: 'FROM alpine:3.20\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx' },
    { name: 'image with registry', code: 'FROM alpine:3.20\nCOPY --from=ghcr.io/acme/tools /t /t' },
    { name: 'image with digest', code: `FROM alpine:3.20\nCOPY --from=busybox@sha256:${'b'.repeat(64)} /bin/busybox /bin/` },
    { name: 'own stage is left to copy-from-self', code: 'FROM golang:1.23 AS build\nCOPY --from=build /a /a' },
    {
      name: 'RUN --mount from an earlier stage',
      code: 'FROM golang:1.23 AS deps\nFROM golang:1.23\nRUN --mount=type=cache,from=deps,source=/go/pkg,target=/go/pkg go build'
    },
    {
      name: 'RUN --mount from a resolved ARG naming a stage',
      code: 'FROM golang:1.23 AS deps\nFROM golang:1.23\nARG SRC=deps\nRUN --mount=type=bind,from=$SRC,target=/d ls /d'
    },
    { name: 'RUN --mount without from', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl' },
    { name: 'COPY without --from', code: 'FROM alpine:3.20\nCOPY . /src' },
    { name: 'heredoc COPY', code: 'FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a <<EOF /x\nhello\nEOF' }
  ],
  invalid: [
    {
      name: 'typo of a stage name',
      code: 'FROM golang:1.23 AS builder\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=buidler /app /app',
      errors: [
        {
          line: 4,
          message:
            'COPY --from=buidler: no stage named "buidler" is defined before this instruction, so it would be pulled as the image docker.io/library/buidler; did you mean --from=builder?'
        }
      ]
    },
    {
      name: 'unknown bare word',
      code: 'FROM alpine:3.20\nCOPY --from=nginx /etc/nginx /etc/nginx',
      errors: [{ line: 2, message: 'write it with a tag, e.g. --from=nginx:<version>' }]
    },
    {
      name: 'stage defined later',
      code: 'FROM alpine:3.20\nCOPY --from=tools /t /t\nFROM golang:1.23 AS tools',
      errors: [
        {
          line: 2,
          message:
            'COPY --from=tools refers to stage "tools", which is defined later, on line 3; stages can only use earlier stages: move FROM … AS tools above this stage'
        }
      ]
    },
    {
      name: 'later stage index',
      code: 'FROM alpine:3.20\nCOPY --from=1 /t /t\nFROM golang:1.23',
      errors: [{ line: 2, message: 'COPY --from=1 refers to stage 1 (line 3), which comes after this stage (stage 0)' }]
    },
    {
      name: 'index out of range',
      code: 'FROM golang:1.23\nFROM alpine:3.20\nCOPY --from=5 /a /a',
      errors: [{ line: 3, message: 'COPY --from=5: this Dockerfile has only 2 stages (numbered from 0)' }]
    },
    {
      name: 'variable in COPY --from is not expanded',
      code: 'ARG TOOLS=ghcr.io/acme/tools:1\nFROM alpine:3.20\nCOPY --from=${TOOLS} /t /t',
      errors: [
        {
          line: 3,
          message:
            'BuildKit does not expand variables in --from; declare a stage instead: ARG TOOLS=<image>:<version> before the first FROM, FROM ${TOOLS} AS tools, then COPY --from=tools'
        }
      ]
    },
    {
      name: 'RUN --mount from unknown stage',
      code: 'FROM golang:1.23 AS deps\nFROM golang:1.23\nRUN --mount=type=cache,from=dpes,target=/go/pkg go build',
      errors: [{ line: 3, message: 'RUN --mount from=dpes: no stage named "dpes"' }]
    },
    {
      name: 'several in one file',
      code: 'FROM a:1 AS one\nFROM b:1\nCOPY --from=onee /x /x\nCOPY --from=two /y /y',
      errors: [
        { line: 3, message: 'did you mean --from=one?' },
        { line: 4, message: 'no stage named "two"' }
      ]
    },
    { name: 'flag on a continuation line', code: 'FROM a:1 AS one\nFROM b:1\nCOPY \\\n  --from=tow \\\n  /x /x', errors: [{ line: 4 }] }
  ]
});
