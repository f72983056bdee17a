import { describe, expect, it } from '@jest/globals';
import { detectFormat, type DetectedFormat } from '../../src/core/gate/formats/detect.js';
import { ReportError } from '../../src/core/gate/types.js';
import { corpusReports, listedFolderCounts, readReport, type CorpusFolder } from './corpus.js';

function errorOf(head: string, complete = false): ReportError {
  try {
    detectFormat(head, 'reports/scan.json', { complete });
  } catch (e) {
    if (e instanceof ReportError) return e;
    throw e;
  }
  throw new Error('expected a ReportError');
}

const snykVuln = '{"id": "SNYK-ALPINE318-PROCPSNG-5877704", "title": "Out-of-bounds Write", "packageName": "procps-ng", "from": ["a"]}';

describe('detectFormat: each format, whatever the key order and whitespace', () => {
  it.each<[string, string, DetectedFormat]>([
    ['Trivy', '{"SchemaVersion": 2, "ArtifactName": "alpine:3.20", "ArtifactType": "container_image", "Results": []}', 'trivy'],
    ['Trivy, Results before SchemaVersion', '{"Results": [{"Target": "x", "Vulnerabilities": []}], "SchemaVersion": 2}', 'trivy'],
    ['Trivy, minified, SchemaVersion last', '{"ArtifactName":"a","Metadata":{"OS":{"Family":"alpine"}},"SchemaVersion":2}', 'trivy'],
    ['Trivy, CRLF and tabs', '{\r\n\t"SchemaVersion"\t:\t2 ,\r\n\t"Results" : null\r\n}', 'trivy'],
    ['Trivy, UTF-8 BOM', '\uFEFF{"SchemaVersion": 2, "Results": []}', 'trivy'],
    ['Grype', '{"matches": [], "source": {"type": "image"}, "descriptor": {"name": "grype"}}', 'grype'],
    [
      'Grype, descriptor first',
      '{"descriptor": {"name": "grype", "version": "0.80.0"}, "source": {"type": "directory", "target": "."}, "matches": [{"vulnerability": {}}]}',
      'grype'
    ],
    ['Snyk, vulnerabilities first (Snyk first vulnerability)', `{"vulnerabilities": [${snykVuln}], "ok": false}`, 'snyk'],
    [
      'Snyk, project fields first, no vulnerabilities',
      '{"ok": true, "packageManager": "apk", "vulnerabilities": [], "projectName": "docker-image|alpine"}',
      'snyk'
    ],
    ['Snyk, array of projects', `[{"vulnerabilities": [${snykVuln}], "packageManager": "apk"}, {"vulnerabilities": []}]`, 'snyk'],
    [
      'Snyk, vulnerability with packageName/semver, no SNYK id',
      '{"vulnerabilities": [{"id": "npm:x:1", "packageName": "x", "semver": {"vulnerable": ["<1"]}}]}',
      'snyk'
    ],
    ['SARIF, version first', '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "Trivy"}}}]}', 'sarif'],
    [
      'SARIF, $schema first',
      '{"$schema": "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json", "version": "2.1.0", "runs": []}',
      'sarif'
    ],
    ['SARIF, runs before version', '{"runs": [{"results": []}], "version": "2.1.0"}', 'sarif'],
    ['OpenVEX', '{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "statements": []}', 'openvex'],
    ['OpenVEX, context later and as a list', '{"@id": "x", "author": "me", "@context": ["https://openvex.dev/ns/v0.2.0"], "statements": []}', 'openvex'],
    ['CycloneDX', '{"bomFormat": "CycloneDX", "specVersion": "1.5", "vulnerabilities": []}', 'cyclonedx'],
    [
      'CycloneDX, bomFormat after components',
      '{"components": [{"bom-ref": "a", "purl": "pkg:npm/a@1"}], "specVersion": "1.6", "bomFormat": "CycloneDX"}',
      'cyclonedx'
    ],
    ['CycloneDX by $schema', '{"$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json", "components": []}', 'cyclonedx']
  ])('%s', (_name, head, format) => {
    expect(detectFormat(head, 'f.json')).toBe(format);
    expect(detectFormat(head, 'f.json', { complete: true })).toBe(format);
    // Pretty-printed the same document is the same format.
    expect(detectFormat(JSON.stringify(JSON.parse(head.replace(/^\uFEFF/, '')), null, 2), 'f.json')).toBe(format);
  });
});

