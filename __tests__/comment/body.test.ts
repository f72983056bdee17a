import { describe, expect, it } from '@jest/globals';
import { isOurs, markerFor, MAX_COMMENT_CHARS, renderBody, type BodyInput } from '../../src/core/comment/body.js';
import { decodeState } from '../../src/core/comment/fingerprints.js';
import { blobUrl, clip, html, isRepoPath, neutralizeMentions, text } from '../../src/core/comment/format.js';
import type { Finding, Severity } from '../../src/core/finding.js';
import { finding, OPTIONS, PR, PR2 } from './fixtures.js';

const SHA1 = PR.headSha;
const BLOB1 = `https://github.com/acme/api/blob/${SHA1}`;
const RULES = 'https://github.com/container-guard/container-guard/blob/main/docs/rules';
/** The body without its fingerprint line. */
const visible = (body: string) => body.slice(0, body.indexOf('\n<!-- container-guard:fingerprints:'));
const render = (findings: Finding[], more: Partial<BodyInput> = {}) => renderBody({ findings, pr: PR, options: OPTIONS, ...more });
const rowsOf = (md: string) => md.split('\n').filter((l) => /^\| (❌ Error|⚠️ Warning|ℹ️ Note) \|/.test(l));
const leftOut = (md: string) => [...md.matchAll(/^_(\d[\d,]*) rows? left out/gm)].map((m) => Number(m[1].replace(/,/g, '')));

const rootUser = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 9, message: 'the image runs as root' });
const aptPin = finding({
  ruleId: 'apt-pin-versions',
  severity: 'warning',
  file: 'api/Dockerfile',
  line: 3,
  endLine: 5,
  message: 'pin versions in apt-get install'
});
const xz = finding({
  ruleId: 'CVE-2024-3094',
  severity: 'error',
  file: 'ghcr.io/acme/api:1.2 (debian 12.5)',
  line: 1,
  message: '[CRITICAL] xz-utils 5.6.0: backdoor in liblzma',
  help: 'https://avd.aquasec.com/nvd/cve-2024-3094',
  tool: 'gate'
});

describe('markers', () => {
  it.each([
    ['container-guard', '<!-- container-guard:sticky:container-guard -->'],
    ['lint', '<!-- container-guard:sticky:lint -->'],
    ['lint / api', '<!-- container-guard:sticky:lint%20%2F%20api -->'],
    ['x --> <b>', '<!-- container-guard:sticky:x%20--%3E%20%3Cb%3E -->'],
    ['', '<!-- container-guard:sticky: -->']
  ])('markerFor(%j)', (header, marker) => {
    expect(markerFor(header)).toBe(marker);
  });

  it.each<[string, string, boolean]>([
    ['the marker as the first line', '<!-- container-guard:sticky:lint -->\n## container-guard', true],
    ['the marker alone', '<!-- container-guard:sticky:lint -->', true],
    ['CRLF line endings', '<!-- container-guard:sticky:lint -->\r\n## x', true],
    ['a byte order mark and spaces', '\uFEFF  <!-- container-guard:sticky:lint -->  \n', true],
    ["another header's marker", '<!-- container-guard:sticky:gate -->\n', false],
    ['a header that only starts the same', '<!-- container-guard:sticky:lint-api -->\n', false],
    ['the marker further down (a quote or a copy)', 'Look at this:\n<!-- container-guard:sticky:lint -->\n', false],
    ['the marker inside a line', '> <!-- container-guard:sticky:lint -->', false],
    ['an empty body', '', false]
  ])('isOurs: %s', (_name, body, expected) => {
    expect(isOurs(body, 'lint')).toBe(expected);
  });

  it('every body starts with the marker of its header', () => {
    const body = renderBody({ findings: [rootUser], pr: PR, options: { ...OPTIONS, header: 'lint / api' } });
    expect(body.split('\n')[0]).toBe('<!-- container-guard:sticky:lint%20%2F%20api -->');
    expect(isOurs(body, 'lint / api')).toBe(true);
    expect(isOurs(body, 'container-guard')).toBe(false);
  });
});

