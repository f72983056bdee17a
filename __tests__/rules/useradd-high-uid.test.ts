import { describe, expect, it } from '@jest/globals';
import rule, { parseUseradd } from '../../src/core/rules/useradd-high-uid.js';
import { lintWith, ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'low uid', code: 'FROM debian:12\nRUN useradd -u 10001 -m app' },
    { name: 'max-uid itself', code: 'FROM debian:12\nRUN useradd -u 65535 app' },
    { name: 'high uid with -l', code: 'FROM debian:12\nRUN useradd -l -u 1000001 app' },
    { name: 'high uid with --no-log-init', code: 'FROM debian:12\nRUN useradd --no-log-init --uid=1000001 app' },
    { name: 'l inside a flag cluster', code: 'FROM debian:12\nRUN useradd -mlu 1000001 app' },
    { name: 'no uid', code: 'FROM debian:12\nRUN useradd -m app' },
    { name: 'uid from a variable without value', code: 'FROM debian:12\nARG UID\nRUN useradd -u "$UID" app' },
    { name: 'adduser is not useradd', code: 'FROM alpine:3.20\nRUN adduser -D -u 1000001 app' },
    { name: 'high gid only', code: 'FROM debian:12\nRUN groupadd -g 1000001 app && useradd -g 1000001 app' },
    { name: 'max-uid option', code: 'FROM debian:12\nRUN useradd -u 99999 app', options: { 'max-uid': 99999 } }
  ],
  invalid: [
    {
      name: 'high uid',
      code: 'FROM debian:12\nRUN useradd -u 1000001 -m app',
      errors: [{ line: 2, message: 'useradd -u 1000001 without -l makes /var/log/lastlog and faillog sparse files of ~278 MB' }]
    },
    { name: 'attached value', code: 'FROM debian:12\nRUN useradd -u1000001 app', errors: [{ line: 2 }] },
    { name: '--uid value', code: 'FROM debian:12\nRUN useradd --uid 123456 app', errors: [{ line: 2, message: '-u 123456' }] },
    { name: '--uid=value', code: 'FROM debian:12\nRUN useradd --uid=123456 app', errors: [{ line: 2 }] },
    { name: 'clustered flags without l', code: 'FROM debian:12\nRUN useradd -mru 70000 app', errors: [{ line: 2 }] },
    {
      name: 'uid from an ARG default',
      code: 'FROM debian:12\nARG APP_UID=1000001\nRUN useradd -u "${APP_UID}" app',
      errors: [{ line: 3, message: '-u ${APP_UID} (= 1000001)' }]
    },
    {
      name: 'uid from a build arg',
      code: 'FROM debian:12\nARG APP_UID=1000\nRUN useradd -u $APP_UID app',
      buildArgs: { APP_UID: '200000' },
      errors: [{ line: 3 }]
    },
    {
      name: 'continuation lines and sudo',
      code: 'FROM debian:12\nRUN groupadd app && \\\n    sudo useradd -g app \\\n      -u 100000 app',
      errors: [{ line: 3 }]
    },
    { name: 'heredoc RUN', code: 'FROM debian:12\nRUN <<EOF\nset -e\n/usr/sbin/useradd -u 500000 app\nEOF', errors: [{ line: 4 }] },
    {
      name: 'lower max-uid option',
      code: 'FROM debian:12\nRUN useradd -u 20000 app',
      options: { 'max-uid': 9999 },
      errors: [{ line: 2, message: 'at most 9999' }]
    },
    { name: 'l as the value of another flag does not count', code: 'FROM debian:12\nRUN useradd -s l -u 1000001 app', errors: [{ line: 2 }] }
  ]
});

describe('useradd-high-uid fix', () => {
  it('adds -l after useradd on the line', () => {
    const r = lintWith(rule, { code: 'FROM debian:12\nRUN groupadd -g 1000001 app && useradd -u 1000001 -g app app' });
    expect(r.findings[0].fix).toEqual({
      line: 2,
      endLine: 2,
      replacement: 'RUN groupadd -g 1000001 app && useradd -l -u 1000001 -g app app',
      description: 'add -l (--no-log-init)'
    });
  });
  it('parses getopt-style options', () => {
    expect(parseUseradd(['-ms', '/bin/bash', '-u', '7', 'x'])).toEqual({ uids: ['7'], noLogInit: false });
    expect(parseUseradd(['-c', '-l', '-u7'])).toEqual({ uids: ['7'], noLogInit: false });
    expect(parseUseradd(['--', '-l'])).toEqual({ uids: [], noLogInit: false });
  });
});
