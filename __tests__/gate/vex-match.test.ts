import { describe, expect, it } from '@jest/globals';
import { imageProduct, parsePurl, purlMatches, vexFor, type TimedVexStatement } from '../../src/core/gate/vex/match.js';
import { parseOpenVex } from '../../src/core/gate/vex/openvex.js';
import type { ScanFinding, VexStatement } from '../../src/core/gate/types.js';
import { adapt, corpusReports, readReport } from './corpus.js';

const DIGEST = 'sha256:' + 'ab'.repeat(32);
const OTHER = 'sha256:' + 'cd'.repeat(32);

function finding(extra: Partial<ScanFinding> = {}): ScanFinding {
  return {
    kind: 'vulnerability',
    id: 'CVE-2024-1000',
    aliases: ['GHSA-aaaa-bbbb-cccc'],
    severity: 'high',
    fixable: false,
    package: 'openssl',
    version: '3.0.1-r0',
    purl: 'pkg:apk/alpine/openssl@3.0.1-r0?arch=x86_64&distro=3.19.1',
    image: 'ghcr.io/acme/app:1.0',
    title: 't',
    source: { format: 'trivy', file: 'r.json' },
    ...extra
  };
}

function st(extra: Partial<TimedVexStatement> = {}): TimedVexStatement {
  return {
    vulnerability: 'CVE-2024-1000',
    aliases: [],
    products: [],
    subcomponents: [],
    status: 'not_affected',
    source: { format: 'openvex', file: 'v.json' },
    ...extra
  };
}

const applies = (s: VexStatement, f = finding(), repoDigests?: string[]) => vexFor(f, [s], { repoDigests }) === s;

describe('vexFor: the vulnerability id', () => {
  it.each<[string, Partial<TimedVexStatement>, Partial<ScanFinding>, boolean]>([
    ['same id', {}, {}, true],
    ['id differs in case', { vulnerability: 'cve-2024-1000' }, {}, true],
    ['statement alias = finding id', { vulnerability: 'GO-2024-1', aliases: ['CVE-2024-1000'] }, {}, true],
    ['statement id = finding alias (GHSA)', { vulnerability: 'GHSA-AAAA-BBBB-CCCC' }, {}, true],
    ['alias to alias', { vulnerability: 'DEBIAN-CVE-2024-1000', aliases: ['ghsa-aaaa-bbbb-cccc'] }, { id: 'SNYK-X-1' }, true],
    ['another vulnerability', { vulnerability: 'CVE-2024-1001' }, {}, false],
    ['a misconfiguration never matches', {}, { kind: 'misconfiguration' }, false]
  ])('%s', (_name, s, f, want) => {
    expect(applies(st(s), finding(f))).toBe(want);
  });
});

describe('vexFor: image products', () => {
  it.each<[string, string, Partial<ScanFinding>, string[] | undefined, boolean]>([
    ['oci purl, repository_url, no digest', 'pkg:oci/app?repository_url=ghcr.io/acme/app', {}, undefined, true],
    ['oci purl, repository_url without the name', 'pkg:oci/app?repository_url=ghcr.io/acme', {}, undefined, true],
    ['oci purl, https repository_url', 'pkg:oci/app?repository_url=https://ghcr.io/acme/app', {}, undefined, true],
    ['oci purl, other repository', 'pkg:oci/app?repository_url=docker.io/acme/app', {}, undefined, false],
    [
      'oci purl with digest, digest in the repo digests',
      `pkg:oci/app@${DIGEST.replace(':', '%3A')}?repository_url=ghcr.io/acme/app`,
      {},
      [`ghcr.io/acme/app@${DIGEST}`],
      true
    ],
    ['oci purl with digest, other digest', `pkg:oci/app@${DIGEST}?repository_url=ghcr.io/acme/app`, {}, [`ghcr.io/acme/app@${OTHER}`], false],
    ['oci purl with digest, no digest known: cannot verify', `pkg:oci/app@${DIGEST}?repository_url=ghcr.io/acme/app`, {}, undefined, false],
    [
      'oci purl with digest, digest in the image reference',
      `pkg:oci/app@${DIGEST}?repository_url=ghcr.io/acme/app`,
      { image: `ghcr.io/acme/app@${DIGEST}` },
      undefined,
      true
    ],
    ['oci purl with tag qualifier', 'pkg:oci/app?repository_url=ghcr.io/acme/app&tag=1.0', {}, undefined, true],
    ['oci purl with another tag', 'pkg:oci/app?repository_url=ghcr.io/acme/app&tag=2.0', {}, undefined, false],
    ['oci purl without repository_url: by name', 'pkg:oci/alpine', { image: 'alpine:3.20' }, undefined, true],
    ['oci purl without repository_url, other registry, same name', 'pkg:oci/alpine', { image: 'ghcr.io/x/alpine:1' }, undefined, true],
    ['oci purl without repository_url, other name', 'pkg:oci/alpine', { image: 'debian:12' }, undefined, false],
    ['docker purl, Docker Hub library image with tag', 'pkg:docker/library/nginx@1.25', { image: 'nginx:1.25' }, undefined, true],
    ['docker purl, other tag', 'pkg:docker/library/nginx@1.24', { image: 'nginx:1.25' }, undefined, false],
    [
      'docker purl, registry qualifier and digest',
      `pkg:docker/acme/app@${DIGEST}?repository_url=gcr.io`,
      { image: 'gcr.io/acme/app:1' },
      [`gcr.io/acme/app@${DIGEST}`],
      true
    ],
    ['plain ref without tag: any tag', 'ghcr.io/acme/app', {}, undefined, true],
    ['plain ref, same tag', 'ghcr.io/acme/app:1.0', {}, undefined, true],
    ['plain ref, other tag', 'ghcr.io/acme/app:0.9', {}, undefined, false],
    ['plain ref, Docker Hub normalisation', 'docker.io/library/nginx', { image: 'nginx' }, undefined, true],
    ['plain ref :latest vs untagged image', 'nginx:latest', { image: 'nginx' }, undefined, true],
    ['plain ref with digest', `ghcr.io/acme/app@${DIGEST}`, {}, [`ghcr.io/acme/app@${DIGEST}`], true],
    ['an image product against a finding without image', 'ghcr.io/acme/app', { image: undefined }, undefined, false],
    [
      'an image product against a non-image target (tarball path)',
      'ghcr.io/acme/app',
      { image: 'testdata/fixtures/images/alpine-310.tar.gz' },
      undefined,
      false
    ]
  ])('%s', (_name, product, f, digests, want) => {
    expect(applies(st({ products: [product] }), finding(f), digests)).toBe(want);
  });

  it('one matching product among several is enough', () => {
    expect(applies(st({ products: ['debian:12', 'pkg:oci/app?repository_url=ghcr.io/acme/app'] }))).toBe(true);
  });
});