describe('escaping', () => {
  it.each([
    ['a pipe', 'a | b', 'a \\| b'],
    ['HTML', '<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['backticks', 'use `COPY`', 'use \\`COPY\\`'],
    ['a fence', '```js', '\\`\\`\\`js'],
    ['a mention', 'ask @octocat', 'ask @\u200Doctocat'],
    ['a team mention', 'cc @acme/security', 'cc @\u200Dacme/security'],
    ['an e-mail address', 'jane@example.com', 'jane@\u200Dexample.com'],
    ['a lone at sign', 'a @ b', 'a @ b'],
    ['line breaks', 'one\ntwo\r\nthree', 'one two three'],
    ['bidi controls', 'a\u202eb', 'a\uFFFDb'],
    ['emphasis and links', '*x* [y](z)', '\\*x\\* \\[y\\](z)']
  ])('text() escapes %s', (_name, input, expected) => {
    expect(text(input)).toBe(expected);
  });

  it.each([
    ['tags', '<script>', '&lt;script&gt;'],
    ['quotes and ampersands', 'a "b" & c', 'a &quot;b&quot; &amp; c'],
    ['mentions', '@here', '@\u200Dhere'],
    ['line breaks', 'a\nb', 'a b']
  ])('html() escapes %s', (_name, input, expected) => {
    expect(html(input)).toBe(expected);
  });

  it.each([
    ['short text', 'abc', 5, 'abc'],
    ['text at the limit', 'abcde', 5, 'abcde'],
    ['long text', 'abcdef', 5, 'abcd…'],
    ['a surrogate pair at the cut', 'abc🐳def', 5, 'abc…']
  ])('clip: %s', (_name, input, max, expected) => {
    expect(clip(input, max)).toBe(expected);
  });

  it('neutralises every mention and only mentions', () => {
    expect(neutralizeMentions('@a @b-c x@y @ @_z')).toBe('@\u200Da @\u200Db-c x@\u200Dy @ @_z');
  });

  it('escapes every cell of a finding row', () => {
    const nasty = finding({
      ruleId: 'x|y',
      severity: 'warning',
      file: 'a|b/Dockerfile',
      line: 2,
      message: 'ping @admin | run `rm -rf /` <b>now</b>\nplease',
      help: 'docs/x.md'
    });
    expect(rowsOf(render([nasty]))[0]).toBe(
      `| ⚠️ Warning | [a\\|b/Dockerfile:2](${BLOB1}/a%7Cb/Dockerfile#L2) | x\\|y | ping @\u200Dadmin \\| run \\\`rm -rf /\\\` &lt;b&gt;now&lt;/b&gt; please |`
    );
  });

  it('never lets a mention through anywhere in the body', () => {
    const body = render([finding({ ruleId: '@rule', severity: 'error', file: '@dir/Dockerfile', line: 1, message: '@msg', tool: '@tool' })], {
      reports: [{ tool: '@tool', passed: false, reason: '@reason', suppressed: 1, suppressedBy: { '@why': 1 } }],
      options: { ...OPTIONS, title: '@title' }
    });
    expect(body.match(/@(?!\u200D)[A-Za-z]/g)).toBeNull();
    expect(body).toContain('<summary>@\u200Dtool: 1 error, 0 warnings, 0 notes</summary>');
  });
});

describe('links', () => {
  const ref = { serverUrl: 'https://github.com', owner: 'acme', repo: 'api' };
  it.each<[string, string, number, number, string | undefined]>([
    ['one line', 'Dockerfile', 3, 3, `${BLOB1}/Dockerfile#L3`],
    ['a range', 'api/Dockerfile', 3, 5, `${BLOB1}/api/Dockerfile#L3-L5`],
    ['a path with spaces and #', 'my api/Docker#file', 1, 1, undefined],
    ['a path with odd characters', 'a%b/Dockerfile(1)', 2, 2, `${BLOB1}/a%25b/Dockerfile(1)#L2`],
    ['a ./ path', './Dockerfile', 1, 1, `${BLOB1}/Dockerfile#L1`],
    ['an image', 'ghcr.io/acme/api:1.2', 1, 1, undefined],
    ['an absolute path', '/usr/lib/libz.so', 1, 1, undefined],
    ['a path leaving the repository', '../x/Dockerfile', 1, 1, undefined]
  ])('blobUrl: %s', (_name, file, line, endLine, expected) => {
    expect(blobUrl(ref, SHA1, file, line, endLine)).toBe(expected);
  });

  it('drops a trailing slash of the server URL and ignores a non-http one', () => {
    expect(blobUrl({ ...ref, serverUrl: 'https://ghe.example.com/' }, 'abc', 'Dockerfile', 1)).toBe('https://ghe.example.com/acme/api/blob/abc/Dockerfile#L1');
    expect(blobUrl({ ...ref, serverUrl: 'javascript:alert(1)' }, 'abc', 'Dockerfile', 1)).toBeUndefined();
  });

  it('makes link targets safe inside a table', () => {
    const f = finding({ ruleId: 'r', severity: 'note', file: 'Dockerfile(x)', line: 1, help: 'https://github.com/a|b (c)' });
    expect(rowsOf(render([f]))[0]).toBe(
      `| ℹ️ Note | [Dockerfile(x):1](${BLOB1}/Dockerfile%28x%29#L1) | [r](https://github.com/a%7Cb%20%28c%29) | r at line 1 |`
    );
  });

  it.each([
    ['the project docs', 'https://github.com/container-guard/container-guard/blob/main/docs/rules/root-user.md', true],
    ['NVD', 'https://nvd.nist.gov/vuln/detail/CVE-2024-45490', true],
    ['a vendor advisory host of the scanner formats', 'https://security-tracker.debian.org/tracker/CVE-2024-45490', true],
    ['ShellCheck', 'https://www.shellcheck.net/wiki/SC2086', true],
    ['an unknown host', 'https://evil.example/phish', false],
    ['a look-alike host', 'https://github.com.evil.example/x', false],
    ['a subdomain of a known host', 'https://gist.github.com/x', false],
    ['plain http to a known host', 'http://nvd.nist.gov/vuln/detail/CVE-1', false],
    ['credentials in the URL', 'https://user:pw@github.com/x', false],
    ['another port', 'https://github.com:8443/x', false],
    ['javascript', 'javascript:alert(1)', false],
    ['not a URL', 'see the docs', false]
  ])('a help link to %s is a link: %s', (_name, help, linked) => {
    const cell = rowsOf(render([finding({ ruleId: 'r', severity: 'note', file: 'Dockerfile', line: 1, help })]))[0]!.split(' | ')[2];
    expect(cell).toBe(linked ? `[r](${new URL(help).href})` : 'r');
  });

  it.each([
    ['Dockerfile', true],
    ['a/b.Dockerfile', true],
    ['C:\\x\\Dockerfile', false],
    ['', false]
  ])('isRepoPath(%j)', (file, expected) => {
    expect(isRepoPath(file)).toBe(expected);
  });
});

describe('the body', () => {
  const reports = [
    { tool: 'gate', passed: false, reason: '1 finding at or above high', suppressed: 3, suppressedBy: { vex: 2, ignore: 1 } },
    { tool: 'lint', suppressed: 1 }
  ];

  it('has the title, totals, verdict, suppressed counts, top findings, details per tool and footer', () => {
    expect(visible(render([aptPin, xz, rootUser], { reports }))).toBe(
      [
        '<!-- container-guard:sticky:container-guard -->',
        '## container-guard: 2 errors, 1 warning, 0 notes',
        '',
        '| Tool | Errors | Warnings | Notes |',
        '| --- | ---: | ---: | ---: |',
        '| lint | 1 | 1 | 0 |',
        '| gate | 1 | 0 | 0 |',
        '| **Total** | **2** | **1** | **0** |',
        '',
        '**gate:** ❌ failed: 1 finding at or above high',
        '',
        '**Suppressed** (not counted above): lint 1; gate 3 (vex 2, ignore 1)',
        '',
        '### Top findings',
        '',
        '| Severity | Location | Rule | Message |',
        '| --- | --- | --- | --- |',
        `| ❌ Error | [Dockerfile:9](${BLOB1}/Dockerfile#L9) | [root-user](${RULES}/root-user.md) | the image runs as root |`,
        '| ❌ Error | ghcr.io/acme/api:1.2 (debian 12.5) | [CVE-2024-3094](https://avd.aquasec.com/nvd/cve-2024-3094) | \\[CRITICAL\\] xz-utils 5.6.0: backdoor in liblzma |',
        `| ⚠️ Warning | [api/Dockerfile:3](${BLOB1}/api/Dockerfile#L3-L5) | [apt-pin-versions](${RULES}/apt-pin-versions.md) | pin versions in apt-get install |`,
        '',
        '<details>',
        '<summary>lint: 1 error, 1 warning, 0 notes</summary>',
        '',
        '| Severity | Location | Rule | Message |',
        '| --- | --- | --- | --- |',
        `| ❌ Error | [Dockerfile:9](${BLOB1}/Dockerfile#L9) | [root-user](${RULES}/root-user.md) | the image runs as root |`,
        `| ⚠️ Warning | [api/Dockerfile:3](${BLOB1}/api/Dockerfile#L3-L5) | [apt-pin-versions](${RULES}/apt-pin-versions.md) | pin versions in apt-get install |`,
        '',
        '</details>',
        '',
        '<details>',
        '<summary>gate: 1 error, 0 warnings, 0 notes</summary>',
        '',
        '| Severity | Location | Rule | Message |',
        '| --- | --- | --- | --- |',
        '| ❌ Error | ghcr.io/acme/api:1.2 (debian 12.5) | [CVE-2024-3094](https://avd.aquasec.com/nvd/cve-2024-3094) | \\[CRITICAL\\] xz-utils 5.6.0: backdoor in liblzma |',
        '',
        '</details>',
        '',
        '---',
        `<sub>container-guard · commit [a1b2c3d](https://github.com/acme/api/commit/${SHA1}) · this comment is updated on every run</sub>`,
        ''
      ].join('\n')
    );
  });

  it('ends with the hidden fingerprint line', () => {
    const body = render([rootUser, aptPin]);
    expect(body).toMatch(
      new RegExp(
        `\\n\\n<!-- container-guard:fingerprints:v1 sha=${SHA1} error=1:[A-Za-z0-9+/]{8} warning=1:[A-Za-z0-9+/]{8} note=0: base=- new= fixed= -->\\n$`
      )
    );
  });

  it('orders tools lint, gate, verify, then others, then findings without a tool', () => {
    const t = (tool: string | undefined) => finding({ ruleId: 'r', severity: 'note', file: 'Dockerfile', line: 1, message: String(tool), tool });
    const body = render([t(undefined), t('zeta'), t('verify'), t('gate'), t('alpha'), t('lint')]);
    expect([...body.matchAll(/^\| (\w+) \| \d/gm)].map((m) => m[1])).toEqual(['lint', 'gate', 'verify', 'alpha', 'zeta', 'other']);
    expect([...body.matchAll(/<summary>(\w+):/g)].map((m) => m[1])).toEqual(['lint', 'gate', 'verify', 'alpha', 'zeta', 'other']);
  });

  it('shows one totals row without a Total row for one tool, and a reporting tool without findings', () => {
    const body = render([rootUser], { reports: [{ tool: 'gate', passed: true, reason: 'no finding at or above high' }] });
    expect(body).toContain(
      '| lint | 1 | 0 | 0 |\n| gate | 0 | 0 | 0 |\n| **Total** | **1** | **0** | **0** |\n\n**gate:** ✅ passed: no finding at or above high\n'
    );
    expect(body).not.toContain('<summary>gate');
    expect(render([rootUser])).toContain('| lint | 1 | 0 | 0 |\n\n### Top findings');
  });

  it('folds several reports of one tool together', () => {
    const body = render([rootUser], {
      reports: [
        { tool: 'gate', passed: true, reason: 'api ok', suppressed: 1, suppressedBy: { vex: 1 } },
        { tool: 'gate', passed: false, reason: 'worker failed', suppressed: 2, suppressedBy: { vex: 1, baseline: 1 } }
      ]
    });
    expect(body).toContain('**gate:** ❌ failed: api ok; worker failed\n');
    expect(body).toContain('**Suppressed** (not counted above): gate 3 (vex 2, baseline 1)\n');
  });

  it('lists the most severe first in the top table, at most `top` rows', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      finding({ ruleId: `r${i}`, severity: (['note', 'warning', 'error'] as const)[i % 3], file: 'Dockerfile', line: i + 1 })
    );
    const body = render(many, { top: 4 });
    const top = body.slice(body.indexOf('### Top findings'), body.indexOf('<details>'));
    expect(rowsOf(top).map((r) => r.split(' | ')[2].replace(/^\[(\w+)\].*$/, '$1'))).toEqual(['r2', 'r5', 'r8', 'r11']);
    expect(rowsOf(render(many)).length).toBe(10 + 15);
  });

  it('counts with thousands separators', () => {
    const many = Array.from({ length: 1234 }, (_, i) => finding({ ruleId: 'r', severity: 'note', file: 'Dockerfile', line: i + 1 }));
    expect(render(many)).toContain('## container-guard: 0 errors, 0 warnings, 1,234 notes\n');
  });

  it('uses the title option', () => {
    expect(renderBody({ findings: [rootUser], pr: PR, options: { ...OPTIONS, title: 'Container checks' } })).toContain('\n## Container checks: 1 error');
  });
});

