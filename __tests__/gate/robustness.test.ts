/** Large, deep and hostile reports through the whole gate (stream → adapter → policy): no crash, no silent pass. */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../../src/core/config/types.js';
import { ReportError } from '../../src/core/gate/types.js';
import { runGate } from '../../src/io/gate-run.js';
import { makeTree } from '../helpers/fixtures.js';

const config = () => {
  const c = defaultConfig();
  c.gate.failOn = 'critical';
  return c;
};

function trivyReport(n: number): string {
  const sev = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  const vulns: string[] = [];
  for (let i = 0; i < n; i++)
    vulns.push(`{"VulnerabilityID":"CVE-2024-${i}","PkgName":"p${i % 997}","InstalledVersion":"1.${i % 13}","Severity":"${sev[i % 4]}","Title":"t"}`);
  return `{"SchemaVersion":2,"ArtifactName":"big:1","Results":[{"Target":"big","Vulnerabilities":[${vulns.join(',')}]}]}`;
}

describe('gate robustness', () => {
  it('gates 200,000 findings with exact counts', async () => {
    const dir = makeTree({ 'r.json': trivyReport(200_000) });
    const { result } = await runGate({ cwd: dir, reports: ['r.json'], vex: [], config: config() });
    expect(result.counts.before).toEqual({ critical: 50_000, high: 50_000, medium: 50_000, low: 50_000, unknown: 0 });
    expect(result.passed).toBe(false);
  });

  it.each([
    [
      'deep nesting',
      `{"SchemaVersion":2,"Results":[{"Vulnerabilities":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}]}`,
      /nesting deeper than 512|not valid JSON/
    ],
    ['deep nesting, truncated', `{"SchemaVersion":2,"Results":${'['.repeat(100_000)}`, /not valid JSON/],
    ['a Results string', '{"SchemaVersion":2,"ArtifactName":"x","Results":"oops"}', /./],
    ['a finding of the wrong type', '{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"x","Vulnerabilities":[42]}]}', /./],
    [
      'a severity of the wrong type',
      '{"SchemaVersion":2,"ArtifactName":"x","Results":[{"Target":"x","Vulnerabilities":[{"VulnerabilityID":"CVE-1","PkgName":"a","InstalledVersion":"1","Severity":7}]}]}',
      /./
    ],
    ['trailing garbage', '{"SchemaVersion":2,"ArtifactName":"x","Results":[]} {"more": 1}', /not valid JSON/],
    ['NUL bytes', '\u0000\u0000\u0000\u0000', /./]
  ])('%s: a ReportError naming the file, never a result', async (_n, content, message) => {
    const dir = makeTree({ 'bad.json': content });
    const run = runGate({ cwd: dir, reports: ['bad.json'], vex: [], config: config() });
    await expect(run).rejects.toBeInstanceOf(ReportError);
    await expect(run).rejects.toMatchObject({ file: 'bad.json', message: expect.stringMatching(message) });
  });

  it('a baseline report makes only new findings count', async () => {
    const base = trivyReport(100);
    const head = base.replace('"CVE-2024-7"', '"CVE-2099-1"').replace('"Severity":"HIGH"', '"Severity":"HIGH"');
    const dir = makeTree({ 'base.json': base, 'head.json': head });
    const { result } = await runGate({ cwd: dir, reports: ['head.json'], vex: [], baseline: 'base.json', config: config() });
    expect(result.remaining.map((f) => f.id)).toEqual(['CVE-2099-1']);
    expect(result.suppressed.filter((s) => s.reason.by === 'baseline')).toHaveLength(99);
    expect(fs.existsSync(path.join(dir, 'head.json'))).toBe(true);
  });
});
