import { describe, expect, it } from '@jest/globals';
import { FindingsFileError, mergeFindings, parseFindingsFile } from '../../src/core/comment/findings-files.js';
import type { Finding } from '../../src/core/finding.js';
import { formatJson } from '../../src/core/report/json.js';
import { makeReport } from '../report/fixtures.js';
import { finding } from './fixtures.js';

const lintFinding = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 9, message: 'the image runs as root' });
const gateFinding: Finding = {
  ruleId: 'CVE-2024-3094',
  aliases: ['GHSA-rxwq-x6h5-x525'],
  severity: 'error',
  file: 'ghcr.io/acme/api:1.2 (debian 12.5)',
  line: 1,
  column: 1,
  endLine: 1,
  message: '[CRITICAL, CVSS 10] xz-utils 5.6.0-0.2: backdoor in liblzma; fixed in 5.6.1+really5.4.5-1',
  help: 'https://avd.aquasec.com/nvd/cve-2024-3094',
  tool: 'gate'
};

describe('parseFindingsFile: the shapes the actions write', () => {
  it("reads lint's findings file (formatJson) with its summary", () => {
    const report = makeReport({ findings: [lintFinding], suppressed: [lintFinding, lintFinding], files: ['Dockerfile', 'a/Dockerfile'] });
    const parsed = parseFindingsFile(formatJson(report), 'lint-findings.json');
    expect(parsed).toEqual({
      findings: [lintFinding],
      summary: { files: 2, counts: { error: 1, warning: 0, note: 0 }, suppressed: 2, errors: [] },
      tool: 'lint',
      report: { tool: 'lint', suppressed: 2 }
    });
  });

  it("reads the gate's findings file with its verdict", () => {
    const text = JSON.stringify({
      findings: [gateFinding],
      summary: {
        passed: false,
        reason: '1 finding at or above high',
        counts: { before: { critical: 1, high: 0, medium: 4, low: 2, unknown: 0 }, after: { critical: 1, high: 0, medium: 0, low: 0, unknown: 0 } },
        suppressed: 6
      }
    });
    const parsed = parseFindingsFile(text, 'gate-findings.json');
    expect(parsed.findings).toEqual([gateFinding]);
    expect(parsed.tool).toBe('gate');
    expect(parsed.report).toEqual({ tool: 'gate', suppressed: 6, passed: false, reason: '1 finding at or above high' });
  });

  it("reads the gate's result file (--format json): suppressed entries grouped by the kind of their reason", () => {
    const suppressed = (reason: string) => ({ ...gateFinding, suppressedBy: 'config', reason });
    const text = JSON.stringify({
      passed: true,
      reason: 'no finding at or above high',
      counts: {},
      findings: [],
      suppressed: [suppressed('vex: not_affected (vex/api.json)'), suppressed('ignore: SEC-42 (.container-guard.yml:12)'), suppressed('vex: fixed'), {}],
      unusedIgnores: []
    });
    const parsed = parseFindingsFile(text, 'gate-result.json');
    expect(parsed).toEqual({
      findings: [],
      tool: 'gate',
      report: { tool: 'gate', suppressed: 4, suppressedBy: { vex: 2, ignore: 1, other: 1 }, passed: true, reason: 'no finding at or above high' }
    });
  });

  it('reads a verify-style file: a top-level tool names the findings that do not say', () => {
    const { tool: _tool, ...untagged } = lintFinding;
    const parsed = parseFindingsFile(JSON.stringify({ tool: 'verify', findings: [{ ...untagged, ruleId: 'unsigned-image' }] }), 'verify.json');
    expect(parsed.tool).toBe('verify');
    expect(parsed.findings.map((f) => [f.ruleId, f.tool])).toEqual([['unsigned-image', 'verify']]);
    expect(parsed.report).toBeUndefined();
  });

  it('reads a bare array of findings; the tool comes from the findings when they agree', () => {
    expect(parseFindingsFile(JSON.stringify([lintFinding]), 'a.json')).toEqual({ findings: [lintFinding], tool: 'lint' });
    const mixed = parseFindingsFile(JSON.stringify([lintFinding, gateFinding]), 'b.json');
    expect(mixed.tool).toBeUndefined();
    expect(mixed.findings).toEqual([lintFinding, gateFinding]);
  });

  it('fills in the optional fields the way the other outputs do, and keeps only Finding keys', () => {
    const parsed = parseFindingsFile(
      '\uFEFF' + JSON.stringify([{ ruleId: 'x', severity: 'note', file: 'Dockerfile', line: 4, message: 'm', extra: { any: 1 }, reason: 'r' }]),
      'min.json'
    );
    expect(parsed.findings).toEqual([
      { ruleId: 'x', aliases: [], severity: 'note', file: 'Dockerfile', line: 4, column: 1, endLine: 4, message: 'm', help: '' }
    ]);
  });

  it('keeps a valid fix, snippet and aliases', () => {
    const f = { ...lintFinding, aliases: ['DL3002'], snippet: 'USER root', fix: { line: 9, endLine: 9, replacement: 'USER app', description: 'Run as app' } };
    expect(parseFindingsFile(JSON.stringify([f]), 'f.json').findings).toEqual([f]);
  });

  it('counts findings marked suppressedBy as suppressed instead of showing them', () => {
    const text = JSON.stringify({
      findings: [lintFinding, { ...lintFinding, line: 10, endLine: 10, suppressedBy: 'inline' }],
      summary: { files: 1, suppressed: 3 }
    });
    const parsed = parseFindingsFile(text, 'lint.json');
    expect(parsed.findings).toEqual([lintFinding]);
    expect(parsed.report).toEqual({ tool: 'lint', suppressed: 4, suppressedBy: { inline: 1 } });
  });

  it('tells the tool from the summary shape when nothing else says', () => {
    const { tool: _tool, ...untagged } = lintFinding;
    expect(parseFindingsFile(JSON.stringify({ findings: [untagged], summary: { files: 3, suppressed: 0 } }), 'x.json').findings[0].tool).toBe('lint');
    expect(parseFindingsFile(JSON.stringify({ findings: [untagged], summary: { passed: true, reason: 'ok' } }), 'y.json').findings[0].tool).toBe('gate');
    const unknown = parseFindingsFile(JSON.stringify({ findings: [untagged], summary: { whatever: 1 } }), 'z.json');
    expect(unknown.tool).toBeUndefined();
    expect(unknown.findings[0].tool).toBeUndefined();
    expect(unknown.summary).toEqual({ whatever: 1 });
  });
});

