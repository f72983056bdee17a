import rule from '../../src/core/rules/apk-pin-versions.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r2',
    { name: 'fuzzy and range constraints', code: "FROM alpine:3.20\nRUN apk add --no-cache curl~8.9 'git>2.40' 'bash<6' 'su-exec>=0.2' tzdata=~2024" },
    { name: '--virtual name is not a package', code: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0' },
    { name: '-t name and repository value', code: 'FROM alpine:3.20\nRUN apk add -t .deps -X https://dl-cdn.alpinelinux.org/alpine/edge/testing foo=1.0-r0' },
    { name: '.apk files and variables', code: 'FROM alpine:3.20\nRUN apk add --allow-untrusted /tmp/glibc-2.35-r1.apk $RUNTIME_DEPS "${BUILD_DEPS}"' },
    { name: 'provider names', code: 'FROM alpine:3.20\nRUN apk add --no-cache so:libssl.so.3 cmd:curl' },
    {
      name: 'multi-line continuation, all pinned',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache \\\n      curl=8.9.1-r2 \\\n      git=2.45.2-r0'
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\napk add --no-cache curl=8.9.1-r2\nEOF' },
    { name: 'apk del needs no version', code: 'FROM alpine:3.20\nRUN apk del .build-deps curl' },
    { name: 'ignored package', options: { ignore: ['ca-certificates'] }, code: 'FROM alpine:3.20\nRUN apk add --no-cache ca-certificates' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nRUN apk add --no-cache curl', errors: [{ line: 2, message: '`curl=<version>`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM alpine:3.20\nRUN set -eux; \\\n    apk add --no-cache --virtual .build-deps \\\n        gcc=13.2.1_git20240309-r0 \\\n        make \\\n        musl-dev',
      errors: [{ line: 3, message: '`make` and `musl-dev`' }]
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF', errors: [{ line: 4, message: 'apk policy curl' }] },
    { name: 'a repository tag is not a version', code: 'FROM alpine:3.20\nRUN apk add --no-cache foo@testing', errors: [{ message: '`foo=<version>`' }] },
    { name: 'apk --no-cache add', code: 'FROM alpine:3.20\nRUN apk --no-cache -U add bash', errors: [{ message: '`bash`' }] },
    { name: 'inside sh -c', code: "FROM alpine:3.20\nRUN sh -c 'apk add --no-cache bash'", errors: [{ line: 2 }] }
  ]
});
