/** `container-guard gate` (the bundled CLI) and the bundled gate action on real scanner reports. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';
import { makeTree } from '../helpers/fixtures.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/index.js');
const REPORTS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'scanner-reports');
const TRIVY = path.join(REPORTS, 'trivy-json/trivy__alpine-310.json.golden');
const TRIVY_BIG = path.join(REPORTS, 'trivy-json/fsbano__anteather__trivy.json');
const GRYPE_BIG = path.join(REPORTS, 'grype-json/fsbano__anteather__grype.json');

function gate(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'gate', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Independent count: a plain walk of the Trivy JSON. */
function trivyCounts(file: string): Record<string, number> {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    Results?: { Vulnerabilities?: { VulnerabilityID: string; PkgName: string; InstalledVersion: string; Severity: string }[] }[];
  };
  const seen = new Set<string>();
  const counts: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  for (const r of data.Results ?? [])
    for (const v of r.Vulnerabilities ?? []) {
      const key = `${v.VulnerabilityID}|${v.PkgName}|${v.InstalledVersion}`;
      if (seen.has(key)) continue;
      seen.add(key);
      counts[v.Severity.toLowerCase()]++;
    }
  return counts;
}

describe('container-guard gate', () => {
  it('JSON output has exact counts and exits 1 when the threshold is crossed', () => {
    const r = gate(REPO_ROOT, '--report', TRIVY_BIG, '--fail-on', 'high', '--format', 'json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { passed: boolean; reason: string; counts: { before: Record<string, number> }; findings: unknown[] };
    expect(out.passed).toBe(false);
    expect(out.counts.before).toEqual(trivyCounts(TRIVY_BIG));
    expect(out.findings).toHaveLength(Object.values(trivyCounts(TRIVY_BIG)).reduce((a, b) => a + b, 0));
    expect(out.reason).toMatch(/^fail-on high: \d+ finding\(s\) at or above high, e\.g\. CVE-/);
  });

  it('passes (exit 0) when nothing reaches the threshold', () => {
    const r = gate(REPO_ROOT, '-r', TRIVY, '--fail-on', 'high');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASSED/);
  });

  it('merges two scanners on the same image without counting shared findings twice', () => {
    const one = JSON.parse(gate(REPO_ROOT, '-r', TRIVY_BIG, '--fail-on', 'none', '--format', 'json').stdout) as { findings: unknown[] };
    const both = JSON.parse(gate(REPO_ROOT, '-r', TRIVY_BIG, '-r', GRYPE_BIG, '-r', TRIVY_BIG, '--fail-on', 'none', '--format', 'json').stdout) as {
      findings: unknown[];
    };
    expect(both.findings.length).toBeGreaterThan(one.findings.length);
    expect(both.findings.length).toBeLessThan(one.findings.length + 922);
  });

  it('policy from the config: ignores with expiry, only-fixable, and an unused ignore', () => {
    const dir = makeTree({
      '.container-guard.yml':
        'gate:\n  fail-on: medium\n  ignores:\n    - id: CVE-2019-1549\n      until: 2099-01-01\n      reason: accepted risk\n    - id: CVE-0000-0001\n      reason: stale\n'
    });
    const out = JSON.parse(gate(dir, '-r', TRIVY, '--format', 'json').stdout) as {
      passed: boolean;
      suppressed: { ruleId: string; reason: string }[];
      unusedIgnores: { id: string; source: string }[];
    };
    expect(out.passed).toBe(false);
    expect(out.suppressed.map((s) => s.ruleId)).toEqual(['CVE-2019-1549', 'CVE-2019-1549']);
    expect(out.unusedIgnores).toEqual([{ id: 'CVE-0000-0001', source: '.container-guard.yml:7' }]);
    const expired = makeTree({
      '.container-guard.yml': 'gate:\n  fail-on: none\n  ignores:\n    - id: CVE-2019-1549\n      until: 2020-01-01\n      reason: old\n'
    });
    const r = gate(expired, '-r', TRIVY);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/expired ignore: CVE-2019-1549 expired on 2020-01-01 \(\.container-guard\.yml:4\)/);
  });

  it('VEX and ignores from the bundled example config; paths in the config are relative to it', () => {
    for (const [cwd, args] of [
      [REPO_ROOT, ['-r', 'examples/gate/trivy-api.json', '-c', 'examples/.container-guard.yml']],
      [path.join(REPO_ROOT, 'examples'), ['-r', 'gate/trivy-api.json']]
    ] as const) {
      const r = gate(cwd, ...args, '--format', 'json');
      expect(r.code).toBe(1);
      const out = JSON.parse(r.stdout) as { reason: string; findings: { ruleId: string }[]; suppressed: { ruleId: string; reason: string }[] };
      expect(out.findings.map((f) => f.ruleId)).toEqual(['CVE-2024-45490']);
      expect(out.suppressed.map((s) => `${s.ruleId} ${s.reason.split(':')[0]}`).sort()).toEqual([
        'CVE-2011-3374 not-fixable',
        'CVE-2023-4039 not-fixable',
        'CVE-2023-50495 ignore',
        'CVE-2024-2961 vex'
      ]);
    }
  });

  it('sarif output is SARIF 2.1.0', () => {
    const r = gate(REPO_ROOT, '-r', TRIVY, '--format', 'sarif', '--fail-on', 'none');
    const log = JSON.parse(r.stdout) as { version: string; runs: { results: unknown[] }[] };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(4);
  });
});