describe('all clear', () => {
  it('is short when nothing was found', () => {
    expect(visible(render([]))).toBe(
      [
        '<!-- container-guard:sticky:container-guard -->',
        '## container-guard: ✅ all clear',
        '',
        `No problems found at commit [a1b2c3d](https://github.com/acme/api/commit/${SHA1}).`,
        '',
        '---',
        `<sub>container-guard · commit [a1b2c3d](https://github.com/acme/api/commit/${SHA1}) · this comment is updated on every run</sub>`,
        ''
      ].join('\n')
    );
  });

  it('says how many were fixed since the last run, and what was suppressed', () => {
    const previous = render([rootUser, aptPin]);
    const body = renderBody({ findings: [], pr: PR2, options: OPTIONS, previousBody: previous, reports: [{ tool: 'lint', suppressed: 2 }] });
    expect(visible(body)).toContain(
      [
        '## container-guard: ✅ all clear',
        '',
        `No problems found at commit [ffeeddc](https://github.com/acme/api/commit/${PR2.headSha}).`,
        '',
        `2 fixed since [a1b2c3d](https://github.com/acme/api/commit/${SHA1}).`,
        '',
        '**Suppressed** (not counted above): lint 2',
        ''
      ].join('\n')
    );
    expect(body).toContain(`<!-- container-guard:fingerprints:v1 sha=${PR2.headSha} error=0: warning=0: note=0: base=${SHA1} new= fixed=`);
  });
});