describe('vexFor: package purls and subcomponents', () => {
  it.each<[string, Partial<TimedVexStatement>, Partial<ScanFinding>, boolean]>([
    ['no products: every product', {}, {}, true],
    ['package purl without version or qualifiers', { products: ['pkg:apk/alpine/openssl'] }, {}, true],
    ['package purl, same version', { products: ['pkg:apk/alpine/openssl@3.0.1-r0'] }, {}, true],
    ['package purl, other version', { products: ['pkg:apk/alpine/openssl@3.0.2-r0'] }, {}, false],
    ['package purl, matching qualifier', { products: ['pkg:apk/alpine/openssl@3.0.1-r0?arch=x86_64'] }, {}, true],
    ['package purl, other qualifier', { products: ['pkg:apk/alpine/openssl?arch=aarch64'] }, {}, false],
    ['package purl, other type', { products: ['pkg:deb/alpine/openssl'] }, {}, false],
    ['package purl, other name', { products: ['pkg:apk/alpine/libssl3'] }, {}, false],
    ['a version range is not a version (no match)', { products: ['pkg:apk/alpine/openssl@>=0.0.0-0'] }, {}, false],
    [
      'percent-encoded versions compare decoded',
      { products: ['pkg:deb/debian/libc6@2.41-12+deb13u3'] },
      { purl: 'pkg:deb/debian/libc6@2.41-12%2Bdeb13u3?arch=amd64' },
      true
    ],
    ['package product, finding without purl', { products: ['pkg:apk/alpine/openssl'] }, { purl: undefined }, false],
    ['unknown product + matching subcomponent', { products: ['Unknown Product'], subcomponents: ['pkg:apk/alpine/openssl@3.0.1-r0'] }, {}, true],
    ['unknown product + other subcomponent', { products: ['Unknown Product'], subcomponents: ['pkg:apk/alpine/openssl@3.0.2-r0'] }, {}, false],
    ['unknown product without subcomponents', { products: ['Unknown Product'] }, {}, false],
    ['image product + matching subcomponent', { products: ['ghcr.io/acme/app'], subcomponents: ['pkg:apk/alpine/openssl'] }, {}, true],
    ['image product + subcomponent, other image', { products: ['ghcr.io/acme/other'], subcomponents: ['pkg:apk/alpine/openssl'] }, {}, false],
    [
      'image product + subcomponent, finding without purl',
      { products: ['ghcr.io/acme/app'], subcomponents: ['pkg:apk/alpine/openssl'] },
      { purl: undefined },
      false
    ],
    [
      'package product + subcomponents cannot be verified',
      { products: ['pkg:golang/github.com/acme/tool@v1'], subcomponents: ['pkg:apk/alpine/openssl'] },
      {},
      false
    ]
  ])('%s', (_name, s, f, want) => {
    expect(applies(st(s), finding(f))).toBe(want);
  });
});