describe('detectFormat: a head that is not conclusive says so (undefined) until the whole file is there', () => {
  it.each([
    ['cut inside the first key', '{"SchemaVer'],
    ['SchemaVersion only', '{"SchemaVersion": 2,'],
    ['cut inside a number', '{"SchemaVersion": 2'],
    ['runs without version yet', '{"runs": [{"tool": {"driver": {"name": "x"}}}'],
    ['vulnerabilities without Snyk evidence yet', '{"vulnerabilities": [{"title": "Out-of-bounds", "severity":'],
    ['cut inside a literal', '{"ok": tr'],
    ['cut inside an escape', '{"a\\'],
    ['whitespace only, more to come', '   \n'],
    ['a big unrelated first key', `{"components": [${'{"name": "x"},'.repeat(50)}`]
  ])('%s', (_name, head) => {
    expect(detectFormat(head, 'f.json')).toBeUndefined();
  });

  it.each([
    ['SchemaVersion only', '{"SchemaVersion": 2}', /unknown report format/],
    ['runs without version', '{"runs": []}', /unknown report format: an object with keys runs/],
    ['Results without SchemaVersion', '{"Results": []}', /Trivy-like Results without SchemaVersion/],
    ['vulnerabilities of an unknown tool', '{"vulnerabilities": [{"id": "CVE-1"}]}', /unknown report format/]
  ])('%s: undefined while open, an unknown format once closed or complete', (_name, head, message) => {
    const open = head.slice(0, -1);
    expect(detectFormat(open, 'f.json')).toBeUndefined();
    expect(errorOf(open, true).message).toMatch(message);
    expect(errorOf(head).message).toMatch(message);
  });

  it('a closed top-level value needs no complete flag', () => {
    expect(errorOf('{"foo": 1}\n').message).toMatch(/^reports\/scan\.json: unknown report format: an object with keys foo/);
  });
});

describe('detectFormat: errors name the file', () => {
  it.each([
    ['legacy Trivy list', '[{"Target": "alpine:3.10 (alpine 3.10.2)", "Type": "alpine", "Vulnerabilities": [', /legacy Trivy JSON.*Trivy < 0\.20/],
    ['legacy Trivy list, empty', '[{"Target": "app", "Vulnerabilities": null}]', /legacy Trivy JSON/],
    ['Trivy SchemaVersion 1', '{"SchemaVersion": 1, "Results": []}', /SchemaVersion 1 is not supported/],
    ['Trivy SchemaVersion 3', '{"Results": [], "SchemaVersion": 3}', /SchemaVersion 3 is not supported/],
    ['SARIF 2.0.0', '{"version": "2.0.0", "runs": []}', /SARIF version "2\.0\.0" is not supported/],
    [
      'Snyk error output',
      '{"ok": false, "error": "Authentication failed", "path": "alpine"}',
      /Snyk reported an error instead of results: Authentication failed/
    ],
    ['empty', '', /the report is empty/],
    ['XML', '<?xml version="1.0"?><report/>', /not a JSON report/],
    ['text', 'Total: 3 (HIGH: 1)', /not a JSON report/],
    ['garbage after a brace', '{]', /not valid JSON near the start/],
    ['unknown JSON', '{"hello": "world"}', /unknown report format/],
    ['a bare list', '[1, 2, 3]', /unknown report format: a list/]
  ])('%s', (_name, head, message) => {
    const e = errorOf(head);
    expect(e.file).toBe('reports/scan.json');
    expect(e.message.startsWith('reports/scan.json: ')).toBe(true);
    expect(e.message).toMatch(message);
  });

  it('whitespace-only content is empty once it is the whole file', () => {
    expect(errorOf('  \n\t', true).message).toMatch(/empty/);
  });

  it('the file name never decides: a .sarif name with Trivy JSON content is Trivy', () => {
    expect(detectFormat('{"SchemaVersion": 2, "Results": []}', 'results.sarif')).toBe('trivy');
  });
});

const EXPECT: Record<CorpusFolder, DetectedFormat> = { 'trivy-json': 'trivy', 'grype-json': 'grype', 'snyk-json': 'snyk', sarif: 'sarif', vex: 'openvex' };

describe('detectFormat on every listed corpus file', () => {
  const reports = corpusReports();
  let tested = 0;

  it.each(reports.map((r) => [r.rel, r] as const))('%s', (_rel, r) => {
    const text = readReport(r);
    const want = EXPECT[r.folder];
    // Any head: the right answer or "not yet", never a wrong one.
    for (const n of [1, 2, 8, 16, 32, 64, 128, 256, 512, 1024]) {
      const got = detectFormat(text.slice(0, n), r.rel);
      if (got !== undefined) expect(got).toBe(want);
    }
    expect(detectFormat(text.slice(0, 4096), r.rel)).toBe(want);
    expect(detectFormat(text, r.rel, { complete: true })).toBe(want);
    tested++;
  });

  it('covered every file in SOURCES.md', () => {
    const listed = listedFolderCounts();
    expect(tested).toBe(reports.length);
    expect(tested).toBe(Object.values(listed).reduce((a, b) => a + b, 0));
    expect(tested).toBe(32);
  });
});
