import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventsFromValue } from '../../src/core/gate/json-events.js';
import { SarifAdapter, templateFields } from '../../src/core/gate/formats/sarif.js';
import { ReportError } from '../../src/core/gate/types.js';
import { adapt, corpusReports, countBy, listedFolderCounts, readReport, REPORTS_DIR, type Counts } from './corpus.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const WORDS: Record<string, string> = { critical: 'critical', high: 'high', medium: 'medium', moderate: 'medium', low: 'low', negligible: 'low' };
const LEVELS: Record<string, string> = { error: 'high', warning: 'medium', note: 'low', none: 'unknown' };

/** A plain walk: security-severity, else the "Severity:" line, else the level. */
function expected(doc: any) {
  const severity: Counts = {};
  const kind: Counts = {};
  let fixable = 0;
  let ignored = 0;
  let total = 0;
  for (const run of doc.runs) {
    const rules: any[] = run.tool.driver.rules ?? [];
    const snyk = /^snyk/i.test(run.tool.driver.name);
    for (const r of run.results ?? []) {
      if (r.kind === 'pass' || r.kind === 'notApplicable') continue;
      total++;
      // By id first: real files carry ruleIndex values that do not match their ruleId (see below).
      const rule = rules.find((x) => x.id === r.ruleId) ?? rules[r.ruleIndex];
      const score = Number(r.properties?.['security-severity'] ?? rule?.properties?.['security-severity'] ?? NaN);
      const msg: string = r.message?.text ?? '';
      const help: string = rule?.help?.text ?? '';
      const word = /^Severity: *(\w+)/m.exec(msg)?.[1] ?? /^Severity: *(\w+)/m.exec(help)?.[1];
      let s: string;
      if (score >= 9) s = 'critical';
      else if (score >= 7) s = 'high';
      else if (score >= 4) s = 'medium';
      else if (score > 0) s = 'low';
      else if (word) s = WORDS[word.toLowerCase()] ?? 'unknown';
      else s = LEVELS[r.level ?? rule?.defaultConfiguration?.level ?? 'warning'];
      severity[s] = (severity[s] ?? 0) + 1;
      const tags: string[] = (rule?.properties?.tags ?? []).map((t: string) => t.toLowerCase());
      const k = tags.includes('secret') ? 'secret' : tags.includes('misconfiguration') ? 'misconfiguration' : 'vulnerability';
      kind[k] = (kind[k] ?? 0) + 1;
      let fixText = '';
      if (/^Package:/m.test(msg)) fixText = msg;
      else if (!snyk) fixText = help;
      const fixed = /^(?:Fixed|Fix) Version: *(.*)$/m.exec(fixText)?.[1]?.trim();
      if (k !== 'secret' && ((fixed && fixed !== 'None') || (snyk && (r.fixes ?? []).length > 0))) fixable++;
      const sup: any[] = r.suppressions ?? [];
      // An external suppression without an explicit accepted status is not trusted (see sarif.ts).
      const trusted = sup.some((x) => x.kind !== 'external' || x.status === 'accepted');
      if (trusted && !sup.some((x) => x.status === 'underReview' || x.status === 'rejected')) ignored++;
    }
  }
  return { severity, kind, fixable, ignored, total };
}

