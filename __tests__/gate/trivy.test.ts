import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventsFromValue } from '../../src/core/gate/json-events.js';
import { TrivyAdapter, captures } from '../../src/core/gate/formats/trivy.js';
import { ReportError } from '../../src/core/gate/types.js';
import { adapt, corpusReports, countBy, listedFolderCounts, readReport, REPORTS_DIR, type Counts } from './corpus.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The expected numbers, from a plain walk over the parsed report (independent of the adapter). */
function expected(doc: any) {
  const severity: Counts = {};
  const kind: Counts = {};
  let fixable = 0;
  let withPurl = 0;
  const ids: string[] = [];
  const bump = (c: Counts, k: string) => (c[k] = (c[k] ?? 0) + 1);
  for (const r of doc.Results ?? []) {
    for (const v of r.Vulnerabilities ?? []) {
      bump(severity, String(v.Severity ?? 'UNKNOWN').toLowerCase());
      bump(kind, 'vulnerability');
      if (v.FixedVersion && (!v.Status || v.Status === 'fixed')) fixable++;
      if (v.PkgIdentifier?.PURL) withPurl++;
      ids.push(v.VulnerabilityID);
    }
    for (const m of r.Misconfigurations ?? []) {
      if (m.Status && m.Status !== 'FAIL') continue;
      bump(severity, String(m.Severity).toLowerCase());
      bump(kind, 'misconfiguration');
      ids.push(m.AVDID ?? m.ID);
    }
    for (const s of r.Secrets ?? []) {
      bump(severity, String(s.Severity).toLowerCase());
      bump(kind, 'secret');
      ids.push(s.RuleID);
    }
  }
  return { severity, kind, fixable, withPurl, ids: ids.sort() };
}

describe('Trivy JSON corpus: every listed file, exact counts', () => {
  const reports = corpusReports('trivy-json');
  let tested = 0;

  it.each(reports.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const text = readReport(r);
    const doc = JSON.parse(text);
    const want = expected(doc);
    const { findings, meta } = adapt('trivy', text, r.rel);
    expect(countBy(findings, (f) => f.severity)).toEqual(want.severity);
    expect(countBy(findings, (f) => f.kind)).toEqual(want.kind);
    expect(findings.filter((f) => f.fixable).length).toBe(want.fixable);
    expect(findings.filter((f) => f.purl).length).toBe(want.withPurl);
    expect(findings.map((f) => f.id).sort()).toEqual(want.ids);
    expect(findings.length).toBe(r.listedFindings);
    expect(meta.image).toBe(doc.ArtifactName);
    expect(meta.repoDigests).toEqual(doc.Metadata?.RepoDigests?.length ? doc.Metadata.RepoDigests : undefined);
    for (const f of findings) {
      expect(f.image).toBe(doc.ArtifactName);
      expect(f.source).toEqual({ format: 'trivy', file: r.rel });
      expect(f.title).not.toBe('');
    }
    tested++;
  });

  it('covered every trivy-json file in SOURCES.md and on disk', () => {
    expect(tested).toBe(reports.length);
    expect(tested).toBe(listedFolderCounts()['trivy-json']);
    expect(tested).toBe(fs.readdirSync(path.join(REPORTS_DIR, 'trivy-json')).length);
    expect(tested).toBeGreaterThan(0);
  });

  it('fsbano: 1000 vulnerabilities, no Status field, fixable from FixedVersion alone', () => {
    const r = reports.find((x) => x.name === 'fsbano__anteather__trivy.json');
    const { findings } = adapt('trivy', readReport(r!), r!.rel);
    expect(findings).toHaveLength(1000);
    expect(countBy(findings, (f) => f.severity)).toEqual({ critical: 3, high: 23, medium: 503, low: 471 });
    expect(findings.filter((f) => f.fixable)).toHaveLength(259);
    expect(findings.every((f) => f.status === undefined)).toBe(true);
  });

  it('maps one vulnerability field by field (alpine-310 golden)', () => {
    const r = reports.find((x) => x.name === 'trivy__alpine-310.json.golden');
    const { findings } = adapt('trivy', readReport(r!), r!.rel);
    expect(findings[0]).toEqual({
      kind: 'vulnerability',
      id: 'CVE-2019-1549',
      aliases: [],
      severity: 'medium',
      cvss: 5.3,
      package: 'libcrypto1.1',
      version: '1.1.1c-r0',
      fixedVersion: '1.1.1d-r0',
      fixable: true,
      purl: 'pkg:apk/alpine/libcrypto1.1@1.1.1c-r0?arch=x86_64&distro=3.10.2',
      status: 'fixed',
      image: 'testdata/fixtures/images/alpine-310.tar.gz',
      target: 'testdata/fixtures/images/alpine-310.tar.gz (alpine 3.10.2)',
      title: 'openssl: information disclosure in fork()',
      layer: 'sha256:03901b4a2ea88eeaad62dbe59b072b28b6efa00491962b8741081c5df50c65e0',
      source: { format: 'trivy', file: 'trivy-json/trivy__alpine-310.json.golden' }
    });
  });
});

