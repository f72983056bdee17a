import { describe, expect, it } from '@jest/globals';
import type { Finding, Severity } from '../../src/core/finding.js';
import { ANNOTATIONS_PER_JOB, ANNOTATIONS_PER_STEP, hiddenNotice, toAnnotations, type AnnotationOptions } from '../../src/core/report/annotations.js';
import { finding, makeReport, many, richReport } from './fixtures.js';

/** Sorted findings: e errors, w warnings and n notes, interleaved line by line (error, warning, note, error, ...). */
function mixed(e: number, w: number, n: number): Finding[] {
  const left: Record<Severity, number> = { error: e, warning: w, note: n };
  const out: Finding[] = [];
  while (left.error + left.warning + left.note > 0) {
    for (const s of ['error', 'warning', 'note'] as const) {
      if (left[s] === 0) continue;
      left[s]--;
      out.push(finding({ ruleId: 'pin-base-image', severity: s, file: 'Dockerfile', line: out.length + 1 }));
    }
  }
  return out;
}

describe('toAnnotations', () => {
  it('uses GitHub per-step caps: 10 error, 10 warning, 10 notice; 50 per job', () => {
    expect(ANNOTATIONS_PER_STEP).toEqual({ error: 10, warning: 10, notice: 10 });
    expect(ANNOTATIONS_PER_JOB).toBe(50);
  });

  it('orders most severe first and keeps report order within a level', () => {
    const report = richReport();
    const { annotations, hidden } = toAnnotations(report);
    expect(hidden).toBe(0);
    expect(annotations.map((a) => `${a.level} ${a.file}:${a.startLine}`)).toEqual([
      'error Dockerfile:3',
      'error broken/Dockerfile:1',
      'warning Dockerfile:1',
      'warning services/my api/Dockerfile:1',
      'notice Dockerfile:2'
    ]);
  });

  it.each<[string, [number, number, number], AnnotationOptions | undefined, [number, number, number], number]>([
    ['under the caps', [3, 4, 5], undefined, [3, 4, 5], 0],
    ['exactly at the caps', [10, 10, 10], undefined, [10, 10, 10], 0],
    ['over the caps', [15, 12, 3], undefined, [10, 10, 3], 7],
    ['far over every cap', [100, 100, 100], undefined, [10, 10, 10], 270],
    ['one number for all levels', [5, 5, 5], { limit: 2 }, [2, 2, 2], 9],
    ['per-level caps, others default', [12, 12, 12], { limit: { error: 20, notice: 0 } }, [12, 10, 0], 14],
    ['a total shared with other steps', [15, 15, 15], { total: 12 }, [10, 2, 0], 33],
    ['a total of zero', [1, 1, 1], { total: 0 }, [0, 0, 0], 3],
    ['negative and fractional caps', [3, 3, 3], { limit: { error: -1, warning: 1.9 } }, [0, 1, 3], 5]
  ])('%s', (_name, [e, w, n], options, [se, sw, sn], hidden) => {
    const findings = mixed(e, w, n);
    const result = toAnnotations(makeReport({ findings }), options);
    const levels = result.annotations.map((a) => a.level);
    expect(levels).toEqual([...Array(se).fill('error'), ...Array(sw).fill('warning'), ...Array(sn).fill('notice')]);
    expect(result.hidden).toBe(hidden);
    expect(result.hiddenByLevel).toEqual({ error: e - se, warning: w - sw, notice: n - sn });
    expect(result.annotations.length + result.hidden).toBe(findings.length);
  });

  it('shows the first findings of a level (file, line order) when it cuts', () => {
    const findings = mixed(12, 0, 0);
    expect(toAnnotations(makeReport({ findings })).annotations.map((a) => a.startLine)).toEqual(findings.slice(0, 10).map((f) => f.line));
  });

  it('never annotates suppressed findings', () => {
    const report = makeReport({ suppressed: many(3, 'error') });
    expect(toAnnotations(report)).toEqual({ annotations: [], hidden: 0, hiddenByLevel: { error: 0, warning: 0, notice: 0 } });
  });

  it.each<[string, Finding, Record<string, unknown>]>([
    [
      'a one-line finding with rule metadata',
      finding({ ruleId: 'maintainer-deprecated', severity: 'note', file: './x\\Dockerfile', line: 4, column: 3, message: 'use LABEL' }),
      {
        level: 'notice',
        title: 'MAINTAINER is deprecated (maintainer-deprecated)',
        message: 'use LABEL\nhttps://github.com/container-guard/container-guard/blob/main/docs/rules/maintainer-deprecated.md',
        file: 'x/Dockerfile',
        startLine: 4,
        endLine: 4,
        startColumn: 3
      }
    ],
    [
      'a multi-line finding has no column (GitHub ignores it then)',
      finding({ ruleId: 'no-secret-in-env', severity: 'error', file: 'D', line: 3, endLine: 5, column: 7, message: 'm' }),
      { level: 'error', title: 'Secret in ENV or ARG (no-secret-in-env)', file: 'D', startLine: 3, endLine: 5 }
    ],
    [
      'a rule without metadata and a help that is not a URL',
      finding({ ruleId: 'parse-error', severity: 'warning', file: 'D', line: 0, endLine: 0, column: 0, message: 'm', help: 'see docs' }),
      { level: 'warning', title: 'parse-error', message: 'm', file: 'D', startLine: 1, endLine: 1, startColumn: 1 }
    ]
  ])('%s', (_name, f, expected) => {
    const [a] = toAnnotations(makeReport({ findings: [f] })).annotations;
    expect(a).toMatchObject(expected);
    if (!('startColumn' in expected)) expect(a).not.toHaveProperty('startColumn');
  });

  it.each([
    [0, undefined],
    [1, '1 more finding not shown as annotations (GitHub limits them per step); see the job summary or the SARIF output.'],
    [270, '270 more findings not shown as annotations (GitHub limits them per step); see the job summary or the SARIF output.']
  ])('hiddenNotice(%d)', (n, expected) => {
    expect(hiddenNotice(n)).toBe(expected);
  });
});