describe('SARIF corpus: every listed file, exact counts', () => {
  const reports = corpusReports('sarif');
  let tested = 0;

  it.each(reports.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const text = readReport(r);
    const want = expected(JSON.parse(text));
    const { findings } = adapt('sarif', text, r.rel);
    expect(findings.length).toBe(want.total);
    expect(findings.length).toBe(r.listedFindings);
    expect(countBy(findings, (f) => f.severity)).toEqual(want.severity);
    expect(countBy(findings, (f) => f.kind)).toEqual(want.kind);
    expect(findings.filter((f) => f.fixable).length).toBe(want.fixable);
    expect(findings.filter((f) => f.scannerIgnored).length).toBe(want.ignored);
    tested++;
  });

  it('covered every sarif file in SOURCES.md and on disk', () => {
    expect(tested).toBe(reports.length);
    expect(tested).toBe(listedFolderCounts()['sarif']);
    expect(tested).toBe(fs.readdirSync(path.join(REPORTS_DIR, 'sarif')).length);
  });

  const byName = (name: string) => {
    const r = reports.find((x) => x.name === name)!;
    return adapt('sarif', readReport(r), r.rel);
  };

  it('Trivy SARIF and Trivy JSON of the same scan give the same findings (MariSelvam, 185)', () => {
    const sarif = byName('MariSelvam242__container-security-cicd__trivy-result.sarif');
    const jr = corpusReports('trivy-json').find((x) => x.name === 'MariSelvam242__container-security-cicd__trivy-report.json')!;
    const json = adapt('trivy', readReport(jr), jr.rel);
    const key = (f: { id: string; package?: string; version?: string; fixedVersion?: string }) => `${f.id} ${f.package} ${f.version} ${f.fixedVersion ?? ''}`;
    expect(sarif.findings.map(key).sort()).toEqual(json.findings.map(key).sort());
    expect(sarif.meta.image).toBe('container-security-app');
    expect(sarif.meta.repoDigests).toEqual(json.meta.repoDigests);
    // security-severity is the CVSS score where Trivy has one, so one MEDIUM finding (CVSS 7.x) reads as high.
    expect(countBy(sarif.findings, (f) => f.severity)).toEqual({ critical: 4, high: 20, medium: 63, low: 68, unknown: 30 });
  });

  it('Trivy 0.15 (no security-severity): the "Severity:" line keeps CRITICAL critical; ids without the /package suffix', () => {
    const { findings } = byName('aquasecurity__trivy-sarif-demo__debug-trivy-results.sarif');
    expect(findings[0]).toMatchObject({
      id: 'CVE-2018-14618',
      severity: 'critical',
      package: 'curl',
      version: '7.61.0-r0',
      fixedVersion: '7.61.1-r0',
      fixable: true
    });
    expect(findings.some((f) => f.id.includes('/'))).toBe(false);
  });

  it('Grype SARIF: id from the help template, package and version from the message', () => {
    const { findings } = byName('WhizUs__sbom-meetup__sarif.json');
    expect(findings[0]).toMatchObject({
      id: 'GHSA-69ch-w2m2-3vjp',
      severity: 'high',
      cvss: 7.5,
      package: 'golang.org/x/text',
      version: 'v0.3.5',
      fixedVersion: '0.3.8',
      fixable: true
    });
  });

  it('a ruleIndex that contradicts the ruleId loses to the ruleId (Anchore: 428 of 429, Trivy 0.15: 60 of 124)', () => {
    for (const name of ['aquasecurity__trivy-sarif-demo__results.sarif', 'aquasecurity__trivy-sarif-demo__debug-trivy-results.sarif']) {
      const r = reports.find((x) => x.name === name)!;
      const doc = JSON.parse(readReport(r));
      const rules: any[] = doc.runs[0].tool.driver.rules;
      const wrong = doc.runs[0].results.filter((x: any) => rules[x.ruleIndex].id !== x.ruleId).length;
      expect(wrong).toBeGreaterThan(50);
      const { findings } = adapt('sarif', readReport(r), r.rel);
      findings.forEach((f, i) => {
        const res = doc.runs[0].results[i];
        const help: string = rules.find((x) => x.id === res.ruleId).help.text;
        expect(help.startsWith(`Vulnerability ${f.id}\n`)).toBe(true);
      });
    }
  });

  it('Anchore SARIF: status-less external suppressions on every result are not trusted; "Fix Version: None" is not fixable', () => {
    const { findings } = byName('aquasecurity__trivy-sarif-demo__results.sarif');
    expect(findings.some((f) => f.scannerIgnored)).toBe(false);
    expect(findings[0]).toMatchObject({ id: 'CVE-2019-18276', severity: 'low', package: 'bash', version: '4.3-14ubuntu1.4', fixable: false });
    expect(findings[0].fixedVersion).toBeUndefined();
  });

  it('Snyk SARIF: three runs; package from the logical location, fix from the fix text, CVE aliases', () => {
    const { findings, meta } = byName('abhipost12__docker-swarm-visualizer__snyk.sarif');
    expect(meta.tool).toEqual({ name: 'Snyk Container', version: '1.1293.1' });
    expect(findings[0]).toMatchObject({
      id: 'SNYK-ALPINE315-OPENSSL-2941810',
      aliases: ['CVE-2022-2097'],
      package: 'openssl',
      version: '1.1.1n-r0',
      fixedVersion: '1.1.1q-r0',
      fixable: true,
      target: 'Dockerfile',
      location: { file: 'Dockerfile', line: 1 }
    });
  });

  it('Trivy secret result: title from the rule, nothing from the message (it quotes the match)', () => {
    const { findings } = byName('0GiS0__scan-docker-vulnerabilities__trivy-results.sarif');
    const secret = findings.find((f) => f.kind === 'secret')!;
    expect(secret).toMatchObject({ id: 'private-key', severity: 'high', title: 'Asymmetric Private Key', fixable: false });
    expect(JSON.stringify(secret)).not.toContain('BEGIN');
    expect(secret.package).toBeUndefined();
  });
});

