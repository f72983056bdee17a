import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventsFromValue } from '../../src/core/gate/json-events.js';
import { GrypeAdapter } from '../../src/core/gate/formats/grype.js';
import { ReportError } from '../../src/core/gate/types.js';
import { adapt, corpusReports, countBy, listedFolderCounts, readReport, REPORTS_DIR, type Counts } from './corpus.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SEVERITY: Record<string, string> = { Critical: 'critical', High: 'high', Medium: 'medium', Low: 'low', Negligible: 'low', Unknown: 'unknown' };

function expected(doc: any) {
  const severity: Counts = {};
  let fixable = 0;
  let ignored = 0;
  const ids: string[] = [];
  const all = [...(doc.matches ?? []).map((m: any) => [m, false]), ...(doc.ignoredMatches ?? []).map((m: any) => [m, true])];
  for (const [m, isIgnored] of all) {
    const s = SEVERITY[m.vulnerability.severity];
    severity[s] = (severity[s] ?? 0) + 1;
    if (m.vulnerability.fix?.state === 'fixed' && (m.vulnerability.fix.versions ?? []).length > 0) fixable++;
    if (isIgnored) ignored++;
    ids.push(m.vulnerability.id);
  }
  const image = doc.source?.type === 'image' ? doc.source.target.userInput : undefined;
  return { severity, fixable, ignored, ids: ids.sort(), image };
}

describe('Grype JSON corpus: every listed file, exact counts', () => {
  const reports = corpusReports('grype-json');
  let tested = 0;

  it.each(reports.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const text = readReport(r);
    const doc = JSON.parse(text);
    const want = expected(doc);
    const { findings, meta } = adapt('grype', text, r.rel);
    expect(countBy(findings, (f) => f.severity)).toEqual(want.severity);
    expect(findings.filter((f) => f.fixable).length).toBe(want.fixable);
    expect(findings.filter((f) => f.scannerIgnored).length).toBe(want.ignored);
    expect(findings.map((f) => f.id).sort()).toEqual(want.ids);
    expect(findings.length).toBe(r.listedFindings);
    expect(findings.every((f) => f.kind === 'vulnerability')).toBe(true);
    expect(meta.image).toBe(want.image);
    expect(meta.tool).toEqual({ name: 'grype', version: doc.descriptor.version });
    // The image is only known at the end (source follows matches): applied from meta.
    for (const f of findings) expect(f.image).toBe(want.image);
    tested++;
  });

  it('covered every grype-json file in SOURCES.md and on disk', () => {
    expect(tested).toBe(reports.length);
    expect(tested).toBe(listedFolderCounts()['grype-json']);
    expect(tested).toBe(fs.readdirSync(path.join(REPORTS_DIR, 'grype-json')).length);
  });

  it('Negligible counts as low (metalstormbass: 90 negligible + 77 low)', () => {
    const r = reports.find((x) => x.name === 'metalstormbass__cgvulnreport__grype.json')!;
    const { findings } = adapt('grype', readReport(r), r.rel);
    expect(countBy(findings, (f) => f.severity)).toEqual({ critical: 3, high: 70, medium: 167, low: 167 });
  });

  it('maps one match field by field (Sput, directory source: no image)', () => {
    const r = reports.find((x) => x.name === 'Sput__doc-rag__grype-results.json')!;
    const { findings, meta } = adapt('grype', readReport(r), r.rel);
    expect(meta.image).toBeUndefined();
    expect(findings[0]).toEqual({
      kind: 'vulnerability',
      id: 'GHSA-cx63-2mw6-8hw5',
      aliases: ['CVE-2024-6345'],
      severity: 'high',
      cvss: 8.8,
      package: 'setuptools',
      version: '63.2.0',
      fixedVersion: '70.0.0',
      fixable: true,
      purl: 'pkg:pypi/setuptools@63.2.0',
      status: 'fixed',
      target: '/services/docling-worker/.venv/lib/python3.10/site-packages/setuptools-63.2.0.dist-info/METADATA',
      title: 'setuptools vulnerable to Command Injection via package URL',
      source: { format: 'grype', file: 'grype-json/Sput__doc-rag__grype-results.json' }
    });
  });
});

function match(id: string, extra: { severity?: string; fix?: unknown; related?: unknown[]; cvss?: unknown[] } = {}) {
  return {
    vulnerability: { id, severity: extra.severity ?? 'High', cvss: extra.cvss ?? [], fix: extra.fix ?? { versions: [], state: 'not-fixed' } },
    relatedVulnerabilities: extra.related ?? [],
    artifact: {
      name: 'openssl',
      version: '3.0.1',
      type: 'deb',
      purl: 'pkg:deb/debian/openssl@3.0.1',
      locations: [{ path: '/var/lib/dpkg/status', layerID: 'sha256:l1' }]
    }
  };
}

