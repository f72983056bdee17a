import rule from '../../src/core/rules/add-instead-of-copy.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';
import { expect, it } from '@jest/globals';

ruleTester(rule, {
  valid: [
    'FROM alpine:3.20\nCOPY app.py /app/',
    { name: 'remote URL', code: 'FROM alpine:3.20\nADD https://example.com/tool.bin /usr/local/bin/tool' },
    { name: 'git source', code: 'FROM alpine:3.20\nADD git@github.com:moby/buildkit.git#v0.13.0 /src\nADD https://github.com/moby/buildkit.git#v0.13.0 /src2' },
    {
      name: 'local tar archives to extract',
      code: 'FROM scratch\nADD rootfs.tar.gz /\nADD vendor.tgz /opt/\nADD data.tar.xz /data/\nADD b.tar.bz2 /b/\nADD x.tar /x/'
    },
    { name: 'variable that may hide a URL', code: 'FROM alpine:3.20\nARG SRC\nADD ${SRC} /opt/' },
    { name: 'archive name with a variable version', code: 'FROM alpine:3.20\nARG V\nADD app-${V}.tar.gz /opt/' },
    { name: 'URL from an ARG default', code: 'FROM alpine:3.20\nARG BASE=https://example.com\nADD $BASE/tool /usr/local/bin/' },
    { name: 'JSON form with URL', code: 'FROM alpine:3.20\nADD ["https://example.com/a b.txt", "/x/"]' }
  ],
  invalid: [
    { code: 'FROM alpine:3.20\nADD requirements.txt /app/', errors: [{ line: 2, message: 'use COPY instead' }] },
    { name: 'directory with flags', code: 'FROM alpine:3.20\nADD --chown=app:app ./src /app/src', errors: [{ line: 2, message: './src' }] },
    { name: 'JSON form', code: 'FROM alpine:3.20\nADD ["conf/nginx.conf", "/etc/nginx/"]', errors: [{ line: 2, message: 'conf/nginx.conf' }] },
    { name: 'mixed with an archive', code: 'FROM alpine:3.20\nADD rootfs.tar.gz config.json /', errors: [{ line: 2, message: 'separate COPY' }] },
    { name: 'continuation lines', code: 'FROM alpine:3.20\nADD a.txt \\\n    b.txt \\\n    /app/', errors: [{ line: 2, message: 'a.txt, b.txt' }] },
    { name: 'heredoc source', code: 'FROM alpine:3.20\nADD <<EOF /etc/motd\nhello\nEOF', errors: [{ line: 2 }] },
    { name: 'lower-case keyword, once per instruction', code: 'from alpine:3.20\nadd a /a\nadd b /b', errors: [{ line: 2 }, { line: 3 }] }
  ]
});

it('offers a fix that keeps indentation and case', () => {
  const r = lintWith(rule, { code: 'FROM alpine:3.20\n  add --chown=1:1 a /a' });
  expect(r.findings[0].fix?.replacement).toBe('  copy --chown=1:1 a /a');
  const none = lintWith(rule, { code: 'FROM alpine:3.20\nADD rootfs.tar.gz config.json /' });
  expect(none.findings[0].fix).toBeUndefined();
});
