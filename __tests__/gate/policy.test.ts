import { describe, expect, it } from '@jest/globals';
import { baselineKey, DEFAULT_SETTINGS, Gate, toFinding, type GatePolicy, type PolicySettings } from '../../src/core/gate/policy.js';
import type { IgnoreRule, ScanFinding, VexStatement } from '../../src/core/gate/types.js';

const NOW = new Date('2026-06-15T10:00:00Z');

function vuln(id: string, severity: ScanFinding['severity'], extra: Partial<ScanFinding> = {}): ScanFinding {
  return {
    kind: 'vulnerability',
    id,
    aliases: [],
    severity,
    package: 'openssl',
    version: '3.0.1',
    fixable: false,
    title: 't',
    image: 'app:1',
    source: { format: 'trivy', file: 'r.json' },
    ...extra
  };
}
const rule = (id: string, extra: Partial<IgnoreRule> = {}): IgnoreRule => ({
  id,
  reason: 'accepted',
  source: { file: '.container-guard.yml', line: 7 },
  ...extra
});
// A minimal matcher for these tables; the real one (vex/match.ts) has its own tests.
const vexById = (f: ScanFinding, sts: VexStatement[]) => sts.find((s) => s.vulnerability === f.id);

function run(findings: ScanFinding[], settings: Partial<PolicySettings> = {}, policy: Partial<GatePolicy> = {}) {
  const gate = new Gate({ settings: { ...DEFAULT_SETTINGS, ...settings }, overrides: [], ignores: [], vex: [], ...policy }, vexById, NOW);
  for (const f of findings) gate.add(f);
  return gate.finish();
}

describe('thresholds', () => {
  const fs = [vuln('CVE-1', 'critical'), vuln('CVE-2', 'high'), vuln('CVE-3', 'medium'), vuln('CVE-4', 'low')];
  it.each([
    [{ failOn: 'critical' }, false, /fail-on critical: 1 finding/],
    [{ failOn: 'high' }, false, /fail-on high: 2 finding/],
    [{ failOn: 'low' }, false, /fail-on low: 4 finding/],
    [{ failOn: 'none' }, true, /passed: 4 finding/],
    [{ failOn: 'none', max: { critical: 1, high: 1 } }, true, /passed/],
    [{ failOn: 'none', max: { high: 0 } }, false, /max high: 1, allowed 0/],
    [{ failOn: 'none', maxCvss: 7 }, true, /passed/]
  ] as [Partial<PolicySettings>, boolean, RegExp][])('%j', (settings, passed, reason) => {
    const r = run(fs, settings);
    expect(r.passed).toBe(passed);
    expect(r.reason).toMatch(reason);
  });
  it('max-cvss names the highest finding', () => {
    const r = run([vuln('CVE-1', 'high', { cvss: 7.5 }), vuln('CVE-2', 'medium', { cvss: 9.1, package: 'zlib' })], { failOn: 'none', maxCvss: 7 });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/max-cvss 7: 2 finding\(s\) above it, highest CVE-2 in zlib 3\.0\.1 \(app:1\) with CVSS 9\.1/);
  });
});

describe('de-duplication by (vulnerability, package, version, image)', () => {
  it('merges the same finding from two scanners, keeping aliases, the higher CVSS and a known fix', () => {
    const r = run(
      [
        vuln('CVE-1', 'medium', { cvss: 5, source: { format: 'trivy', file: 'a' } }),
        vuln('CVE-1', 'high', { cvss: 7.5, aliases: ['GHSA-x'], fixable: true, fixedVersion: '3.0.2', source: { format: 'grype', file: 'b' } }),
        vuln('CVE-1', 'high', { image: 'other:1' })
      ],
      { failOn: 'none' }
    );
    expect(r.counts.before.high).toBe(2);
    expect(r.remaining[0]).toMatchObject({ id: 'CVE-1', severity: 'high', cvss: 7.5, aliases: ['GHSA-x'], fixable: true, fixedVersion: '3.0.2' });
  });
});