describe('vexFor: several statements', () => {
  it('the latest by timestamp wins, whatever the order given', () => {
    const old = st({ status: 'not_affected', timestamp: '2024-01-01T00:00:00Z' });
    const newer = st({ status: 'affected', timestamp: '2024-06-01T00:00:00+02:00' });
    expect(vexFor(finding(), [newer, old])).toBe(newer);
    expect(vexFor(finding(), [old, newer])).toBe(newer);
  });

  it('equal timestamps: the later one in the list; any missing timestamp: the last in the list', () => {
    const a = st({ status: 'not_affected', timestamp: '2024-01-01T00:00:00Z' });
    const b = st({ status: 'fixed', timestamp: '2024-01-01T00:00:00Z' });
    const c = st({ status: 'under_investigation' });
    expect(vexFor(finding(), [a, b])).toBe(b);
    expect(vexFor(finding(), [c, a])).toBe(a);
    expect(vexFor(finding(), [a, c])).toBe(c);
  });

  it('statements that do not match do not compete', () => {
    const matching = st({ status: 'not_affected', timestamp: '2024-01-01T00:00:00Z' });
    const otherPackage = st({ status: 'affected', products: ['pkg:npm/x'], timestamp: '2025-01-01T00:00:00Z' });
    expect(vexFor(finding(), [matching, otherPackage])).toBe(matching);
    expect(vexFor(finding({ id: 'CVE-1999-1', aliases: [] }), [matching, otherPackage])).toBeUndefined();
  });
});

describe('purl and image product parsing', () => {
  it('parsePurl', () => {
    expect(parsePurl('pkg:npm/%40babel/core@7.0.0?x=1#lib')).toEqual({
      type: 'npm',
      namespace: '@babel',
      name: 'core',
      version: '7.0.0',
      qualifiers: new Map([['x', '1']])
    });
    expect(parsePurl('pkg:golang/golang.org/x/net@v0.37.0')).toMatchObject({ namespace: 'golang.org/x', name: 'net', version: 'v0.37.0' });
    expect(parsePurl('pkg:npm/@types/node')).toMatchObject({ namespace: '@types', name: 'node', version: undefined });
    expect(parsePurl('pkg:oci/alpine')).toMatchObject({ type: 'oci', name: 'alpine' });
    expect(parsePurl('nginx:1.25')).toBeUndefined();
    expect(parsePurl('pkg:npm')).toBeUndefined();
  });

  it('purlMatches ignores the subpath and compares names case-insensitively', () => {
    expect(purlMatches(parsePurl('pkg:pypi/Django')!, parsePurl('pkg:pypi/django@4.2#sub')!)).toBe(true);
  });

  it('imageProduct', () => {
    expect(imageProduct('pkg:oci/app@sha256%3Aab?repository_url=ghcr.io/acme/app&tag=v1')).toEqual({
      repository: 'ghcr.io/acme/app',
      name: 'app',
      tag: 'v1',
      digest: 'sha256:ab'
    });
    expect(imageProduct('nginx')).toEqual({ repository: 'docker.io/library/nginx', name: 'nginx', tag: undefined, digest: undefined });
    expect(imageProduct('pkg:deb/debian/libc6')).toBeUndefined();
    expect(imageProduct('Unknown Product')).toBeUndefined();
  });
});

describe('real VEX documents against real reports', () => {
  it('GIScience openvex on the MariSelvam Trivy report: libc6 is not affected by the two CVEs, libc-bin still is', () => {
    const vr = corpusReports('vex').find((x) => x.name === 'GIScience__openrouteservice__openvex.json')!;
    const statements = parseOpenVex(readReport(vr), vr.rel);
    const tr = corpusReports('trivy-json').find((x) => x.name === 'MariSelvam242__container-security-cicd__trivy-report.json')!;
    const { findings, meta } = adapt('trivy', readReport(tr), tr.rel);
    const hits = findings.map((f) => [f, vexFor(f, statements, { repoDigests: meta.repoDigests })] as const).filter(([, s]) => s !== undefined);
    expect(hits.map(([f, s]) => [f.id, f.package, s!.vulnerability, s!.status]).sort()).toEqual([
      ['CVE-2019-1010022', 'libc6', 'CVE-2019-1010022', 'not_affected'],
      ['CVE-2026-5450', 'libc6', 'CVE-2026-5450', 'not_affected']
    ]);
  });

  it('the same document on Grype findings (purl qualifiers upstream/distro ignored)', () => {
    const vr = corpusReports('vex').find((x) => x.name === 'GIScience__openrouteservice__openvex.json')!;
    const statements = parseOpenVex(readReport(vr), vr.rel);
    const gr = corpusReports('grype-json').find((x) => x.name === 'metalstormbass__cgvulnreport__grype.json')!;
    const { findings } = adapt('grype', readReport(gr), gr.rel);
    const hits = findings.filter((f) => vexFor(f, statements));
    expect(hits.map((f) => `${f.id} ${f.package}`)).toEqual(['CVE-2019-1010022 libc6']);
  });
});
