import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseOpenVex } from '../../src/core/gate/vex/openvex.js';
import { ReportError } from '../../src/core/gate/types.js';
import { corpusReports, countBy, listedFolderCounts, readReport, REPORTS_DIR, type Counts } from './corpus.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

function expected(doc: any) {
  const status: Counts = {};
  const vulns: string[] = [];
  let withSubcomponents = 0;
  for (const s of doc.statements) {
    status[s.status] = (status[s.status] ?? 0) + 1;
    vulns.push(typeof s.vulnerability === 'string' ? s.vulnerability : s.vulnerability.name);
    if ((s.products ?? []).some((p: any) => (p.subcomponents ?? []).length > 0)) withSubcomponents++;
  }
  return { status, vulns: vulns.sort(), withSubcomponents };
}

describe('OpenVEX corpus: every listed file', () => {
  const reports = corpusReports('vex');
  let tested = 0;

  it.each(reports.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const text = readReport(r);
    const want = expected(JSON.parse(text));
    const statements = parseOpenVex(text, r.rel);
    expect(statements.length).toBe(r.listedFindings);
    expect(countBy(statements, (s) => s.status)).toEqual(want.status);
    expect(statements.map((s) => s.vulnerability).sort()).toEqual(want.vulns);
    expect(statements.filter((s) => s.subcomponents.length > 0).length).toBe(want.withSubcomponents);
    for (const s of statements) {
      expect(s.source).toEqual({ format: 'openvex', file: r.rel });
      expect(s.timestamp).toBeDefined();
    }
    tested++;
  });

  it('covered every vex file in SOURCES.md and on disk', () => {
    expect(tested).toBe(reports.length);
    expect(tested).toBe(listedFolderCounts()['vex']);
    expect(tested).toBe(fs.readdirSync(path.join(REPORTS_DIR, 'vex')).length);
  });

  it('GIScience: products from identifiers.purl, aliases, justification, impact statement', () => {
    const r = reports.find((x) => x.name === 'GIScience__openrouteservice__openvex.json')!;
    const [first, second] = parseOpenVex(readReport(r), r.rel);
    expect(first).toEqual({
      vulnerability: 'CVE-2019-1010022',
      aliases: [],
      products: ['pkg:deb/debian/libc6'],
      subcomponents: [],
      status: 'not_affected',
      justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
      statement: expect.stringMatching(/^glibc upstream treats it as a non-security bug/),
      timestamp: '2026-09-08T00:00:00Z',
      source: { format: 'openvex', file: 'vex/GIScience__openrouteservice__openvex.json' }
    });
    expect(second).toMatchObject({ vulnerability: 'DEBIAN-CVE-2019-1010022', aliases: ['CVE-2019-1010022'], products: ['pkg:deb/debian/libc6@>=0.0.0-0'] });
  });

  it('govulncheck: "Unknown Product" with subcomponents; duplicate aliases collapse; document timestamp inherited', () => {
    const r = reports.find((x) => x.name === 'hkolvenbach__oci-explorer__openvex.json')!;
    const st = parseOpenVex(readReport(r), r.rel);
    expect(st[0]).toMatchObject({
      vulnerability: 'GO-2025-4155',
      aliases: ['CVE-2025-61729'],
      products: ['Unknown Product'],
      subcomponents: ['pkg:golang/stdlib@v1.25.4'],
      status: 'affected',
      timestamp: '2026-02-22T11:04:20.303849Z'
    });
    expect(st[5]).toMatchObject({ vulnerability: 'GO-2026-4342', status: 'not_affected', justification: 'vulnerable_code_not_present' });
  });
});