describe('Grype adapter', () => {
  it('ignoredMatches are findings with scannerIgnored', () => {
    const text = JSON.stringify({
      matches: [match('CVE-2024-1')],
      ignoredMatches: [{ ...match('CVE-2024-2'), appliedIgnoreRules: [{ vulnerability: 'CVE-2024-2' }] }],
      source: { type: 'image', target: { userInput: 'debian:12' } },
      descriptor: { name: 'grype', version: '0.80.0' }
    });
    const { findings } = adapt('grype', text);
    expect(findings.map((f) => [f.id, f.scannerIgnored ?? false, f.image])).toEqual([
      ['CVE-2024-1', false, 'debian:12'],
      ['CVE-2024-2', true, 'debian:12']
    ]);
  });

  it('the image arrives after the matches: findings stream without it and finish() returns it in meta', () => {
    const doc = { matches: [match('CVE-2024-1')], source: { type: 'image', target: { userInput: 'debian:12', repoDigests: ['debian@sha256:aa'] } } };
    const adapter = new GrypeAdapter('g.json');
    const streamed = [...eventsFromValue(doc, adapter.captures)].flatMap((e) => adapter.onEvent(e));
    expect(streamed.map((f) => f.image)).toEqual([undefined]);
    expect(adapter.finish().meta).toMatchObject({ image: 'debian:12', repoDigests: ['debian@sha256:aa'] });
  });

  it('when source comes first, findings carry the image directly', () => {
    const doc = { source: { type: 'image', target: { userInput: 'debian:12' } }, matches: [match('CVE-2024-1')] };
    const adapter = new GrypeAdapter('g.json');
    const streamed = [...eventsFromValue(doc, adapter.captures)].flatMap((e) => adapter.onEvent(e));
    expect(streamed[0].image).toBe('debian:12');
  });

  it('CVSS prefers v3 over related entries, then v2; related ids are aliases; fix states', () => {
    const text = JSON.stringify({
      matches: [
        match('GHSA-aaaa-bbbb-cccc', {
          cvss: [{ version: '3.1', metrics: { baseScore: 7.5 } }],
          related: [
            {
              id: 'CVE-2024-9',
              cvss: [
                { version: '2.0', metrics: { baseScore: 9.3 } },
                { version: '3.0', metrics: { baseScore: 8.1 } }
              ]
            },
            { id: 'GHSA-aaaa-bbbb-cccc' }
          ],
          fix: { versions: ['3.0.2', '3.1.0'], state: 'fixed' }
        }),
        match('CVE-2024-8', { related: [{ id: 'CVE-2024-8', cvss: [{ version: '2.0', metrics: { baseScore: 5 } }] }], fix: { versions: [], state: 'fixed' } }),
        match('CVE-2024-7', { severity: 'Negligible', fix: { versions: ['1'], state: 'wont-fix' } }),
        match('CVE-2024-6', { severity: 'Unknown', fix: { versions: [], state: '' } })
      ],
      source: { type: 'directory', target: '.' }
    });
    const fs = adapt('grype', text).findings;
    expect(fs.map((f) => [f.id, f.aliases, f.cvss, f.severity, f.fixable, f.fixedVersion, f.status])).toEqual([
      ['GHSA-aaaa-bbbb-cccc', ['CVE-2024-9'], 8.1, 'high', true, '3.0.2, 3.1.0', 'fixed'],
      ['CVE-2024-8', [], 5, 'high', false, undefined, 'fixed'],
      ['CVE-2024-7', [], undefined, 'low', false, '1', 'wont-fix'],
      ['CVE-2024-6', [], undefined, 'unknown', false, undefined, undefined]
    ]);
    expect(fs[0]).toMatchObject({ target: '/var/lib/dpkg/status', layer: 'sha256:l1', title: 'GHSA-aaaa-bbbb-cccc in openssl' });
  });

  it.each([
    ['matches not an array', JSON.stringify({ matches: 'x' }), /matches: must be an array/],
    ['a match without vulnerability', JSON.stringify({ matches: [{ artifact: {} }] }), /matches\[0\]: has no vulnerability object/],
    ['a vulnerability without id', JSON.stringify({ matches: [{ vulnerability: { severity: 'High' } }] }), /matches\[0\]\.vulnerability: id is missing/],
    ['nothing Grype-like at all', JSON.stringify({ hello: 1 }), /not a Grype JSON report/]
  ])('%s is a ReportError', (_name, text, message) => {
    expect(() => adapt('grype', text, 'g.json')).toThrow(ReportError);
    expect(() => adapt('grype', text, 'g.json')).toThrow(message);
  });
});
