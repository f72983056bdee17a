import { describe, expect, it } from '@jest/globals';
import { markerFor, renderBody } from '../../src/core/comment/body.js';
import { mergeFindings, parseFindingsFile } from '../../src/core/comment/findings-files.js';
import { planComment, type PlanInput } from '../../src/core/comment/plan.js';
import type { CommentOptions, ExistingComment } from '../../src/core/comment/types.js';
import type { Finding } from '../../src/core/finding.js';
import { DIFF, finding, OPTIONS, PR, PR2 } from './fixtures.js';

const BOT = 'github-actions[bot]';
const inDiff = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 23, message: 'runs as root' });
const outside = finding({ ruleId: 'apt-pin-versions', severity: 'warning', file: 'Dockerfile', line: 12, message: 'pin apt packages' });
const findings = [inDiff, outside];

const input = (more: Partial<PlanInput> = {}, options: Partial<CommentOptions> = {}): PlanInput => ({
  findings,
  pr: PR,
  diff: DIFF,
  existing: [],
  existingReview: [],
  options: { ...OPTIONS, ...options },
  botLogin: BOT,
  ...more
});
const bodyFor = (f: Finding[], previousBody?: string, pr = PR) => renderBody({ findings: f, pr, options: OPTIONS, previousBody });
const sticky = (id: number, body: string, user = BOT): ExistingComment => ({ id, body, user });

describe('planComment: the sticky comment', () => {
  it('creates it when there is none', () => {
    const plan = planComment(input({ existing: [{ id: 1, body: 'LGTM', user: 'octocat' }] }));
    expect(plan.sticky).toEqual({ action: 'create', body: bodyFor(findings) });
    expect(plan.deleteDuplicates).toEqual([]);
  });

  it('updates it in place, comparing with its previous findings', () => {
    const old = bodyFor([outside, finding({ ruleId: 'gone', severity: 'note', file: 'Dockerfile', line: 1 })]);
    const plan = planComment(input({ existing: [sticky(5, old)], pr: PR2 }));
    expect(plan.sticky).toEqual({ action: 'update', id: 5, body: bodyFor(findings, old, PR2) });
    expect(plan.sticky.action === 'update' && plan.sticky.body).toContain('🆕 1 new · ✅ 1 fixed\n');
  });

  it('does nothing when the body would not change (also with CRLF line endings from the API)', () => {
    const body = bodyFor(findings);
    expect(planComment(input({ existing: [sticky(5, body)] })).sticky).toEqual({ action: 'none' });
    expect(planComment(input({ existing: [sticky(5, body.replace(/\n/g, '\r\n'))] })).sticky).toEqual({ action: 'none' });
  });

  it('names the sticky comment that stays, so an unchanged re-run still reports it', () => {
    expect(planComment(input({ existing: [sticky(5, bodyFor(findings))] })).stickyId).toBe(5);
    expect(planComment(input({ existing: [sticky(7, `${markerFor(OPTIONS.header)}\nold`)] })).stickyId).toBe(7);
    expect(planComment(input({ existing: [] })).stickyId).toBeUndefined();
  });

  it('reaches a fixed point: planning again with what it posted changes nothing', () => {
    const first = planComment(input({ pr: PR2, existing: [sticky(5, bodyFor([outside]))] }));
    expect(first.sticky.action).toBe('update');
    const posted = first.sticky.action === 'update' ? first.sticky.body : '';
    expect(planComment(input({ pr: PR2, existing: [sticky(5, posted)] })).sticky).toEqual({ action: 'none' });
  });

  it('updates the oldest of several sticky comments (a race) and deletes the others', () => {
    const existing = [
      sticky(40, bodyFor(findings)),
      { id: 3, body: 'first!', user: 'octocat' },
      sticky(12, bodyFor([outside])),
      sticky(7, `${markerFor('other-header')}\nnot ours`),
      sticky(9, `${markerFor(OPTIONS.header)}\ncopied by someone`, 'mallory'),
      sticky(25, bodyFor([]))
    ];
    const plan = planComment(input({ existing }));
    expect(plan.sticky).toEqual({ action: 'update', id: 12, body: bodyFor(findings, existing[2].body) });
    expect(plan.deleteDuplicates).toEqual([25, 40]);
  });

  it('keeps the oldest as it is and still deletes the others when it is up to date', () => {
    const body = bodyFor(findings);
    const plan = planComment(input({ existing: [sticky(20, body), sticky(10, body)] }));
    expect(plan.sticky).toEqual({ action: 'none' });
    expect(plan.deleteDuplicates).toEqual([20]);
  });

  it('only touches comments of the bot login when one is given (case-insensitive)', () => {
    const body = bodyFor([outside]);
    expect(planComment(input({ existing: [sticky(5, body, 'octocat')] })).sticky.action).toBe('create');
    expect(planComment(input({ existing: [sticky(5, body, 'GitHub-Actions[bot]')] })).sticky).toMatchObject({ action: 'update', id: 5 });
    expect(planComment(input({ existing: [{ id: 5, body }] })).sticky.action).toBe('create');
    expect(planComment(input({ existing: [{ id: 5, body }], botLogin: undefined })).sticky).toMatchObject({ action: 'update', id: 5 });
  });

  it('keeps one sticky comment per header', () => {
    const lintBody = renderBody({ findings, pr: PR, options: { ...OPTIONS, header: 'lint' } });
    const plan = planComment(input({ existing: [sticky(5, lintBody)] }, { header: 'gate' }));
    expect(plan.sticky.action).toBe('create');
    expect(plan.sticky.action === 'create' && plan.sticky.body.startsWith('<!-- container-guard:sticky:gate -->\n')).toBe(true);
  });
});

