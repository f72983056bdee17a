import rule from '../../src/core/rules/apk-no-cache.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nRUN apk add --no-cache curl',
    { name: 'flag before the subcommand', code: 'FROM alpine:3.20\nRUN apk --no-cache add curl' },
    { name: 'flag after the packages', code: 'FROM alpine:3.20\nRUN apk add curl --no-cache' },
    { name: 'cache removed in the same RUN', code: 'FROM alpine:3.20\nRUN apk update && apk add curl && rm -rf /var/cache/apk/*' },
    { name: 'cache mount', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl' },
    { name: 'cache mount with ln to /etc/apk/cache', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/etc/apk/cache apk add curl' },
    {
      name: 'multi-line continuation with --no-cache and --virtual',
      code: 'FROM alpine:3.20\nRUN apk add --no-cache --virtual .build-deps \\\n        gcc \\\n        musl-dev \\\n && apk del .build-deps'
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF' },
    { name: 'builder stage that does not ship', code: 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM scratch\nCOPY --from=build /out /out' },
    {
      name: '--no-network fetches no index',
      code: 'FROM alpine:3.20\nRUN scanelf --needed /usr/local/bin/x | xargs -rt apk add --no-network --virtual .rundeps'
    },
    { name: 'apk del and info are fine', code: 'FROM alpine:3.20\nRUN apk del curl && apk info' }
  ],
  invalid: [
    { name: 'xx-apk add without --no-cache', code: 'FROM alpine:3.20\nRUN xx-apk add gcc', errors: [{ line: 2 }] },
    { code: 'FROM alpine:3.20\nRUN apk update && apk add curl', errors: [{ line: 2, message: '`apk add --no-cache`' }] },
    {
      name: 'multi-line continuation',
      code: 'FROM alpine:3.20\nRUN set -eux; \\\n    apk add --update \\\n        curl \\\n        git',
      errors: [{ line: 3, message: '/var/cache/apk' }]
    },
    { name: 'heredoc', code: 'FROM alpine:3.20\nRUN <<EOF\nset -e\napk add curl\nEOF', errors: [{ line: 4 }] },
    { name: 'cleanup before the add does not count', code: 'FROM alpine:3.20\nRUN rm -rf /var/cache/apk/* && apk add curl', errors: [{ line: 2 }] },
    { name: 'cleanup in a later RUN does not count', code: 'FROM alpine:3.20\nRUN apk add curl\nRUN rm -rf /var/cache/apk/*', errors: [{ line: 2 }] },
    { name: 'cache mount elsewhere', code: 'FROM alpine:3.20\nRUN --mount=type=cache,target=/root/.cache apk add curl', errors: [{ line: 2 }] },
    {
      name: 'all-stages',
      options: { 'all-stages': true },
      code: 'FROM alpine:3.20 AS build\nRUN apk add gcc\nFROM scratch\nCOPY --from=build /out /out',
      errors: [{ line: 2 }]
    }
  ]
});