describe('changes since the last run', () => {
  const run1 = render([rootUser, aptPin, xz]);
  // aptPin moved down three lines (same message), rootUser and xz are gone, a new finding appeared.
  const moved = { ...aptPin, line: 6, endLine: 8 };
  const added = finding({ ruleId: 'curl-pipe-shell', severity: 'warning', file: 'Dockerfile', line: 4, message: 'curl piped into sh' });
  const run2 = renderBody({ findings: [moved, added], pr: PR2, options: OPTIONS, previousBody: run1 });
  const BLOB2 = `https://github.com/acme/api/blob/${PR2.headSha}`;

  it('counts new and fixed findings, ignoring line moves, and lists the new ones', () => {
    expect(run2).toContain(
      [
        `### Changes since [a1b2c3d](https://github.com/acme/api/commit/${SHA1})`,
        '',
        '🆕 1 new · ✅ 2 fixed',
        '',
        '| Severity | Location | Rule | Message |',
        '| --- | --- | --- | --- |',
        `| ⚠️ Warning | [Dockerfile:4](${BLOB2}/Dockerfile#L4) | [curl-pipe-shell](${RULES}/curl-pipe-shell.md) | curl piped into sh |`,
        '',
        '### Top findings'
      ].join('\n')
    );
  });

  it('has no changes section on the first run', () => {
    expect(run1).not.toContain('### Changes since');
  });

  it('says so when nothing changed', () => {
    const again = renderBody({ findings: [moved, added], pr: { ...PR, headSha: '1'.repeat(40) }, options: OPTIONS, previousBody: run2 });
    expect(again).toContain(
      '### Changes since [ffeeddc](https://github.com/acme/api/commit/ffeeddccbbaa99887766554433221100ffeeddcc)\n\nNo new findings, none fixed.\n\n### Top findings'
    );
  });

  it('a re-run of the same commit with the same findings gives the same body', () => {
    expect(renderBody({ findings: [moved, added], pr: PR2, options: OPTIONS, previousBody: run2 })).toBe(run2);
    expect(render([rootUser, aptPin, xz], { previousBody: run1 })).toBe(run1);
  });

  it('a re-run of the same commit with other findings still compares with the run before', () => {
    const late = finding({ ruleId: 'CVE-2025-1', severity: 'error', file: 'ghcr.io/acme/api:1.2', line: 1, tool: 'gate', message: 'new advisory' });
    const rerun = renderBody({ findings: [moved, added, late], pr: PR2, options: OPTIONS, previousBody: run2 });
    expect(rerun).toContain(`### Changes since [a1b2c3d](https://github.com/acme/api/commit/${SHA1})\n\n🆕 2 new · ✅ 2 fixed\n`);
  });

  it('tells identical findings in one file apart, in file order', () => {
    const twin = (line: number) => finding({ ruleId: 'apt-lists-cleanup', severity: 'note', file: 'Dockerfile', line, message: 'remove /var/lib/apt/lists' });
    const before = render([twin(3), twin(8)]);
    const after = renderBody({ findings: [twin(5)], pr: PR2, options: OPTIONS, previousBody: before });
    expect(after).toContain('🆕 0 new · ✅ 1 fixed\n');
    const more = renderBody({ findings: [twin(2), twin(5), twin(9)], pr: PR2, options: OPTIONS, previousBody: before });
    expect(more).toContain(`🆕 1 new · ✅ 0 fixed\n\n| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n| ℹ️ Note | [Dockerfile:9]`);
  });

  it('keys on tool, rule, file and message', () => {
    const base = render([rootUser]);
    const cases: [string, Finding][] = [
      ['another tool', { ...rootUser, tool: 'verify' }],
      ['another rule', { ...rootUser, ruleId: 'root-user-2' }],
      ['another file', { ...rootUser, file: 'api/Dockerfile' }],
      ['another message', { ...rootUser, message: 'the image runs as UID 0' }]
    ];
    for (const [, f] of cases) expect(renderBody({ findings: [f], pr: PR2, options: OPTIONS, previousBody: base })).toContain('🆕 1 new · ✅ 1 fixed\n');
    const shifted = { ...rootUser, line: 30, endLine: 30, column: 4 };
    expect(renderBody({ findings: [shifted], pr: PR2, options: OPTIONS, previousBody: base })).toContain('No new findings, none fixed.\n');
  });

  it.each([
    ['no fingerprint line', '<!-- container-guard:sticky:container-guard -->\n## container-guard: old format\n'],
    ['a damaged fingerprint line', '<!-- container-guard:sticky:container-guard -->\n<!-- container-guard:fingerprints:v1 sha=abc error=x:!! -->\n'],
    ['more fingerprints than findings', '<!-- container-guard:fingerprints:v1 sha=abc error=0:AAAAAAAA warning=0: note=0: -->']
  ])('is left out when the previous body has %s', (_name, previousBody) => {
    expect(render([rootUser], { previousBody })).not.toContain('### Changes since');
  });
});