describe('reports that cannot be trusted are exit 2 with the file name, never a pass', () => {
  const text = fs.readFileSync(TRIVY, 'utf8');
  it.each([
    ['empty', '', /empty file/],
    ['truncated', text.slice(0, Math.floor(text.length / 2)), /truncated or corrupt/],
    ['truncated at the last byte', text.trimEnd().slice(0, -1), /truncated or corrupt/],
    ['unknown format', '{"hello": [1, 2, 3]}', /unknown report format/],
    ['not JSON', 'Total: 3 (HIGH: 1)\n', /unknown report format|not a JSON/],
    ['legacy Trivy list format', '[{"Target": "x", "Vulnerabilities": []}]', /legacy|SchemaVersion|unknown/],
    ['wrong types', text.replace('"Vulnerabilities": [', '"Vulnerabilities": {"x": ').replace(/\]\s*\}\s*\]\s*\}\s*$/, '}}]}'), /./]
  ])('%s', (_n, content, message) => {
    const dir = makeTree({ 'report.json': content });
    const r = gate(dir, '-r', 'report.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.json/);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing report and a VEX given as a report are exit 2', () => {
    expect(gate(REPO_ROOT, '-r', 'nope.json').stderr).toMatch(/nope\.json: no report file matches/);
    const r = gate(REPO_ROOT, '-r', path.join(REPORTS, 'vex/kzantow-anchore__scan-action-test__vex.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is an OpenVEX document, not a scanner report/);
  });
});

describe('gate action (bundled)', () => {
  it('fails with the exact rule, writes outputs, findings, SARIF and the summary', () => {
    const ws = makeTree({ 'trivy.json': fs.readFileSync(TRIVY_BIG) });
    const output = path.join(ws, 'out.txt');
    const summary = path.join(ws, 'summary.md');
    fs.writeFileSync(output, '');
    fs.writeFileSync(summary, '');
    const env = {
      PATH: process.env.PATH ?? '',
      GITHUB_WORKSPACE: ws,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      INPUT_REPORTS: 'trivy.json',
      'INPUT_FAIL-ON': 'critical',
      'INPUT_FINDINGS-FILE': 'f.json',
      'INPUT_SARIF-FILE': 'g.sarif',
      'INPUT_ONLY-FIXABLE': 'true'
    };
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist/gate/index.js')], { cwd: ws, env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/::error::gate failed: fail-on critical: \d+ finding/);
    const outputs = fs.readFileSync(output, 'utf8');
    expect(outputs).toMatch(/passed<<\S+\nfalse\n/);
    const findings = JSON.parse(fs.readFileSync(path.join(ws, 'f.json'), 'utf8')) as { findings: { tool: string }[]; summary: { passed: boolean } };
    expect(findings.summary.passed).toBe(false);
    expect(findings.findings.every((f) => f.tool === 'gate')).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(ws, 'g.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(fs.readFileSync(summary, 'utf8')).toMatch(/container-guard gate: ❌ failed/);
  });
});