const SECRET = 'AKIA' + 'Q3EGRIQ7BKFOQ2XY';

function report(results: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ SchemaVersion: 2, ArtifactName: 'ghcr.io/acme/app:1.0', ArtifactType: 'container_image', ...extra, Results: results });
}

describe('Trivy adapter: misconfigurations, secrets and edge cases', () => {
  it('misconfigurations: only FAIL (or no Status) counts; id AVDID with ID as alias; location from CauseMetadata', () => {
    const text = report([
      {
        Target: 'Dockerfile',
        Class: 'config',
        Type: 'dockerfile',
        Misconfigurations: [
          {
            ID: 'DS002',
            AVDID: 'AVD-DS-0002',
            Title: 'Image user should not be root',
            Severity: 'HIGH',
            Status: 'FAIL',
            CauseMetadata: { StartLine: 7, EndLine: 7 }
          },
          { ID: 'DS001', AVDID: 'AVD-DS-0001', Title: ':latest tag used', Severity: 'MEDIUM', Status: 'PASS' },
          { ID: 'DS005', AVDID: 'AVD-DS-0005', Title: 'ADD instead of COPY', Severity: 'LOW', Status: 'EXCEPTION' },
          { ID: 'DS026', Message: 'Add HEALTHCHECK instruction in your Dockerfile', Severity: 'LOW' }
        ]
      }
    ]);
    const { findings } = adapt('trivy', text);
    expect(findings.map((f) => [f.kind, f.id, f.aliases, f.severity, f.location, f.title])).toEqual([
      ['misconfiguration', 'AVD-DS-0002', ['DS002'], 'high', { file: 'Dockerfile', line: 7 }, 'Image user should not be root'],
      ['misconfiguration', 'DS026', [], 'low', { file: 'Dockerfile' }, 'Add HEALTHCHECK instruction in your Dockerfile']
    ]);
    expect(findings.every((f) => !f.fixable)).toBe(true);
  });

  it('secrets: RuleID, Title, StartLine; Match and Code are never copied', () => {
    const text = report([
      {
        Target: '/app/config.env',
        Class: 'secret',
        Secrets: [
          {
            RuleID: 'aws-access-key-id',
            Category: 'AWS',
            Severity: 'CRITICAL',
            Title: 'AWS Access Key ID',
            StartLine: 3,
            EndLine: 3,
            Code: { Lines: [{ Number: 3, Content: `AWS_KEY=${SECRET}`, IsCause: true }] },
            Match: `AWS_KEY=${SECRET}`,
            Layer: { DiffID: 'sha256:abc' }
          }
        ]
      }
    ]);
    const { findings } = adapt('trivy', text);
    expect(findings).toEqual([
      {
        kind: 'secret',
        id: 'aws-access-key-id',
        aliases: [],
        severity: 'critical',
        fixable: false,
        image: 'ghcr.io/acme/app:1.0',
        target: '/app/config.env',
        title: 'AWS Access Key ID',
        location: { file: '/app/config.env', line: 3 },
        layer: 'sha256:abc',
        source: { format: 'trivy', file: 'report.json' }
      }
    ]);
    expect(JSON.stringify(findings)).not.toContain(SECRET);
    expect(JSON.stringify(findings)).not.toContain('AKIA');
  });

  it('CVSS: highest V3Score over vendors, else highest V2Score, else V40Score', () => {
    const v = (id: string, CVSS: unknown) => ({ VulnerabilityID: id, PkgName: 'p', InstalledVersion: '1', Severity: 'HIGH', CVSS });
    const text = report([
      {
        Target: 't',
        Vulnerabilities: [
          v('CVE-1', { nvd: { V2Score: 9.3, V3Score: 7.5 }, redhat: { V3Score: 8.1 } }),
          v('CVE-2', { nvd: { V2Score: 5 }, redhat: { V2Score: 6.8 } }),
          v('CVE-3', { ghsa: { V40Score: 8.7 } }),
          v('CVE-4', undefined)
        ]
      }
    ]);
    expect(adapt('trivy', text).findings.map((f) => f.cvss)).toEqual([8.1, 6.8, 8.7, undefined]);
  });

  it('fixable needs a FixedVersion and a Status of fixed (or none); VendorIDs are aliases; PkgPath is the location', () => {
    const v = (extra: Record<string, unknown>) => ({ VulnerabilityID: 'CVE-2024-1', PkgName: 'p', InstalledVersion: '1', Severity: 'LOW', ...extra });
    const text = report([
      {
        Target: 'Node.js',
        Vulnerabilities: [
          v({ FixedVersion: '2', Status: 'fixed', VendorIDs: ['DSA-1', 'DSA-1', 'CVE-2024-1'] }),
          v({ FixedVersion: '2' }),
          v({ FixedVersion: '2', Status: 'will_not_fix' }),
          v({ Status: 'affected', PkgPath: 'usr/lib/node_modules/p/package.json' }),
          v({ FixedVersion: '', Status: 'fixed' })
        ]
      }
    ]);
    const fs = adapt('trivy', text).findings;
    expect(fs.map((f) => f.fixable)).toEqual([true, true, false, false, false]);
    expect(fs[0].aliases).toEqual(['DSA-1']);
    expect(fs[3].location).toEqual({ file: 'usr/lib/node_modules/p/package.json' });
    expect(fs.map((f) => f.target)).toEqual(Array(5).fill('Node.js'));
  });

  it('each Result sets its own target; a filesystem scan has no image', () => {
    const text = JSON.stringify({
      SchemaVersion: 2,
      ArtifactName: '.',
      ArtifactType: 'filesystem',
      Results: [
        { Target: 'package-lock.json', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'LOW' }] },
        { Target: 'go.sum', Vulnerabilities: [{ VulnerabilityID: 'CVE-2', Severity: 'UNKNOWN' }] }
      ]
    });
    const { findings, meta } = adapt('trivy', text);
    expect(findings.map((f) => [f.id, f.target, f.image, f.severity])).toEqual([
      ['CVE-1', 'package-lock.json', undefined, 'low'],
      ['CVE-2', 'go.sum', undefined, 'unknown']
    ]);
    expect(meta.image).toBeUndefined();
  });

  it.each([
    ['SchemaVersion 1', JSON.stringify({ SchemaVersion: 1, Results: [] }), /SchemaVersion 1 is not supported/],
    ['no SchemaVersion', JSON.stringify({ ArtifactName: 'x', Results: [] }), /SchemaVersion is missing/],
    ['Results not an array', JSON.stringify({ SchemaVersion: 2, Results: 'none' }), /Results: must be an array/],
    [
      'Vulnerabilities not an array',
      JSON.stringify({ SchemaVersion: 2, Results: [{ Target: 't', Vulnerabilities: 3 }] }),
      /Results\[0\]\.Vulnerabilities: must be an array/
    ],
    [
      'a vulnerability without id',
      report([{ Target: 't', Vulnerabilities: [{ PkgName: 'x' }] }]),
      /Results\[0\]\.Vulnerabilities\[0\]: VulnerabilityID is missing/
    ],
    ['a vulnerability that is not an object', report([{ Target: 't', Vulnerabilities: ['CVE-1'] }]), /must be an object/]
  ])('%s is a ReportError naming the file', (_name, text, message) => {
    let err: unknown;
    try {
      adapt('trivy', text, 'scan.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).file).toBe('scan.json');
    expect((err as ReportError).message).toMatch(message);
  });

  it('streams: findings come out event by event, and the exported captures are the adapter’s', () => {
    const adapter = new TrivyAdapter('r.json');
    expect(adapter.captures).toBe(captures);
    const per: number[] = [];
    for (const e of eventsFromValue(
      JSON.parse(report([{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1' }, { VulnerabilityID: 'CVE-2' }] }])),
      captures
    ))
      per.push(adapter.onEvent(e).length);
    expect(per.filter((n) => n === 1)).toHaveLength(2);
    expect(adapter.finish().findings).toEqual([]);
  });
});