describe('staying under 65,536 characters', () => {
  const severities: Severity[] = ['error', 'warning', 'note'];
  const big = (n: number, msg = (i: number) => `message ${i} with | pipes and @mention${i} and <tags>`) =>
    Array.from({ length: n }, (_, i) =>
      finding({
        ruleId: `rule-${i % 40}`,
        severity: severities[i % 3],
        file: `services/svc-${i % 97}/Dockerfile`,
        line: (i % 500) + 1,
        message: msg(i),
        tool: i % 5 === 0 ? 'gate' : 'lint'
      })
    );

  it('keeps 30,000 findings under the limit, drops notes before warnings before errors, and says how many were left out', () => {
    const findings = big(30_000);
    const body = render(findings);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.length).toBeGreaterThan(MAX_COMMENT_CHARS - 1_000);
    const rows = rowsOf(body);
    const shown = (s: string) => rows.filter((r) => r.startsWith(`| ${s} |`)).length;
    // 10,000 errors alone overflow the comment: no warning or note row is shown, errors fill it.
    expect(shown('ℹ️ Note')).toBe(0);
    expect(shown('⚠️ Warning')).toBe(0);
    expect(shown('❌ Error')).toBeGreaterThan(100);
    expect(body).toContain('## container-guard: 10,000 errors, 10,000 warnings, 10,000 notes\n');
    expect(body).toMatch(
      /\n_\d{1,3}(,\d{3})* rows left out \(lowest severity first\) to stay under GitHub's limit of 65,536 characters per comment; the findings files list every finding\._\n/
    );
    // The top table is complete, and every details table accounts for all its findings.
    const top = body.slice(body.indexOf('### Top findings'), body.indexOf('<details>'));
    expect(rowsOf(top)).toHaveLength(10);
    expect(leftOut(top)).toEqual([]);
    const details = body.slice(body.indexOf('<details>'));
    expect(rowsOf(details).length + leftOut(details).reduce((a, b) => a + b, 0)).toBe(30_000);
    // Still one marker first and the fingerprints last.
    expect(isOurs(body, 'container-guard')).toBe(true);
    const state = decodeState(body);
    expect(state?.sets.error.total).toBe(10_000);
    expect(state?.sets.note.fps).toEqual([]);
  }, 30_000);

  it('never exceeds the limit it is given', () => {
    const findings = big(600);
    for (let max = 2_000; max <= 40_000; max += 1_999) {
      const body = render(findings, { maxChars: max });
      expect(body.length).toBeLessThanOrEqual(max);
      expect(body.startsWith(markerFor('container-guard'))).toBe(true);
    }
  });

  it('keeps every error row before any warning row, and warning rows before notes', () => {
    const findings = [
      ...Array.from({ length: 5 }, (_, i) => finding({ ruleId: 'e', severity: 'error', file: 'Dockerfile', line: 100 + i })),
      ...Array.from({ length: 60 }, (_, i) => finding({ ruleId: 'w', severity: 'warning', file: 'Dockerfile', line: i + 1 })),
      ...Array.from({ length: 60 }, (_, i) => finding({ ruleId: 'n', severity: 'note', file: 'Dockerfile', line: 200 + i }))
    ];
    const body = render(findings, { maxChars: 12_000 });
    expect(body.length).toBeLessThanOrEqual(12_000);
    const details = body.slice(body.indexOf('<details>'));
    const rows = rowsOf(details);
    expect(rows.filter((r) => r.includes('❌ Error'))).toHaveLength(5);
    expect(rows.filter((r) => r.includes('ℹ️ Note'))).toHaveLength(0);
    const warnings = rows.filter((r) => r.includes('⚠️ Warning')).length;
    expect(warnings).toBeGreaterThan(0);
    expect(warnings).toBeLessThan(60);
    expect(leftOut(details)).toEqual([125 - 5 - warnings]);
    // Shown rows stay in file order: warnings (lines 1..) before the errors (line 100..).
    expect(rows[0]).toContain('Dockerfile:1]');
    expect(rows[rows.length - 1]).toContain('Dockerfile:104]');
  });

  it('cuts a huge message to 1,000 characters in the tables', () => {
    const huge = finding({ ruleId: 'r', severity: 'error', file: 'Dockerfile', line: 1, message: 'x'.repeat(70_000) });
    const rows = rowsOf(render([huge]));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toBe(`| ❌ Error | [Dockerfile:1](${BLOB1}/Dockerfile#L1) | [r](${RULES}/r.md) | ${'x'.repeat(999)}… |`);
  });

  it('a hostile rule id, file or tool name is cut, so one finding cannot push the real errors out of the comment', () => {
    const hostile = finding({
      ruleId: 'R' + '_'.repeat(32_000),
      severity: 'error',
      file: '0' + '_'.repeat(32_000),
      line: 1,
      message: 'm',
      tool: 't'.repeat(9_000)
    });
    const real = [1, 2, 3].map((line) => finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line, message: `real ${line}` }));
    const body = render([hostile, ...real]);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(leftOut(body)).toEqual([]);
    for (const line of [1, 2, 3]) expect(body).toContain(`| real ${line} |`);
    const row = rowsOf(body).find((r) => r.includes('| R\\_'))!;
    expect(row).toContain(`R${'\\_'.repeat(199 - 1)}…`);
    expect(row).not.toMatch(/\]\(https:[^)]*0\\?_{300}/); // a path past the cut is not linked
  });

  it('drops a row that cannot fit at all and says so', () => {
    const huge = finding({ ruleId: 'r', severity: 'error', file: 'Dockerfile', line: 1, help: '', message: 'x'.repeat(900) });
    const body = render([huge], { maxChars: 1_000 });
    expect(body.length).toBeLessThanOrEqual(1_000);
    expect(rowsOf(body)).toEqual([]);
    expect(body).toMatch(/_1 row left out \(lowest severity first\) to stay under GitHub's limit of [\d,]+ characters per comment/);
    expect(leftOut(body)[0]).toBe(1);
  });

  it('counts characters outside the BMP as two', () => {
    const emoji = big(3_000, (i) => `🐳 ${i} ${'🔥'.repeat(40)}`);
    const body = render(emoji);
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(MAX_COMMENT_CHARS);
  });

  it('falls back to a heading when not even the totals fit', () => {
    const body = render(big(50), { maxChars: 400 });
    expect(body.length).toBeLessThanOrEqual(400);
    expect(visible(body)).toBe(
      '<!-- container-guard:sticky:container-guard -->\n## container-guard: 17 errors, 17 warnings, 16 notes\n\n_The rest of this comment is left out: it does not fit in 400 characters._\n'
    );
    expect(decodeState(body)?.sets.error).toEqual({ total: 17, fps: [] });
    expect(render(big(50), { maxChars: 100 })).toHaveLength(100);
  });

  it('tracks about 2,000 fingerprints, most severe first, and says when it could not compare', () => {
    const notes = Array.from({ length: 3_000 }, (_, i) => finding({ ruleId: 'n', severity: 'note', file: 'Dockerfile', line: i + 1, message: `note ${i}` }));
    const error = finding({ ruleId: 'e', severity: 'error', file: 'Dockerfile', line: 1, message: 'old error' });
    const run1 = render([error, ...notes]);
    const state = decodeState(run1);
    expect(state?.sets.error).toEqual({ total: 1, fps: [expect.any(String)] });
    expect(state?.sets.note.total).toBe(3_000);
    const tracked = state?.sets.note.fps.length ?? 0;
    expect(tracked).toBeGreaterThan(1_900);
    expect(tracked).toBeLessThan(2_100);

    const newError = finding({ ruleId: 'e', severity: 'error', file: 'Dockerfile', line: 2, message: 'new error' });
    const run2 = renderBody({ findings: [error, newError, ...notes], pr: PR2, options: OPTIONS, previousBody: run1 });
    expect(run2).toContain(
      `🆕 1 new · ✅ 0 fixed\n\n_The last run had more findings than this comment keeps track of: ${(3_000 - tracked).toLocaleString('en-US')} findings of this run could not be compared, and fixes among the untracked ones are not counted._\n`
    );
    expect(run2.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
  });
});