const rule = (id: string, extra: Record<string, unknown> = {}) => ({ id, shortDescription: { text: `rule ${id}` }, ...extra });
const result = (ruleId: string, extra: Record<string, unknown> = {}) => ({
  ruleId,
  message: { text: `found ${ruleId}` },
  locations: [{ physicalLocation: { artifactLocation: { uri: 'src/a.ts' }, region: { startLine: 4 } } }],
  ...extra
});
const sarif = (runs: unknown[]) => ({ version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs });

describe('SARIF adapter', () => {
  it('severity: security-severity bands, then level; level defaults to the rule’s, then warning', () => {
    const doc = sarif([
      {
        tool: {
          driver: {
            name: 'scanner',
            rules: [
              rule('R9', { properties: { 'security-severity': '9.0' } }),
              rule('R7', { properties: { 'security-severity': '7.0' } }),
              rule('R4', { properties: { 'security-severity': '4' } }),
              rule('R1', { properties: { 'security-severity': '0.1' } }),
              rule('R0', { properties: { 'security-severity': '0.0' }, defaultConfiguration: { level: 'note' } }),
              rule('RE', { defaultConfiguration: { level: 'error' } }),
              rule('RN')
            ]
          }
        },
        results: [
          result('R9'),
          result('R7'),
          result('R4'),
          result('R1'),
          result('R0'),
          result('RE'),
          result('RN'),
          result('RN', { level: 'none' }),
          result('RN', { level: 'note', properties: { 'security-severity': '9.8' } })
        ]
      }
    ]);
    const { findings } = adapt('sarif', JSON.stringify(doc));
    expect(findings.map((f) => f.severity)).toEqual(['critical', 'high', 'medium', 'low', 'low', 'high', 'medium', 'unknown', 'critical']);
    expect(findings.map((f) => f.cvss)).toEqual([9, 7, 4, 0.1, undefined, undefined, undefined, undefined, 9.8]);
    expect(findings[0]).toMatchObject({
      id: 'R9',
      kind: 'vulnerability',
      title: 'rule R9',
      target: 'src/a.ts',
      location: { file: 'src/a.ts', line: 4 },
      fixable: false
    });
  });

  it('results before the tool: held for the run, then mapped with the rules', () => {
    const doc = sarif([
      {
        results: [result('R9'), result('R1', { ruleIndex: 1 })],
        tool: {
          driver: {
            name: 'late',
            rules: [rule('R9', { properties: { 'security-severity': '9.5' } }), rule('R1', { properties: { 'security-severity': '2' } })]
          }
        }
      },
      { tool: { driver: { name: 'second', rules: [rule('X', { properties: { tags: ['misconfiguration'] } })] } }, results: [result('X')] }
    ]);
    const adapter = new SarifAdapter('s.sarif');
    const perEvent = [...eventsFromValue(doc, adapter.captures)].map((e) => adapter.onEvent(e).map((f) => f.id));
    // The first run's findings come out when the second run starts; the second run's as they are read.
    expect(perEvent.flat()).toEqual(['R9', 'R1', 'X']);
    const end = adapter.finish();
    expect(end.findings).toEqual([]);
    expect(end.meta.tool).toEqual({ name: 'late' });
    const { findings } = adapt('sarif', JSON.stringify(doc));
    expect(findings.map((f) => [f.id, f.severity, f.kind])).toEqual([
      ['R9', 'critical', 'vulnerability'],
      ['R1', 'low', 'vulnerability'],
      ['X', 'medium', 'misconfiguration']
    ]);
  });

  it('a run whose results are never followed by a tool is flushed by finish()', () => {
    const adapter = new SarifAdapter('s.sarif');
    for (const e of eventsFromValue(sarif([{ results: [result('A')] }]), adapter.captures)) expect(adapter.onEvent(e)).toEqual([]);
    expect(adapter.finish().findings.map((f) => [f.id, f.severity])).toEqual([['A', 'medium']]);
  });

  it('rules from tool extensions, hierarchical rule ids, pass results, suppressions', () => {
    const doc = sarif([
      {
        tool: {
          driver: { name: 'd', rules: [rule('BASE', { properties: { 'security-severity': '7.5' } })] },
          extensions: [{ name: 'ext', rules: [rule('E1', { properties: { 'security-severity': '9.1' } })] }]
        },
        results: [
          result('E1', { rule: { id: 'E1', index: 0, toolComponent: { index: 0 } } }),
          result('BASE/sub'),
          result('BASE', { kind: 'pass' }),
          result('BASE', { suppressions: [{ kind: 'inSource' }] }),
          result('BASE', { suppressions: [{ kind: 'external', status: 'underReview' }] }),
          result('BASE', {
            suppressions: [
              { kind: 'external', status: 'accepted' },
              { kind: 'inSource', status: 'rejected' }
            ]
          })
        ]
      }
    ]);
    const { findings } = adapt('sarif', JSON.stringify(doc));
    expect(findings.map((f) => [f.id, f.severity, f.scannerIgnored ?? false])).toEqual([
      ['E1', 'critical', false],
      ['BASE/sub', 'high', false],
      ['BASE', 'high', true],
      ['BASE', 'high', false],
      ['BASE', 'high', false]
    ]);
  });

  it('image from run properties (Trivy), applied from meta when it follows the results', () => {
    const doc = sarif([
      {
        tool: { driver: { name: 'Trivy', rules: [rule('CVE-1')] } },
        results: [result('CVE-1')],
        properties: { imageName: 'nginx:1.25', repoDigests: ['nginx@sha256:ab'] }
      }
    ]);
    const { findings, meta } = adapt('sarif', JSON.stringify(doc));
    expect(meta).toMatchObject({ image: 'nginx:1.25', repoDigests: ['nginx@sha256:ab'] });
    expect(findings[0].image).toBe('nginx:1.25');
  });

  it('rule indices follow the array even when an entry is not a rule object', () => {
    const doc = sarif([
      {
        tool: { driver: { name: 'd', rules: [null, rule('R1', { properties: { 'security-severity': '9.9' } })] } },
        results: [{ ruleIndex: 1, message: { text: 'no ruleId' } }]
      }
    ]);
    expect(adapt('sarif', JSON.stringify(doc)).findings.map((f) => [f.id, f.severity])).toEqual([['R1', 'critical']]);
  });

  it('template fields: "None" and empty values are no value', () => {
    expect(templateFields('Package: a\nInstalled Version: 1\nFixed Version: \nSeverity: LOW')).toEqual({
      hasPackage: true,
      package: 'a',
      version: '1',
      severity: 'LOW'
    });
    expect(templateFields('Vulnerability X\nPackage: b\nVersion: 2\nFix Version: None')).toEqual({ hasPackage: true, package: 'b', version: '2' });
  });

  it.each([
    ['SARIF 2.0.0', JSON.stringify({ version: '2.0.0', runs: [] }), /SARIF version "2.0.0" is not supported/],
    ['no runs at all', JSON.stringify({ version: '2.1.0' }), /no runs/],
    ['runs not an array', JSON.stringify({ version: '2.1.0', runs: 5 }), /runs: must be an array/],
    [
      'a result without rule',
      JSON.stringify(sarif([{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' } }] }])),
      /runs\[0\]\.results\[0\]: has neither ruleId/
    ],
    ['a result that is not an object', JSON.stringify(sarif([{ tool: { driver: { name: 'x' } }, results: ['r'] }])), /results\[0\]: must be an object/]
  ])('%s is a ReportError', (_name, text, message) => {
    expect(() => adapt('sarif', text)).toThrow(ReportError);
    expect(() => adapt('sarif', text)).toThrow(message);
  });
});
