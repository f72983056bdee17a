import rule from '../../src/core/rules/apt-lists-cleanup.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'rm of the *_* glob empties the lists',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*_*'
    },
    {
      name: 'rm of the *.* glob',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -f /var/lib/apt/lists/*.*'
    },
    {
      name: 'xx-apt-get update cleaned',
      code: 'FROM debian:12\nRUN xx-apt-get update && xx-apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*'
    },
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*',
    {
      name: 'multi-line continuation with cleanup',
      code: 'FROM debian:12\nRUN apt-get update \\\n && apt-get install -y --no-install-recommends \\\n      curl \\\n && apt-get clean \\\n && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*'
    },
    { name: 'heredoc with cleanup', code: 'FROM debian:12\nRUN <<EOF\nset -e\napt-get update\napt-get install -y curl\nrm -rf /var/lib/apt/lists/*\nEOF' },
    { name: 'cache mount on /var/lib/apt', code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl' },
    {
      name: 'cache mount on the lists',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked apt-get update && apt-get install -y curl'
    },
    { name: 'tmpfs mount', code: 'FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y curl' },
    { name: 'rm of the directory itself', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists' },
    {
      name: 'apt-get dist-clean deletes the lists',
      code: 'FROM debian:13\nRUN set -eux; \\\n  apt-get update; \\\n  apt-get install -y --no-install-recommends curl; \\\n  apt-get dist-clean'
    },
    { name: 'install without update', code: 'FROM debian:12\nRUN apt-get install -y ./local.deb' },
    {
      name: 'builder stage that does not ship',
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM gcr.io/distroless/base\nCOPY --from=build /out /out'
    },
    { name: 'rm in a subshell after the update', code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl; (rm -rf /var/lib/apt/lists/*)' }
  ],
  invalid: [
    {
      name: 'rm of only the Packages files does not empty the lists',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -f /var/lib/apt/lists/*Packages',
      errors: [{ line: 2 }]
    },
    {
      name: 'rm of a dotfile glob',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -f /var/lib/apt/lists/.*',
      errors: [{ line: 2 }]
    },
    {
      name: 'xx-apt-get is apt-get',
      code: 'FROM debian:12\nRUN xx-apt-get update && xx-apt-get install -y --no-install-recommends gcc',
      errors: [{ line: 2, message: '`xx-apt-get update` leaves the package lists' }]
    },
    { code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', errors: [{ line: 2, message: 'rm -rf /var/lib/apt/lists/*' }] },
    {
      name: 'multi-line continuation reports the update line',
      code: 'FROM debian:12\nRUN set -eux; \\\n    apt-get update; \\\n    apt-get install -y curl',
      errors: [{ line: 3, message: '`apt-get update`' }]
    },
    { name: 'heredoc', code: 'FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF', errors: [{ line: 3 }] },
    {
      name: 'cleanup in a later RUN does not shrink the image',
      code: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*',
      errors: [{ line: 2 }]
    },
    {
      name: 'cleanup before the last update',
      code: 'FROM debian:12\nRUN rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y curl',
      errors: [{ line: 2 }]
    },
    {
      name: 'cache mount of another directory',
      code: 'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y curl',
      errors: [{ line: 2 }]
    },
    { name: 'apt update', code: 'FROM debian:12\nRUN apt update && apt install -y curl', errors: [{ line: 2, message: '`apt update`' }] },
    {
      name: 'a stage that the shipped stage builds on',
      code: 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nCMD ["curl"]',
      errors: [{ line: 2 }]
    },
    {
      name: 'all-stages checks builder stages too',
      options: { 'all-stages': true },
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out',
      errors: [{ line: 2 }]
    },
    {
      name: 'targets decide which stage ships',
      targets: ['build'],
      code: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out',
      errors: [{ line: 2 }]
    }
  ]
});
