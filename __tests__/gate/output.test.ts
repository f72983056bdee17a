import { describe, expect, it } from '@jest/globals';
import { formatGateMarkdown, formatGateText, gateSarif, toGateJson } from '../../src/core/gate/output.js';
import { DEFAULT_SETTINGS, Gate } from '../../src/core/gate/policy.js';
import type { ScanFinding } from '../../src/core/gate/types.js';

function result(n: number, extra: Partial<ScanFinding> = {}) {
  const sev: ScanFinding['severity'][] = ['critical', 'high', 'medium', 'low'];
  const gate = new Gate(
    {
      settings: { ...DEFAULT_SETTINGS, failOn: 'high' },
      overrides: [],
      ignores: [{ id: 'CVE-0-2', reason: 'accepted', source: { file: 'c.yml', line: 3 } }],
      vex: []
    },
    () => undefined,
    new Date('2026-01-01T00:00:00Z')
  );
  for (let i = 0; i < n; i++) {
    gate.add({
      kind: 'vulnerability',
      id: `CVE-0-${i}`,
      aliases: [],
      severity: sev[i % 4],
      package: `pkg${i}`,
      version: '1.0',
      fixable: i % 2 === 0,
      fixedVersion: i % 2 === 0 ? '1.1' : undefined,
      title: `problem ${i}`,
      image: 'app:1',
      source: { format: 'trivy', file: 'r.json' },
      ...extra
    });
  }
  return gate.finish();
}

describe('gate outputs', () => {
  it('JSON has the CLI contract: passed, reason, counts, findings, suppressed', () => {
    const j = toGateJson(result(8));
    expect(Object.keys(j)).toEqual(['passed', 'reason', 'counts', 'findings', 'suppressed', 'unusedIgnores']);
    expect(j.passed).toBe(false);
    expect(j.counts.before).toEqual({ critical: 2, high: 2, medium: 2, low: 2, unknown: 0 });
    expect(j.counts.after).toEqual({ critical: 2, high: 2, medium: 1, low: 2, unknown: 0 });
    expect(j.findings).toHaveLength(7);
    expect(j.suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'CVE-0-2',
        suppressedBy: 'config',
        reason: expect.stringMatching(/^ignore: ignored until further notice: accepted \(c\.yml:3\)/)
      })
    ]);
    expect(j.findings[0]).toMatchObject({ ruleId: 'CVE-0-0', severity: 'error', tool: 'gate' });
  });

  it('text and markdown give the verdict, both count rows and the top findings', () => {
    const r = result(8);
    expect(formatGateText(r)).toMatch(/^FAILED: fail-on high: 4 finding/);
    const md = formatGateMarkdown(r, 3);
    expect(md).toContain('| before policy | 2 | 2 | 2 | 2 | 0 |');
    expect(md).toContain('| after policy | 2 | 2 | 1 | 2 | 0 |');
    expect(md).toContain('_4 more findings in the findings file and SARIF._');
    expect(md).toMatch(/<summary>1 suppressed<\/summary>/);
  });

  it('SARIF keeps within the result limit by dropping the lowest severities first, and says so', () => {
    const s = gateSarif(result(40), { maxResults: 25, maxGzipBytes: 10 * 1024 * 1024 });
    expect(s.log.runs[0].results).toHaveLength(25);
    expect(s.dropped).toEqual({ low: 10, medium: 4 });
    expect(s.note).toMatch(/14 lowest-severity result\(s\) left out.*4 medium, 10 low/);
    expect(s.log.runs[0].tool.driver.rules?.find((r) => r.id === 'CVE-0-0')?.properties?.['security-severity']).toBe('9.5');
  });

  it('SARIF keeps within the gzip size limit', () => {
    const s = gateSarif(result(400), { maxResults: 25_000, maxGzipBytes: 6_000 });
    expect(s.log.runs[0].results.length).toBeLessThan(400);
    expect(s.note).toMatch(/left out/);
  });
});