describe('planComment: all clear', () => {
  const old = bodyFor(findings);

  it.each<['update' | 'delete']>([['update'], ['delete']])('does nothing without a sticky comment (allClear: %s)', (allClear) => {
    expect(planComment(input({ findings: [] }, { allClear }))).toEqual({
      sticky: { action: 'none' },
      deleteDuplicates: [],
      outsideDiff: [],
      skipped: { duplicate: 0, overLimit: 0 }
    });
  });

  it('updates the sticky comment to the all-clear body', () => {
    const plan = planComment(input({ findings: [], pr: PR2, existing: [sticky(5, old)] }, { allClear: 'update' }));
    expect(plan.sticky).toEqual({ action: 'update', id: 5, body: bodyFor([], old, PR2) });
    const body = plan.sticky.action === 'update' ? plan.sticky.body : '';
    expect(body).toContain('## container-guard: ✅ all clear\n');
    expect(body).toContain('2 fixed since [a1b2c3d]');
    expect(body.length).toBeLessThan(1_000);
    // Next run, still clear: nothing to do.
    expect(planComment(input({ findings: [], pr: PR2, existing: [sticky(5, body)] })).sticky).toEqual({ action: 'none' });
  });

  it('deletes the sticky comment and its duplicates', () => {
    const plan = planComment(input({ findings: [], existing: [sticky(9, old), sticky(5, old)] }, { allClear: 'delete' }));
    expect(plan.sticky).toEqual({ action: 'delete', id: 5 });
    expect(plan.deleteDuplicates).toEqual([9]);
    expect(plan.review).toBeUndefined();
  });

  it('creates the sticky comment again when findings come back after an all-clear', () => {
    const clear = bodyFor([], old, PR2);
    const plan = planComment(input({ existing: [sticky(5, clear)] }));
    expect(plan.sticky.action === 'update' && plan.sticky.body).toContain('🆕 2 new · ✅ 0 fixed\n');
  });
});

describe('planComment: modes', () => {
  it('both: the sticky comment and a review of the lines in the diff; the rest is outside', () => {
    const plan = planComment(input());
    expect(plan.sticky.action).toBe('create');
    expect(plan.review?.comments.map((c) => [c.path, c.line])).toEqual([['Dockerfile', 23]]);
    expect(plan.review?.body).toBe('container-guard found 1 problem in lines this PR changes: 1 error.');
    expect(plan.outsideDiff).toEqual([outside]);
  });

  it('summary: no review, but outsideDiff still says what the diff does not hold', () => {
    const plan = planComment(input({}, { mode: 'summary' }));
    expect(plan.sticky.action).toBe('create');
    expect(plan.review).toBeUndefined();
    expect(plan.outsideDiff).toEqual([outside]);
    expect(plan.skipped).toEqual({ duplicate: 0, overLimit: 0 });
  });

  it('review: leaves sticky comments alone', () => {
    const plan = planComment(input({ existing: [sticky(5, bodyFor([])), sticky(6, bodyFor([]))] }, { mode: 'review', maxComments: 0 }));
    expect(plan.sticky).toEqual({ action: 'none' });
    expect(plan.deleteDuplicates).toEqual([]);
    expect(plan.review).toBeUndefined();
    expect(plan.skipped).toEqual({ duplicate: 0, overLimit: 1 });
  });

  it('passes the filter mode on', () => {
    const plan = planComment(input({}, { filterMode: 'file' }));
    expect(plan.review?.body).toBe('container-guard found 1 problem in files this PR changes: 1 error.');
    expect(plan.outsideDiff).toEqual([outside]);
  });

  it('skips review comments that exist already', () => {
    const first = planComment(input());
    const existingReview = (first.review?.comments ?? []).map((c, i) => ({ id: i + 1, path: c.path, line: c.line, body: c.body }));
    const again = planComment(input({ existingReview }));
    expect(again.review).toBeUndefined();
    expect(again.skipped).toEqual({ duplicate: 1, overLimit: 0 });
  });
});

describe('planComment: from findings files', () => {
  it('merges lint and gate files and shows what the gate suppressed', () => {
    const lint = parseFindingsFile(JSON.stringify({ findings: [inDiff, outside], summary: { files: 1, counts: {}, suppressed: 1, errors: [] } }), 'lint.json');
    const gate = parseFindingsFile(
      JSON.stringify({
        findings: [{ ...inDiff, ruleId: 'CVE-2024-1', file: 'ghcr.io/acme/api:1', line: 1, endLine: 1, tool: 'gate', message: 'openssl' }],
        summary: { passed: false, reason: '1 finding at or above high', counts: {}, suppressed: 4 }
      }),
      'gate.json'
    );
    const merged = mergeFindings([lint.findings, gate.findings, lint.findings]);
    const reports = [lint.report, gate.report].filter((r) => r !== undefined);
    const plan = planComment(input({ findings: merged, reports }));
    const body = plan.sticky.action === 'create' ? plan.sticky.body : '';
    expect(body).toContain('## container-guard: 2 errors, 1 warning, 0 notes\n');
    expect(body).toContain('| lint | 1 | 1 | 0 |\n| gate | 1 | 0 | 0 |\n');
    expect(body).toContain('**gate:** ❌ failed: 1 finding at or above high\n\n**Suppressed** (not counted above): lint 1; gate 4\n');
    expect(plan.outsideDiff.map((f) => f.ruleId)).toEqual(['apt-pin-versions', 'CVE-2024-1']);
  });
});
