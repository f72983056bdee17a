import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { snykImage } from '../../src/core/gate/formats/snyk.js';
import { ReportError } from '../../src/core/gate/types.js';
import { adapt, corpusReports, countBy, listedFolderCounts, readReport, REPORTS_DIR, type Counts } from './corpus.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

function expected(doc: any) {
  const projects = Array.isArray(doc) ? doc : [doc];
  const severity: Counts = {};
  let fixable = 0;
  const ids: string[] = [];
  for (const p of projects)
    for (const v of p.vulnerabilities ?? []) {
      severity[v.severity] = (severity[v.severity] ?? 0) + 1;
      if ((v.fixedIn ?? []).length > 0) fixable++;
      ids.push(v.id);
    }
  return { severity, fixable, ids: ids.sort() };
}

describe('Snyk JSON corpus: every listed file, exact counts', () => {
  const reports = corpusReports('snyk-json');
  let tested = 0;

  it.each(reports.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const text = readReport(r);
    const want = expected(JSON.parse(text));
    const { findings } = adapt('snyk', text, r.rel);
    expect(countBy(findings, (f) => f.severity)).toEqual(want.severity);
    expect(findings.filter((f) => f.fixable).length).toBe(want.fixable);
    expect(findings.map((f) => f.id).sort()).toEqual(want.ids);
    expect(findings.length).toBe(r.listedFindings);
    tested++;
  });

  it('covered every snyk-json file in SOURCES.md and on disk', () => {
    expect(tested).toBe(reports.length);
    expect(tested).toBe(listedFolderCounts()['snyk-json']);
    expect(tested).toBe(fs.readdirSync(path.join(REPORTS_DIR, 'snyk-json')).length);
  });

  it('cyber-dojo: one finding per dependency path, identical ones for the policy to merge; image from projectName', () => {
    const r = reports.find((x) => x.name === 'cyber-dojo__creator__snyk.json')!;
    const { findings, meta } = adapt('snyk', readReport(r), r.rel);
    expect(meta.image).toBe('cyberdojo/creator');
    expect(findings[0]).toEqual({
      kind: 'vulnerability',
      id: 'SNYK-ALPINE318-PROCPSNG-5877704',
      aliases: ['CVE-2023-4016'],
      severity: 'medium',
      cvss: 5.5,
      package: 'procps-ng',
      version: '4.0.3-r1',
      fixedVersion: '4.0.4-r0',
      fixable: true,
      image: 'cyberdojo/creator',
      title: 'Out-of-bounds Write',
      source: { format: 'snyk', file: 'snyk-json/cyber-dojo__creator__snyk.json' }
    });
    expect(new Set(findings.map((f) => JSON.stringify(f))).size).toBe(1);
  });
});

const vuln = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  title: 'Bug',
  severity: 'high',
  cvssScore: 7.5,
  packageName: 'openssl',
  name: 'openssl/libssl3',
  version: '3.0.1-r0',
  fixedIn: [],
  identifiers: { CVE: ['CVE-2024-1'], CWE: ['CWE-20'], GHSA: [] },
  from: ['docker-image|app@1', 'openssl/libssl3@3.0.1-r0'],
  upgradePath: [],
  ...extra
});

describe('Snyk adapter', () => {
  it('array of projects (--app-vulns): every project read, one image', () => {
    const text = JSON.stringify([
      {
        vulnerabilities: [vuln('SNYK-ALPINE319-OPENSSL-1', { fixedIn: ['3.0.2-r0'] })],
        packageManager: 'apk',
        path: 'ghcr.io/acme/app:1.2',
        projectName: 'docker-image|ghcr.io/acme/app'
      },
      {
        vulnerabilities: [vuln('SNYK-JS-LODASH-1', { severity: 'critical', packageName: 'lodash', identifiers: { CVE: [], GHSA: ['GHSA-p6mc-m468-83gw'] } })],
        packageManager: 'npm',
        path: 'ghcr.io/acme/app:1.2',
        displayTargetFile: '/app/package.json'
      }
    ]);
    const { findings, meta } = adapt('snyk', text);
    expect(meta.image).toBe('ghcr.io/acme/app:1.2');
    expect(findings.map((f) => [f.id, f.severity, f.package, f.fixable, f.aliases, f.image])).toEqual([
      ['SNYK-ALPINE319-OPENSSL-1', 'high', 'openssl', true, ['CVE-2024-1'], 'ghcr.io/acme/app:1.2'],
      ['SNYK-JS-LODASH-1', 'critical', 'lodash', false, ['GHSA-p6mc-m468-83gw'], 'ghcr.io/acme/app:1.2']
    ]);
  });

  it('projects about different images: meta names none', () => {
    const text = JSON.stringify([
      { vulnerabilities: [vuln('SNYK-1')], path: 'a:1' },
      { vulnerabilities: [vuln('SNYK-2')], path: 'b:1' }
    ]);
    const { findings, meta } = adapt('snyk', text);
    expect(meta.image).toBeUndefined();
    expect(findings.map((f) => f.image)).toEqual([undefined, undefined]);
  });

  it('path first: findings carry the image as they stream', () => {
    const { findings } = adapt('snyk', JSON.stringify({ path: 'nginx:1.25', vulnerabilities: [vuln('SNYK-1')] }));
    expect(findings[0].image).toBe('nginx:1.25');
  });

  it.each([
    [{ path: 'nginx:1.25' }, 'nginx:1.25'],
    [{ path: 'cyberdojo/creator:40b2b0b/creator', projectName: 'docker-image|cyberdojo/creator' }, 'cyberdojo/creator'],
    [{ projectName: 'docker-image|ghcr.io/a/b' }, 'ghcr.io/a/b'],
    [{ path: '/src/Dockerfile' }, undefined],
    [{}, undefined]
  ])('image of %j is %s', (project, image) => {
    expect(snykImage(project)).toBe(image);
  });

  it.each([
    [
      'a Snyk error document',
      JSON.stringify({ ok: false, error: 'Could not detect supported target files', path: '.' }),
      /Snyk reported an error.*Could not detect/
    ],
    ['a vulnerability without id', JSON.stringify({ ok: false, vulnerabilities: [{ title: 'x' }] }), /vulnerabilities\[0\]: id is missing/],
    ['vulnerabilities not an array', JSON.stringify({ ok: true, vulnerabilities: 'none' }), /vulnerabilities: must be an array/],
    ['nothing Snyk-like', JSON.stringify({ hello: 'world' }), /not a Snyk JSON report/]
  ])('%s is a ReportError', (_name, text, message) => {
    expect(() => adapt('snyk', text)).toThrow(ReportError);
    expect(() => adapt('snyk', text)).toThrow(message);
  });
});
