import rule from '../../src/core/rules/add-url-checksum.js';
import { ruleTester } from '../helpers/rule-tester.js';

const SHA = 'a'.repeat(64);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

ruleTester(rule, {
  valid: [
    `FROM alpine:3.20\nADD --checksum=sha256:${SHA} https://example.com/tool.tgz /tmp/`,
    { name: 'local file', code: 'FROM alpine:3.20\nADD app.tar.gz /opt/' },
    { name: 'git pinned to a commit', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#${COMMIT} /src` },
    { name: 'git pinned to a commit with subdir', code: `FROM alpine:3.20\nADD git@github.com:moby/buildkit.git#${COMMIT}:docs /docs` },
    { name: 'git with --checksum', code: `FROM alpine:3.20\nADD --checksum=${COMMIT} https://github.com/moby/buildkit.git#v0.13.0 /src` },
    { name: 'git query form pinned by ?ref=<commit>', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?ref=${COMMIT}&subdir=docs /docs` },
    { name: 'git query form pinned by ?commit=', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?tag=v0.13.0&commit=${COMMIT} /src` },
    { name: 'git query form pinned by ?checksum=', code: `FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?ref=v0.13.0&checksum=${COMMIT} /src` },
    { name: 'unresolved variable source', code: 'FROM alpine:3.20\nARG URL\nADD ${URL} /tmp/' },
    { name: 'COPY is not ADD', code: 'FROM alpine:3.20\nCOPY --from=x https://not-a-url /x' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nADD https://example.com/tool-1.2.tgz /tmp/', errors: [{ line: 2, message: '--checksum=sha256:' }] },
    { name: 'plain http with chown', code: 'FROM alpine:3.20\nADD --chown=1:1 http://example.com/a /a', errors: [{ line: 2, message: 'sha256sum -c' }] },
    {
      name: 'URL from ARG default',
      code: 'FROM alpine:3.20\nARG V=1.2\nADD https://example.com/tool-${V}.tgz /tmp/',
      errors: [{ line: 3, message: 'tool-${V}.tgz' }]
    },
    { name: 'git tag', code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.13.0 /src', errors: [{ line: 2, message: 'ref "v0.13.0"' }] },
    { name: 'git without ref', code: 'FROM alpine:3.20\nADD git@github.com:moby/buildkit.git /src', errors: [{ line: 2, message: 'without a ref' }] },
    {
      name: 'git query form ?ref=<tag>: a commit SHA, not a file checksum',
      code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?ref=v0.13.0&subdir=docs /docs',
      errors: [
        {
          line: 2,
          message:
            'at ref "v0.13.0", which can move: use ?ref=<40-hex commit SHA> (or ?commit=<sha>), or add --checksum=<commit SHA> (a commit, not a sha256 of a file)'
        }
      ]
    },
    {
      name: 'git query form ?branch=',
      code: 'FROM alpine:3.20\nADD https://github.com/moby/buildkit.git?branch=master /src',
      errors: [{ line: 2, message: 'ref "master"' }]
    },
    {
      name: 'JSON form, two URLs on continuation lines',
      code: 'FROM alpine:3.20\nADD ["https://a.example/x",\\\n     "https://b.example/y", "/dl/"]',
      errors: [{ line: 2 }, { line: 2 }]
    },
    {
      name: 'shell form, second source on a continuation line',
      code: 'FROM alpine:3.20\nADD https://a.example/x \\\n    https://b.example/y /dl/',
      errors: [{ line: 2 }, { line: 3 }]
    }
  ]
});
