import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/core/finding.js';
import { escapeCell, formatMarkdownSummary, SUMMARY_MAX_BYTES } from '../../src/core/report/markdown.js';
import { byteLength } from '../../src/core/report/util.js';
import { finding, makeReport, many, richReport } from './fixtures.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** Table rows of findings (not header or separator rows). */
const findingRows = (md: string) => md.split('\n').filter((l) => /^\| (Error|Warning|Note) \| .+ \| .+ \| .* \|$/.test(l));
const leftOut = (md: string) => [...md.matchAll(/_(\d+) rows? left out/g)].map((m) => Number(m[1]));

describe('formatMarkdownSummary', () => {
  const md = formatMarkdownSummary(richReport());

  it.each([
    ['the heading with totals', '## container-guard: 2 errors, 2 warnings, 1 note\n'],
    ['the totals table', '| Severity | Count |\n| --- | ---: |\n| Error | 2 |\n| Warning | 2 |\n| Note | 1 |\n| Suppressed | 2 |\n'],
    ['files checked and unreadable', 'Checked 4 files; 1 file could not be read.\n'],
    [
      'the unreadable files table',
      '### Files that could not be read\n\n| File | Problem |\n| --- | --- |\n| broken/Dockerfile | invalid UTF-8 at line 1: save the file as UTF-8 |\n'
    ],
    ['the findings table header', '### Findings\n\n| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n'],
    [
      'a finding row with a linked rule',
      '| Error | Dockerfile:3 | [no-secret-in-env](https://github.com/container-guard/container-guard/blob/main/docs/rules/no-secret-in-env.md) | ENV TOKEN holds a secret (value masked) |\n'
    ],
    ['a path with forward slashes', '| Warning | services/my api/Dockerfile:1 |'],
    ['a collapsed suppressed section', '<details>\n<summary>Suppressed findings (2)</summary>\n\n| Severity | Location | Rule | Message |'],
    ['a suppressed row', '| Warning | Dockerfile.dev:1 | [pin-base-image]'],
    ['the end of the details', '\n</details>\n']
  ])('has %s', (_name, expected) => {
    expect(md).toContain(expected);
  });

  it.each([
    ['snippets (source text)', 'jane@example.com'],
    ['fix replacements', 'FROM alpine:3.20'],
    ['any truncation note when everything fits', 'left out']
  ])('leaves out %s', (_name, unexpected) => {
    expect(md).not.toContain(unexpected);
  });

  it('says so when there is nothing to report', () => {
    const out = formatMarkdownSummary(makeReport({ files: ['Dockerfile'] }), { title: 'Lint' });
    expect(out).toContain('## Lint: no problems found\n');
    expect(out).toContain('### Findings\n\nNo findings.\n');
    expect(out).not.toContain('<details>');
    expect(out).not.toContain('could not be read');
  });

  it.each([
    ['pipe', 'a | b', 'a \\| b'],
    ['html', '<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['backticks', 'use `LABEL`', 'use \\`LABEL\\`'],
    ['entity', 'a &amp; b', 'a &amp;amp; b'],
    ['emphasis and links', '*x* _y_ [z](u) ~~s~~', '\\*x\\* \\_y\\_ \\[z\\](u) \\~\\~s\\~\\~'],
    ['backslash', 'C:\\dir', 'C:\\\\dir'],
    ['newlines', 'one\ntwo\r\nthree', 'one two three'],
    ['control and bidi characters', 'a\u0007b\u202ec', 'a\uFFFDb\uFFFDc']
  ])('escapes %s in cells', (_name, raw, escaped) => {
    expect(escapeCell(raw)).toBe(escaped);
    const out = formatMarkdownSummary(makeReport({ findings: [finding({ ruleId: 'r', severity: 'error', file: 'D', line: 1, message: raw })] }));
    expect(out).toContain(`| ${escaped} |\n`);
  });

  it.each<[string, string, string]>([
    ['a non-http help is not linked', 'javascript:alert(1)', '| Error | D:1 | r | m |'],
    ['a relative help is not linked', 'docs/rules/r.md', '| Error | D:1 | r | m |'],
    ['parentheses and pipes in a URL are encoded', 'https://nvd.nist.gov/a(b)|c', '| Error | D:1 | [r](https://nvd.nist.gov/a%28b%29%7Cc) | m |'],
    ['a host outside the trusted list is not linked (a fork may write the findings)', 'http://evil.example/phish', '| Error | D:1 | r | m |'],
    ['nor is https on an unknown host', 'https://x.test/a', '| Error | D:1 | r | m |']
  ])('%s', (_name, help, row) => {
    const out = formatMarkdownSummary(makeReport({ findings: [finding({ ruleId: 'r', severity: 'error', file: 'D', line: 1, message: 'm', help })] }));
    expect(out).toContain(row);
  });

  describe('truncation', () => {
    const big = (n: number, s = 0): Finding[] =>
      many(n, 'warning').map((f, i) => ({ ...f, message: `finding ${i} — ${'ü'.repeat(40)} ${'x'.repeat(i % 50)}`, line: i + 1 + s }));

    it.each<[string, number, number, number]>([
      ['fits: nothing cut', 50, 0, 100_000],
      ['findings cut', 500, 0, 20_000],
      ['findings cut, suppressed all cut', 500, 200, 20_000],
      ['findings fit, suppressed cut', 50, 500, 20_000],
      ['tiny budget: only totals', 100, 100, 1_000],
      ['large run, default 1 MiB', 8_000, 2_000, SUMMARY_MAX_BYTES]
    ])('%s', (_name, nFindings, nSuppressed, maxBytes) => {
      const report = makeReport({ findings: big(nFindings), suppressed: big(nSuppressed, nFindings) });
      const out = formatMarkdownSummary(report, maxBytes === SUMMARY_MAX_BYTES ? {} : { maxBytes });
      expect(bytes(out)).toBeLessThanOrEqual(maxBytes);
      expect(byteLength(out)).toBe(bytes(out));

      const rows = findingRows(out).length;
      const cut = leftOut(out).reduce((a, b) => a + b, 0);
      expect(rows + cut).toBe(nFindings + nSuppressed);
      if (bytes(formatMarkdownSummary(report, { maxBytes: Number.MAX_SAFE_INTEGER })) <= maxBytes) expect(cut).toBe(0);
      else expect(cut).toBeGreaterThan(0);
      // Rows kept are a prefix: the first findings in report order.
      const kept = findingRows(out).slice(0, Math.min(rows, nFindings));
      kept.forEach((row, i) => expect(row).toContain(`| Dockerfile:${i + 1} |`));
    });

    it('says how many rows of each table were left out, under which limit', () => {
      const out = formatMarkdownSummary(makeReport({ findings: big(300), suppressed: big(40, 300) }), { maxBytes: 30_000 });
      const shown = findingRows(out.split('<details>')[0]).length;
      expect(shown).toBeGreaterThan(0);
      expect(out).toContain(`_${300 - shown} rows left out to keep this summary under 30000 bytes; the SARIF and JSON outputs list every finding._`);
      expect(out).toContain('_40 rows left out to keep this summary under 30000 bytes;');
      expect(out).toContain('<summary>Suppressed findings (40)</summary>');
      expect(out.endsWith('</details>\n')).toBe(true);
    });

    it('uses the singular for one row and names MiB/KiB limits', () => {
      const findings = big(5);
      const full = formatMarkdownSummary(makeReport({ findings }));
      const out = formatMarkdownSummary(makeReport({ findings }), { maxBytes: bytes(full) - 1 });
      expect(leftOut(out)).toEqual([1]);
      expect(out).toContain('_1 row left out to keep this summary under');
      expect(findingRows(out)).toHaveLength(4);
      expect(formatMarkdownSummary(makeReport({ findings: big(3000) }), { maxBytes: 64 * 1024 })).toContain('under 64 KiB;');
      expect(formatMarkdownSummary(makeReport({ findings: big(30000) }))).toContain('under 1 MiB;');
    });

    it.each([0, 10, 40, 80])('stays within a budget too small for the heading (%d bytes)', (maxBytes) => {
      const out = formatMarkdownSummary(richReport(), { maxBytes });
      expect(bytes(out)).toBeLessThanOrEqual(maxBytes);
      expect(out).not.toContain('\uFFFD');
    });

    it('counts multi-byte characters as bytes, not characters', () => {
      const findings = many(200, 'error').map((f) => ({ ...f, message: '🐳'.repeat(50) }));
      const out = formatMarkdownSummary(makeReport({ findings }), { maxBytes: 10_000 });
      expect(bytes(out)).toBeLessThanOrEqual(10_000);
      expect(out.length).toBeLessThan(10_000);
      expect(leftOut(out)[0]).toBeGreaterThan(0);
    });
  });
});