describe('parseFindingsFile: malformed files name the file and the entry', () => {
  const good = { ruleId: 'r', severity: 'error', file: 'Dockerfile', line: 1, message: 'm' };
  const withBad = (bad: unknown) => JSON.stringify({ findings: [good, good, bad], summary: {} });

  it.each([
    ['an empty file', '  \n', 'lint.json: the file is empty (expected the JSON findings file of lint, gate or verify)'],
    ['truncated JSON', '{"findings": [', /^lint\.json: not valid JSON \(.+\)$/],
    ['a string', '"oops"', 'lint.json: expected {"findings": [...]} or an array of findings (got "oops")'],
    ['null', 'null', 'lint.json: expected {"findings": [...]} or an array of findings (got null)'],
    ['an object without findings', '{"results": []}', 'lint.json: expected {"findings": [...]} or an array of findings (got an object without "findings")'],
    ['findings that are not an array', '{"findings": {"a": 1}}', 'lint.json: expected {"findings": [...]} or an array of findings (got "findings": {"a":1})'],
    ['a non-object entry', withBad(42), 'lint.json: findings[2]: expected a finding object (got 42)'],
    ['a missing ruleId', withBad({ ...good, ruleId: undefined }), 'lint.json: findings[2]: "ruleId" must be a non-empty string (got nothing)'],
    ['an empty ruleId', withBad({ ...good, ruleId: ' ' }), 'lint.json: findings[2]: "ruleId" must be a non-empty string (got " ")'],
    ['an unknown severity', withBad({ ...good, severity: 'critical' }), 'lint.json: findings[2]: "severity" must be error, warning or note (got "critical")'],
    ['a missing file', withBad({ ...good, file: undefined }), 'lint.json: findings[2]: "file" must be a non-empty string (got nothing)'],
    ['line 0', withBad({ ...good, line: 0 }), 'lint.json: findings[2]: "line" must be an integer >= 1 (got 0)'],
    ['a fractional line', withBad({ ...good, line: 1.5 }), 'lint.json: findings[2]: "line" must be an integer >= 1 (got 1.5)'],
    ['a line as a string', withBad({ ...good, line: '3' }), 'lint.json: findings[2]: "line" must be an integer >= 1 (got "3")'],
    ['endLine before line', withBad({ ...good, line: 5, endLine: 4 }), 'lint.json: findings[2]: "endLine" must be an integer >= line (got 4)'],
    ['column 0', withBad({ ...good, column: 0 }), 'lint.json: findings[2]: "column" must be an integer >= 1 (got 0)'],
    ['a missing message', withBad({ ...good, message: undefined }), 'lint.json: findings[2]: "message" must be a string (got nothing)'],
    ['aliases that are not strings', withBad({ ...good, aliases: ['a', 1] }), 'lint.json: findings[2]: "aliases" must be an array of strings (got ["a",1])'],
    ['help that is not a string', withBad({ ...good, help: 5 }), 'lint.json: findings[2]: "help" must be a string (got 5)'],
    [
      'a fix without replacement',
      withBad({ ...good, fix: { line: 1, endLine: 1 } }),
      'lint.json: findings[2]: "fix.replacement" must be a string (got nothing)'
    ],
    [
      'a fix ending before it starts',
      withBad({ ...good, fix: { line: 3, endLine: 2, replacement: '' } }),
      'lint.json: findings[2]: "fix.endLine" must be an integer >= fix.line (got 2)'
    ],
    ['an unknown suppressedBy', withBad({ ...good, suppressedBy: 'vex' }), 'lint.json: findings[2]: "suppressedBy" must be inline or config (got "vex")'],
    [
      'a long value',
      withBad({ ...good, severity: 'x'.repeat(100) }),
      `lint.json: findings[2]: "severity" must be error, warning or note (got "${'x'.repeat(36)}...)`
    ],
    ['a bad entry of a bare array', JSON.stringify([good, { ...good, line: -1 }]), 'lint.json: [1]: "line" must be an integer >= 1 (got -1)'],
    ['a bad top-level tool', JSON.stringify({ tool: 7, findings: [] }), 'lint.json: "tool" must be a non-empty string (got 7)']
  ])('rejects %s', (_name, text, message) => {
    let error: unknown;
    try {
      parseFindingsFile(text, 'lint.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FindingsFileError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
    expect((error as FindingsFileError).file).toBe('lint.json');
  });

  it('reports the index of the first bad entry', () => {
    const e = (() => {
      try {
        parseFindingsFile(JSON.stringify([good, { ...good, severity: 'x' }, { ...good, line: 0 }]), 'gate.json');
      } catch (err) {
        return err as FindingsFileError;
      }
      throw new Error('no error');
    })();
    expect(e.index).toBe(1);
    expect(e.name).toBe('FindingsFileError');
  });
});

describe('mergeFindings', () => {
  const a = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 9 });
  const b = finding({ ruleId: 'apt-pin-versions', severity: 'warning', file: 'Dockerfile', line: 3 });
  const c = finding({ ruleId: 'apk-no-cache', severity: 'note', file: 'api/Dockerfile', line: 2 });

  it.each<[string, Finding[][], Finding[]]>([
    ['sorts by file, line, column, rule', [[a, b], [c]], [b, a, c]],
    [
      'drops exact duplicates across files',
      [
        [a, b],
        [b, a]
      ],
      [b, a]
    ],
    ['drops duplicates inside one list', [[a, a]], [a]],
    ['keeps the same finding from another tool', [[a], [{ ...a, tool: 'gate' }]], [a, { ...a, tool: 'gate' }]],
    ['keeps the same finding on another line', [[a], [{ ...a, line: 10, endLine: 10 }]], [a, { ...a, line: 10, endLine: 10 }]],
    ['keeps the same finding with another message', [[a], [{ ...a, message: 'other' }]], [a, { ...a, message: 'other' }]],
    ['treats a missing tool as its own tool', [[a], [{ ...a, tool: undefined }]], [a, { ...a, tool: undefined }]],
    ['de-duplicates on (tool, rule, file, line, message) only: the first one wins', [[a], [{ ...a, column: 7, help: 'x' }]], [a]],
    ['handles nothing', [[], []], []]
  ])('%s', (_name, lists, expected) => {
    expect(mergeFindings(lists)).toEqual(expected);
  });

  it('a copy at a lower severity in another file cannot downgrade a finding: the most severe copy is kept', () => {
    const downgraded = { ...a, severity: 'note' as const };
    expect(mergeFindings([[downgraded], [a]])).toEqual([a]);
    expect(mergeFindings([[a], [downgraded]])).toEqual([a]);
  });

  it('keeps the order of the lists for findings that compare equal', () => {
    const fromGate = { ...a, tool: 'gate', message: 'from gate' };
    const fromLint = { ...a, message: 'from lint' };
    expect(mergeFindings([[fromGate], [fromLint]]).map((f) => f.message)).toEqual(['from gate', 'from lint']);
    expect(mergeFindings([[fromLint], [fromGate]]).map((f) => f.message)).toEqual(['from lint', 'from gate']);
  });

  it('does not modify its input', () => {
    const list = [a, b];
    mergeFindings([list]);
    expect(list).toEqual([a, b]);
  });
});

describe('parseFindingsFile: hostile shapes', () => {
  it('a field nested deeper than the stack allows is a FindingsFileError naming the file, not a crash', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = `{"findings":[{"ruleId":${deep},"severity":"error","file":"Dockerfile","line":1,"message":"m"}]}`;
    expect(() => parseFindingsFile(text, 'fork.json')).toThrow(FindingsFileError);
    expect(() => parseFindingsFile(text, 'fork.json')).toThrow(/fork\.json/);
  });

  it('suppression reasons named after built-in object properties are counted like any other', () => {
    const text = JSON.stringify({
      passed: true,
      findings: [],
      suppressed: [{ reason: 'constructor: a' }, { reason: 'hasOwnProperty: b' }, { reason: 'constructor: c' }]
    });
    const parsed = parseFindingsFile(text, 'gate-result.json');
    expect(Object.entries(parsed.report?.suppressedBy ?? {}).sort()).toEqual([
      ['constructor', 2],
      ['hasownproperty', 1]
    ]);
  });
});