describe('suppression', () => {
  it.each([
    [
      'only-fixable drops findings without a fix',
      [vuln('CVE-1', 'critical'), vuln('CVE-2', 'high', { fixable: true, fixedVersion: '2' })],
      { failOn: 'critical', onlyFixable: true },
      {},
      true,
      'not-fixable'
    ],
    ['an ignore with a future date hides', [vuln('CVE-1', 'critical')], {}, { ignores: [rule('CVE-1', { until: '2026-06-15' })] }, true, 'ignore'],
    ['an ignore matches by alias', [vuln('GHSA-abc', 'critical', { aliases: ['CVE-9'] })], {}, { ignores: [rule('cve-9')] }, true, 'ignore'],
    [
      'an ignore limited to another package does not hide',
      [vuln('CVE-1', 'critical')],
      {},
      { ignores: [rule('CVE-1', { package: 'zlib' })] },
      false,
      undefined
    ],
    [
      'an ignore limited by image glob',
      [vuln('CVE-1', 'critical', { image: 'ghcr.io/acme/api:2' })],
      {},
      { ignores: [rule('CVE-1', { image: 'ghcr.io/acme/*' })] },
      true,
      'ignore'
    ],
    ['VEX not_affected suppresses', [vuln('CVE-1', 'critical')], {}, { vex: [vexStatement('CVE-1', 'not_affected')] }, true, 'vex'],
    ['VEX affected does not', [vuln('CVE-1', 'critical')], {}, { vex: [vexStatement('CVE-1', 'affected')] }, false, undefined],
    ['scanner-ignored matches stay suppressed', [vuln('CVE-1', 'critical', { scannerIgnored: true })], {}, {}, true, 'scanner'],
    ['kinds limit what counts', [vuln('AVD-DS-0002', 'critical', { kind: 'misconfiguration' })], { kinds: ['vulnerability'] }, {}, true, 'kind']
  ] as [string, ScanFinding[], Partial<PolicySettings>, Partial<GatePolicy>, boolean, string | undefined][])('%s', (_n, fs, settings, policy, passed, by) => {
    const r = run(fs, settings, policy);
    expect(r.passed).toBe(passed);
    if (by) expect(r.suppressed.map((s) => s.reason.by)).toContain(by);
  });

  it('an expired ignore stops hiding and fails loudly with its id and date', () => {
    const r = run([vuln('CVE-1', 'low')], { failOn: 'critical' }, { ignores: [rule('CVE-1', { until: '2026-06-14' })] });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/expired ignore: CVE-1 expired on 2026-06-14 \(\.container-guard\.yml:7\)/);
    expect(r.remaining.map((f) => f.id)).toEqual(['CVE-1']);
  });

  it('an ignore that matched nothing is reported, and does not fail', () => {
    const r = run([vuln('CVE-1', 'low')], {}, { ignores: [rule('CVE-404')] });
    expect(r.passed).toBe(true);
    expect(r.unusedIgnores.map((i) => i.id)).toEqual(['CVE-404']);
  });
});

describe('baseline (new-only)', () => {
  it('fails only on what the change adds; a version bump of a known finding is not new', () => {
    const baseline = new Set([baselineKey(vuln('CVE-1', 'critical'))]);
    const r = run([vuln('CVE-1', 'critical', { version: '3.0.5' }), vuln('CVE-2', 'critical')], { failOn: 'critical' }, { baseline });
    expect(r.passed).toBe(false);
    expect(r.remaining.map((f) => f.id)).toEqual(['CVE-2']);
    expect(r.suppressed.map((s) => `${s.finding.id}:${s.reason.by}`)).toEqual(['CVE-1:baseline']);
  });
});

describe('per-image overrides', () => {
  it('a legacy image may be judged more leniently, and the reason says which override failed', () => {
    const overrides = [{ images: ['legacy/*'], settings: { failOn: 'critical' as const } }];
    const ok = run([vuln('CVE-1', 'high', { image: 'legacy/app:1' })], { failOn: 'high' }, { overrides });
    expect(ok.passed).toBe(true);
    const bad = run([vuln('CVE-1', 'critical', { image: 'legacy/app:1' })], { failOn: 'high' }, { overrides });
    expect(bad.reason).toMatch(/fail-on critical \(image override for legacy\/app:1\)/);
  });
});

describe('output order and the shared Finding shape', () => {
  it('most severe first, fixable first within a severity', () => {
    const r = run([vuln('CVE-3', 'high'), vuln('CVE-1', 'low'), vuln('CVE-2', 'high', { fixable: true, fixedVersion: '9' }), vuln('CVE-4', 'critical')], {
      failOn: 'none'
    });
    expect(r.remaining.map((f) => f.id)).toEqual(['CVE-4', 'CVE-2', 'CVE-3', 'CVE-1']);
  });
  it('maps to Finding with severity buckets and a docs link', () => {
    const f = toFinding(vuln('CVE-2024-1234', 'high', { cvss: 7.5, fixable: true, fixedVersion: '3.0.2' }));
    expect(f).toMatchObject({
      ruleId: 'CVE-2024-1234',
      severity: 'error',
      tool: 'gate',
      file: 'r.json',
      help: 'https://nvd.nist.gov/vuln/detail/CVE-2024-1234'
    });
    expect(f.message).toBe('[HIGH, CVSS 7.5] CVE-2024-1234 in openssl 3.0.1 (app:1): t; fixed in 3.0.2');
  });
});

function vexStatement(vulnerability: string, status: VexStatement['status']): VexStatement {
  return {
    vulnerability,
    aliases: [],
    products: [],
    subcomponents: [],
    status,
    justification: 'vulnerable_code_not_present',
    source: { format: 'openvex', file: 'vex.json' }
  };
}
