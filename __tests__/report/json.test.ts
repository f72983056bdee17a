import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../src/core/finding.js';
import { findingJson, formatJson } from '../../src/core/report/json.js';
import { finding, makeReport, richReport } from './fixtures.js';

const KEY_ORDER = ['ruleId', 'aliases', 'severity', 'file', 'line', 'column', 'endLine', 'message', 'help', 'fix', 'tool', 'snippet'];

describe('formatJson', () => {
  it('writes findings in the given order and the summary', () => {
    const report = richReport();
    const out = JSON.parse(formatJson(report));
    expect(Object.keys(out)).toEqual(['findings', 'summary']);
    expect(out.findings.map((f: Finding) => `${f.file}:${f.line}:${f.ruleId}`)).toEqual(report.findings.map((f) => `${f.file}:${f.line}:${f.ruleId}`));
    expect(out.summary).toEqual({
      files: 4,
      counts: { error: 2, warning: 2, note: 1 },
      suppressed: 2,
      errors: [{ file: 'broken/Dockerfile', message: 'invalid UTF-8 at line 1: save the file as UTF-8' }]
    });
    expect(Object.keys(out.summary)).toEqual(['files', 'counts', 'suppressed', 'errors']);
    expect(Object.keys(out.summary.counts)).toEqual(['error', 'warning', 'note']);
  });

  it('indents with 2 spaces and ends with a newline', () => {
    const out = formatJson(makeReport());
    expect(out).toBe(
      '{\n  "findings": [],\n  "summary": {\n    "files": 1,\n    "counts": {\n      "error": 0,\n      "warning": 0,\n      "note": 0\n    },\n    "suppressed": 0,\n    "errors": []\n  }\n}\n'
    );
  });

  const full = finding({
    ruleId: 'r',
    severity: 'warning',
    file: 'Dockerfile',
    line: 2,
    snippet: 'RUN x',
    fix: { description: 'd', replacement: 'RUN y', endLine: 2, line: 2 }
  });
  const shuffled = Object.fromEntries(Object.entries(full).reverse()) as unknown as Finding;
  const bare: Finding = { ruleId: 'r', aliases: [], severity: 'note', file: 'f', line: 1, column: 1, endLine: 1, message: 'm', help: 'h' };
  const extra = { ...bare, suppressedBy: 'config', internal: { secret: 1 } } as unknown as Finding;

  it.each([
    ['all fields, built in order', full, KEY_ORDER],
    ['all fields, built in reverse order', shuffled, KEY_ORDER],
    ['no optional fields', bare, KEY_ORDER.filter((k) => !['fix', 'tool', 'snippet'].includes(k))],
    ['unknown fields are dropped', extra, KEY_ORDER.filter((k) => !['fix', 'tool', 'snippet'].includes(k))]
  ])('stable key order: %s', (_name, f, keys) => {
    const j = findingJson(f);
    expect(Object.keys(j)).toEqual(keys);
    const text = JSON.stringify(j);
    expect(text).not.toContain('null');
    expect(text).not.toContain('suppressedBy');
  });

  it('writes fix keys in a fixed order', () => {
    expect(Object.keys(findingJson(shuffled).fix ?? {})).toEqual(['line', 'endLine', 'replacement', 'description']);
  });

  it('gives the same text for the same report however its objects were built', () => {
    expect(formatJson(makeReport({ findings: [shuffled] }))).toBe(formatJson(makeReport({ findings: [full] })));
  });

  it('does not list suppressed findings, only their count', () => {
    const out = formatJson(richReport());
    expect(out).not.toContain('golang');
    expect(JSON.parse(out).summary.suppressed).toBe(2);
  });
});
