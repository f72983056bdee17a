import { describe, expect, it } from '@jest/globals';
import { parseCycloneDxVex, resolveRef } from '../../src/core/gate/vex/cyclonedx.js';
import { ReportError } from '../../src/core/gate/types.js';

const bom = (vulnerabilities: unknown[], extra: Record<string, unknown> = {}) => ({
  bomFormat: 'CycloneDX',
  specVersion: '1.5',
  version: 1,
  ...extra,
  vulnerabilities
});

describe('CycloneDX VEX', () => {
  it('a Trivy-style VEX BOM: BOM-Link refs resolve by fragment, references are aliases', () => {
    const doc = bom([
      {
        id: 'CVE-2020-8911',
        references: [{ id: 'GHSA-f5pg-7wfw-84q9', source: { name: 'GitHub Advisory Database' } }],
        analysis: {
          state: 'not_affected',
          justification: 'code_not_reachable',
          response: ['will_not_fix', 'update'],
          detail: 'The vulnerable function is not called'
        },
        affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:golang/github.com/aws/aws-sdk-go@1.44.234' }]
      }
    ]);
    expect(parseCycloneDxVex(doc, 'trivy.vex.cdx')).toEqual([
      {
        vulnerability: 'CVE-2020-8911',
        aliases: ['GHSA-f5pg-7wfw-84q9'],
        products: ['pkg:golang/github.com/aws/aws-sdk-go@1.44.234'],
        subcomponents: [],
        status: 'not_affected',
        justification: 'code_not_reachable',
        statement: 'The vulnerable function is not called',
        source: { format: 'cyclonedx', file: 'trivy.vex.cdx' }
      }
    ]);
  });

  it.each([
    ['not_affected', 'not_affected'],
    ['false_positive', 'not_affected'],
    ['resolved', 'fixed'],
    ['resolved_with_pedigree', 'fixed'],
    ['exploitable', 'affected'],
    ['in_triage', 'under_investigation']
  ])('analysis.state %s → %s', (state, status) => {
    const [s] = parseCycloneDxVex(bom([{ id: 'CVE-1', analysis: { state } }]), 'b.json');
    expect(s.status).toBe(status);
    expect(s.products).toEqual([]);
  });

  it('false_positive without a justification says so', () => {
    expect(parseCycloneDxVex(bom([{ id: 'CVE-1', analysis: { state: 'false_positive' } }]), 'b.json')[0].justification).toBe('false_positive');
  });

  it('affects refs resolve through bom-refs of metadata.component and nested components', () => {
    const doc = bom(
      [
        {
          id: 'CVE-2024-1',
          analysis: { state: 'not_affected', lastUpdated: '2024-05-01T00:00:00Z' },
          affects: [{ ref: 'comp-a' }, { ref: 'nested-b' }, { ref: 'image' }, { ref: 'pkg:npm/direct@1.0.0' }, { ref: 'no-such-ref' }, { ref: 'comp-a' }]
        }
      ],
      {
        metadata: {
          timestamp: '2024-01-01T00:00:00Z',
          component: { 'bom-ref': 'image', type: 'container', name: 'app', purl: 'pkg:oci/app@sha256%3Aabc?repository_url=ghcr.io/acme/app' }
        },
        components: [
          { 'bom-ref': 'comp-a', purl: 'pkg:npm/a@1.0.0', components: [{ 'bom-ref': 'nested-b', purl: 'pkg:npm/b@2.0.0' }] },
          { 'bom-ref': 'no-purl', name: 'x' }
        ]
      }
    );
    const [s] = parseCycloneDxVex(doc, 'b.json');
    expect(s.products).toEqual([
      'pkg:npm/a@1.0.0',
      'pkg:npm/b@2.0.0',
      'pkg:oci/app@sha256%3Aabc?repository_url=ghcr.io/acme/app',
      'pkg:npm/direct@1.0.0',
      'no-such-ref'
    ]);
    expect(s.timestamp).toBe('2024-05-01T00:00:00Z');
  });

  it('resolveRef: direct, BOM-Link fragment, purl fallback, raw ref', () => {
    const refs = new Map([['r1', 'pkg:deb/debian/libc6@2.36']]);
    expect(resolveRef('r1', refs)).toBe('pkg:deb/debian/libc6@2.36');
    expect(resolveRef('urn:cdx:abc/1#r1', refs)).toBe('pkg:deb/debian/libc6@2.36');
    expect(resolveRef('urn:cdx:abc/1#pkg:npm/x@1', refs)).toBe('pkg:npm/x@1');
    expect(resolveRef('other', refs)).toBe('other');
  });

  it('vulnerabilities without analysis are SBOM data, not statements; timestamps fall back to the document; order by time', () => {
    const st = parseCycloneDxVex(
      bom(
        [
          { id: 'CVE-1', ratings: [{ severity: 'high' }] },
          { id: 'CVE-2', analysis: { state: 'exploitable' }, updated: '2024-06-01T00:00:00Z' },
          { id: 'CVE-3', analysis: { state: 'in_triage' } },
          { id: 'CVE-4', analysis: { justification: 'code_not_present' } }
        ],
        { metadata: { timestamp: '2024-02-01T00:00:00Z' } }
      ),
      'b.json'
    );
    expect(st.map((s) => [s.vulnerability, s.timestamp])).toEqual([
      ['CVE-3', '2024-02-01T00:00:00Z'],
      ['CVE-2', '2024-06-01T00:00:00Z']
    ]);
  });

  it('a BOM without vulnerabilities has no statements; text input is parsed', () => {
    expect(parseCycloneDxVex('{"bomFormat": "CycloneDX", "components": []}', 'b.json')).toEqual([]);
  });

  it.each([
    ['invalid JSON', '{"bomFormat"', /not valid JSON/],
    ['not CycloneDX', { bomFormat: 'SPDX' }, /not a CycloneDX document/],
    ['vulnerabilities not a list', { bomFormat: 'CycloneDX', vulnerabilities: {} }, /vulnerabilities must be an array/],
    ['an unknown state', bom([{ id: 'CVE-1', analysis: { state: 'wont_fix' } }]), /vulnerabilities\[0\]: analysis\.state "wont_fix" is not a CycloneDX state/],
    ['a statement without id', bom([{ analysis: { state: 'resolved' } }]), /vulnerabilities\[0\]: id is missing/],
    ['an affects entry without ref', bom([{ id: 'CVE-1', analysis: { state: 'resolved' }, affects: [{ versions: [] }] }]), /affects entry has no ref/]
  ])('%s is a ReportError naming the file', (_name, input, message) => {
    expect(() => parseCycloneDxVex(input, 'vex.cdx.json')).toThrow(ReportError);
    expect(() => parseCycloneDxVex(input, 'vex.cdx.json')).toThrow(message);
    expect(() => parseCycloneDxVex(input, 'vex.cdx.json')).toThrow(/^vex\.cdx\.json: /);
  });
});