describe('OpenVEX parsing', () => {
  const doc = (statements: unknown[], extra: Record<string, unknown> = {}) => ({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'x',
    timestamp: '2024-01-01T00:00:00Z',
    ...extra,
    statements
  });

  it('v0.0.x: plain string vulnerability, string products, statement-level subcomponents and aliases', () => {
    const st = parseOpenVex(
      {
        '@context': 'https://openvex.dev/ns',
        statements: [
          { vulnerability: 'CVE-2023-1', aliases: ['GHSA-xxxx-yyyy-zzzz'], products: ['pkg:oci/app'], subcomponents: ['pkg:npm/x@1'], status: 'fixed' }
        ]
      },
      'v.json'
    );
    expect(st).toEqual([
      {
        vulnerability: 'CVE-2023-1',
        aliases: ['GHSA-xxxx-yyyy-zzzz'],
        products: ['pkg:oci/app'],
        subcomponents: ['pkg:npm/x@1'],
        status: 'fixed',
        source: { format: 'openvex', file: 'v.json' }
      }
    ]);
  });

  it('identifiers.purl wins over @id; @id when there is no name; action_statement for affected', () => {
    const [s] = parseOpenVex(
      doc([
        {
          vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2024-9' },
          products: [{ '@id': 'https://example.com/app', identifiers: { purl: 'pkg:oci/app?repository_url=ghcr.io/acme/app' } }],
          status: 'affected',
          action_statement: 'upgrade to 2.0'
        }
      ]),
      'v.json'
    );
    expect(s).toMatchObject({
      vulnerability: 'https://nvd.nist.gov/vuln/detail/CVE-2024-9',
      products: ['pkg:oci/app?repository_url=ghcr.io/acme/app'],
      statement: 'upgrade to 2.0'
    });
  });

  it('statements come back in timestamp order (last_updated, timestamp, then the document’s)', () => {
    const st = parseOpenVex(
      doc([
        { vulnerability: { name: 'CVE-1' }, status: 'affected', timestamp: '2024-03-01T00:00:00Z' },
        {
          vulnerability: { name: 'CVE-1' },
          status: 'not_affected',
          justification: 'component_not_present',
          timestamp: '2024-01-15T00:00:00Z',
          last_updated: '2024-04-01T00:00:00Z'
        },
        { vulnerability: { name: 'CVE-1' }, status: 'under_investigation' }
      ]),
      'v.json'
    );
    expect(st.map((s) => [s.status, s.timestamp])).toEqual([
      ['under_investigation', '2024-01-01T00:00:00Z'],
      ['affected', '2024-03-01T00:00:00Z'],
      ['not_affected', '2024-04-01T00:00:00Z']
    ]);
  });

  it('a document without statements has none', () => {
    expect(parseOpenVex({ '@context': 'https://openvex.dev/ns/v0.2.0' }, 'v.json')).toEqual([]);
  });

  it.each([
    ['invalid JSON text', '{"@context": ', /not valid JSON/],
    ['not an object', '[1]', /must be a JSON object/],
    ['another context', { '@context': 'https://www.w3.org/ns/csaf', statements: [] }, /not an OpenVEX document/],
    ['statements not a list', { '@context': 'https://openvex.dev/ns/v0.2.0', statements: {} }, /statements must be an array/],
    ['a statement without vulnerability', doc([{ status: 'fixed' }]), /statements\[0\]: vulnerability has no name/],
    ['an unknown status', doc([{ vulnerability: { name: 'CVE-1' }, status: 'false_positive' }]), /statements\[0\]: status "false_positive" is not one of/],
    ['products not a list', doc([{ vulnerability: 'CVE-1', status: 'fixed', products: 'pkg:npm/x' }]), /products must be an array/],
    ['a product without id', doc([{ vulnerability: 'CVE-1', status: 'fixed', products: [{ hashes: {} }] }]), /neither @id nor identifiers\.purl/]
  ])('%s is a ReportError naming the file', (_name, input, message) => {
    expect(() => parseOpenVex(input, 'vex/doc.json')).toThrow(ReportError);
    expect(() => parseOpenVex(input, 'vex/doc.json')).toThrow(message);
    expect(() => parseOpenVex(input, 'vex/doc.json')).toThrow(/^vex\/doc\.json: /);
  });
});
