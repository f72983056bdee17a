/** Issue 15 (gate): each report shape that used to pass is a ReportError naming the file (the CLI's exit 2). */
import { describe, expect, it } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { ReportError } from '../../src/core/gate/types.js';
import { runGate } from '../../src/io/gate-run.js';
import { makeTree } from '../helpers/fixtures.js';

const config = () => {
  const c = defaultConfig();
  c.gate.failOn = 'critical';
  return c;
};
const V = (sev: string) => `{"VulnerabilityID":"CVE-2024-1","PkgName":"a","InstalledVersion":"1","Severity":"${sev}"}`;
const trivy = (results: string) => `{"SchemaVersion":2,"ArtifactName":"x:1","Results":${results}}`;
const snykProject = (extra: string) => `{"ok":false,"path":"x:1","projectName":"docker-image|x"${extra}}`;
const sarif = (run: string) => `{"version":"2.1.0","runs":[${run}]}`;
const sarifRun = (rest: string) => `{"tool":{"driver":{"name":"Trivy"}}${rest}}`;

async function rejects(content: string | Buffer, message: RegExp): Promise<void> {
  const dir = makeTree({ 'bad.json': content });
  const run = runGate({ cwd: dir, reports: ['bad.json'], vex: [], config: config() });
  await expect(run).rejects.toBeInstanceOf(ReportError);
  await expect(run).rejects.toMatchObject({ file: 'bad.json', message: expect.stringMatching(message) });
}

describe('gate fails closed on shapes the tool never writes (issue 15)', () => {
  it.each([
    ['Trivy Results: {}', trivy('{}'), /Results: must be an array/],
    ['Trivy Results: [null]', trivy('[null]'), /Results\[0\]: must be an object/],
    ['Trivy CRITICAL inside Results: [[…]]', trivy(`[[{"Target":"t","Vulnerabilities":[${V('CRITICAL')}]}]]`), /Results\[0\]: must be an object/],
    ['Trivy Vulnerabilities: {}', trivy('[{"Target":"t","Vulnerabilities":{}}]'), /Vulnerabilities: must be an array/],
    [
      'Trivy lower-case results',
      `{"SchemaVersion":2,"results":[{"Target":"t","Vulnerabilities":[${V('CRITICAL')}]}]}`,
      /unknown report format|unexpected key: Trivy writes "Results"/
    ],
    ['Trivy lower-case vulnerabilities', trivy(`[{"Target":"t","vulnerabilities":[${V('CRITICAL')}]}]`), /unexpected key: Trivy writes "Vulnerabilities"/],
    ['Trivy misspelled Vulnerabilites', trivy(`[{"Target":"t","Vulnerabilites":[${V('CRITICAL')}]}]`), /unexpected key: Trivy writes "Vulnerabilities"/],
    [
      'Snyk array with an errored project',
      `[${snykProject(',"vulnerabilities":[]')},{"ok":false,"error":"Could not scan image y:1","path":"y:1"}]`,
      /error for project \[1\]/
    ],
    [
      'Snyk lower-case misspelled key',
      snykProject(',"Vulnerabilities":[{"id":"SNYK-1","severity":"critical"}]'),
      /unknown report format|unexpected key: Snyk writes "vulnerabilities"/
    ],
    ['Snyk vulnerabilities: {}', snykProject(',"vulnerabilities":{}'), /vulnerabilities: must be an array/],
    ['Snyk project that is not an object', `[${snykProject(',"vulnerabilities":[]')},null]`, /\[1\]: must be a Snyk project object/],
    ['SARIF results: {}', sarif(sarifRun(',"results":{}')), /runs\[0\]\.results: must be an array/],
    ['SARIF results: null', sarif(sarifRun(',"results":null')), /runs\[0\]\.results: must be an array/],
    ['SARIF runs: [null]', '{"version":"2.1.0","runs":[null]}', /runs\[0\]: must be an object/],
    ['SARIF Results key', sarif(sarifRun(',"Results":[]')), /unexpected key: SARIF has "results"/],
    ['raw NUL in a skipped string', trivy('[{"Target":"t","Packages":[{"Name":"a\u0000b"}],"Vulnerabilities":[]}]'), /unescaped control character byte 0x00/],
    ['bad escape in a skipped string', trivy('[{"Target":"t","Packages":[{"Name":"a\\qb"}],"Vulnerabilities":[]}]'), /bad escape \\q/],
    ['short \\u escape in a skipped key', trivy('[{"Target":"t","Packages":[{"N\\u12":"a"}],"Vulnerabilities":[]}]'), /not valid JSON|\\u escape/]
  ])('%s', async (_name, content, message) => {
    await rejects(content, message);
  });

  it('invalid UTF-8 inside a captured field is an error, not U+FFFD (HIGH must not turn into something else)', async () => {
    const text = trivy(`[{"Target":"t","Vulnerabilities":[${V('HIGH')}]}]`);
    const at = Buffer.from(text).indexOf('HIGH');
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      const b = Buffer.from(text);
      const out = Buffer.concat([b.subarray(0, at + 1), Buffer.from(bad), b.subarray(at + 1)]);
      await rejects(out, /UTF-8/);
    }
  });

  it('valid reports still pass through: no key case or type check fires on what the tools write', async () => {
    const dir = makeTree({
      't.json': trivy(`[{"Target":"t","Class":"os-pkgs","Packages":[{"Name":"é\\u00e9"}],"Vulnerabilities":[${V('CRITICAL')}]},{"Target":"u"}]`),
      's.json': `[${snykProject(',"vulnerabilities":[{"id":"SNYK-1","severity":"high"}]')},${snykProject(',"vulnerabilities":[]')}]`
    });
    const t = await runGate({ cwd: dir, reports: ['t.json'], vex: [], config: config() });
    expect(t.result.counts.before.critical).toBe(1);
    const s = await runGate({ cwd: dir, reports: ['s.json'], vex: [], config: config() });
    expect(s.result.counts.before.high).toBe(1);
  });
});
