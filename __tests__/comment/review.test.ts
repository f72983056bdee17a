import { describe, expect, it } from '@jest/globals';
import { indexDiff } from '../../src/core/comment/diff.js';
import { planReview, reviewCommentBody, suggestionBlock, suggestionFor, type ReviewInput } from '../../src/core/comment/review.js';
import type { ExistingReviewComment, FilterMode } from '../../src/core/comment/types.js';
import type { Finding, Fix } from '../../src/core/finding.js';
import { DIFF, finding } from './fixtures.js';

const index = indexDiff(DIFF);
const RULES = 'https://github.com/container-guard/container-guard/blob/main/docs/rules';
const plan = (findings: Finding[], more: Partial<ReviewInput> = {}) =>
  planReview({ findings, index, existingReview: [], filterMode: 'added', maxComments: 50, summaryComment: true, ...more });
/** [path, startLine, line] of each planned comment. */
const where = (r: ReturnType<typeof planReview>) => (r.review?.comments ?? []).map((c) => [c.path, c.startLine ?? null, c.line]);

describe("review comment bodies stay under GitHub's limit whatever the text", () => {
  it('a message and fix description of ampersands (5 characters each once escaped) and a long rule id still fit', () => {
    const f = finding({ ruleId: 'r'.repeat(70_000), severity: 'note', file: 'Dockerfile', line: 3, message: '&'.repeat(4_000) });
    f.fix = { line: 3, endLine: 3, replacement: 'A'.repeat(30_000), description: '&'.repeat(4_000) };
    const body = reviewCommentBody(f, suggestionBlock(f.fix.replacement));
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('&amp;'.repeat(10));
    expect(body).not.toMatch(/&am?…|&a…|&…/); // clipped before escaping: no escape cut in half
  });

  it('bare URLs and issue references are not left for GitHub to link', () => {
    const f = finding({
      ruleId: 'x',
      severity: 'note',
      file: 'Dockerfile',
      line: 1,
      message: 'see https://evil.example/login, www.evil.example, #1, owner/repo#2 and GH-3'
    });
    const body = reviewCommentBody(f);
    expect(body).not.toMatch(/https:\/\/evil|www\.evil|#\d|GH-\d/);
    expect(body.replace(/\u200D/g, '')).toContain('see https://evil.example/login, www.evil.example, #1, owner/repo#2 and GH-3');
  });
});

describe('review comment bodies', () => {
  it('has the severity badge, the linked rule and the escaped message', () => {
    const f = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 4, message: 'runs as root: ask @security | `USER app`' });
    expect(reviewCommentBody(f)).toBe(`**❌ Error** · [root-user](${RULES}/root-user.md)\n\nruns as root: ask @\u200Dsecurity \\| \\\`USER app\\\``);
  });

  it('cuts a huge message to 4,000 characters', () => {
    const f = finding({ ruleId: 'x', severity: 'note', file: 'Dockerfile', line: 1, help: '', message: 'y'.repeat(100_000) });
    expect(reviewCommentBody(f)).toBe(`**ℹ️ Note** · x\n\n${'y'.repeat(3_999)}…`);
  });

  it('offers no suggestion for a replacement over 30,000 characters', () => {
    const fix = (n: number) =>
      finding({ ruleId: 'x', severity: 'note', file: 'Dockerfile', line: 1, fix: { line: 1, endLine: 1, replacement: 'z'.repeat(n) } });
    expect(suggestionFor(fix(30_000), index)).toBeDefined();
    expect(suggestionFor(fix(30_001), index)).toBeUndefined();
  });

  it('leaves the rule unlinked when help is not an http URL', () => {
    expect(reviewCommentBody(finding({ ruleId: 'x', severity: 'note', file: 'Dockerfile', line: 1, help: 'see docs', message: 'm' }))).toBe(
      '**ℹ️ Note** · x\n\nm'
    );
  });

  it('adds the suggestion after the fix description', () => {
    const f = finding({
      ruleId: 'unpinned-base-image',
      severity: 'warning',
      file: 'Dockerfile',
      line: 1,
      message: 'pin the base image',
      fix: { line: 1, endLine: 1, replacement: 'FROM node:20.11-alpine', description: 'Pin to node:20.11-alpine' }
    });
    expect(reviewCommentBody(f, suggestionFor(f, index))).toBe(
      `**⚠️ Warning** · [unpinned-base-image](${RULES}/unpinned-base-image.md)\n\npin the base image\n\nPin to node:20.11-alpine:\n\n\`\`\`suggestion\nFROM node:20.11-alpine\n\`\`\``
    );
  });

  it.each([
    ['one line', 'USER app', '```suggestion\nUSER app\n```'],
    ['two lines', 'RUN npm ci \\\n    --omit=dev --ignore-scripts', '```suggestion\nRUN npm ci \\\n    --omit=dev --ignore-scripts\n```'],
    ['backticks inside', 'RUN echo ```', '````suggestion\nRUN echo ```\n````'],
    ['a longer fence inside', 'RUN echo `````', '``````suggestion\nRUN echo `````\n``````'],
    ['an empty replacement (one empty line)', '', '```suggestion\n\n```'],
    ['a mention stays code', 'LABEL maintainer=@octocat', '```suggestion\nLABEL maintainer=@octocat\n```']
  ])('suggestionBlock: %s', (_name, replacement, expected) => {
    expect(suggestionBlock(replacement)).toBe(expected);
  });
});

describe('suggestions only for fixes inside one added hunk', () => {
  const withFix = (fix: Fix, line = fix.line, file = 'Dockerfile') =>
    finding({ ruleId: 'r', severity: 'warning', file, line, endLine: Math.max(line, fix.endLine), message: 'm', fix });

  // [name, fix, suggested, [path, startLine, line] of the comment in diff_context mode]
  it.each<[string, Fix, boolean, (string | number | null)[] | undefined]>([
    ['an added line', { line: 1, endLine: 1, replacement: 'FROM node:20' }, true, ['Dockerfile', null, 1]],
    ['two adjacent added lines', { line: 4, endLine: 5, replacement: 'RUN npm ci --omit=dev' }, true, ['Dockerfile', 4, 5]],
    ['an added line of the second hunk', { line: 23, endLine: 23, replacement: 'ENV PORT=8080' }, true, ['Dockerfile', null, 23]],
    ['an added and a context line', { line: 3, endLine: 4, replacement: 'x' }, false, ['Dockerfile', 3, 4]],
    ['a context line', { line: 2, endLine: 2, replacement: 'WORKDIR /srv' }, false, ['Dockerfile', null, 2]],
    ['lines of two hunks', { line: 5, endLine: 23, replacement: 'x' }, false, ['Dockerfile', null, 5]],
    ['a line outside every hunk', { line: 12, endLine: 12, replacement: 'x' }, false, undefined]
  ])('%s', (_name, fix, suggested, at) => {
    const f = withFix(fix);
    expect(suggestionFor(f, index) !== undefined).toBe(suggested);
    const r = plan([f], { filterMode: 'diff_context' });
    expect(where(r)[0]).toEqual(at);
    if (at) expect(r.review?.comments[0].body.includes('```suggestion')).toBe(suggested);
  });

  it('never suggests in a file without a patch or a deleted file', () => {
    expect(suggestionFor(withFix({ line: 1, endLine: 1, replacement: 'x' }, 1, 'docker/worker.Dockerfile'), index)).toBeUndefined();
    expect(suggestionFor(withFix({ line: 1, endLine: 1, replacement: 'x' }, 1, 'old/Dockerfile'), index)).toBeUndefined();
  });

  it('comments on exactly the lines the suggestion replaces', () => {
    // The finding points at a context line (outside the `added` filter), its fix at the added line above it.
    const f = finding({ ruleId: 'r', severity: 'error', file: 'Dockerfile', line: 6, message: 'm', fix: { line: 4, endLine: 5, replacement: 'RUN npm ci' } });
    const r = plan([f]);
    expect(r.review?.comments).toEqual([
      { path: 'Dockerfile', startLine: 4, line: 5, side: 'RIGHT', body: `**❌ Error** · [r](${RULES}/r.md)\n\nm\n\n\`\`\`suggestion\nRUN npm ci\n\`\`\`` }
    ]);
  });
});

describe('placement per filter mode', () => {
  const f = (file: string, line: number, endLine = line) => finding({ ruleId: `r${line}`, severity: 'warning', file, line, endLine });
  const findings = [
    f('Dockerfile', 4), // added
    f('Dockerfile', 4, 5), // added range
    f('Dockerfile', 2), // context
    f('Dockerfile', 6, 9), // context, range leaving the hunk
    f('Dockerfile', 12), // between hunks
    f('tools/Dockerfile', 3), // context of a deletions-only file
    f('docker/worker.Dockerfile', 1), // renamed, no patch
    f('src/app.ts', 1) // not in the PR
  ];

  it.each<[FilterMode, (string | number | null)[][], string[]]>([
    [
      'added',
      [
        ['Dockerfile', null, 4],
        ['Dockerfile', 4, 5]
      ],
      ['Dockerfile:2', 'Dockerfile:6', 'Dockerfile:12', 'docker/worker.Dockerfile:1', 'src/app.ts:1', 'tools/Dockerfile:3']
    ],
    [
      'diff_context',
      [
        ['Dockerfile', null, 2],
        ['Dockerfile', null, 4],
        ['Dockerfile', 4, 5],
        ['Dockerfile', null, 6],
        ['tools/Dockerfile', null, 3]
      ],
      ['Dockerfile:12', 'docker/worker.Dockerfile:1', 'src/app.ts:1']
    ],
    [
      'file',
      [
        ['Dockerfile', null, 2],
        ['Dockerfile', null, 4],
        ['Dockerfile', 4, 5],
        ['Dockerfile', null, 6],
        ['tools/Dockerfile', null, 3]
      ],
      ['Dockerfile:12', 'docker/worker.Dockerfile:1', 'src/app.ts:1']
    ],
    [
      'nofilter',
      [
        ['Dockerfile', null, 2],
        ['Dockerfile', null, 4],
        ['Dockerfile', 4, 5],
        ['Dockerfile', null, 6],
        ['tools/Dockerfile', null, 3]
      ],
      ['Dockerfile:12', 'docker/worker.Dockerfile:1', 'src/app.ts:1']
    ]
  ])('%s', (mode, comments, outside) => {
    const r = plan(findings, { filterMode: mode });
    expect(where(r)).toEqual(comments);
    expect(r.outsideDiff.map((x) => `${x.file}:${x.line}`)).toEqual(outside);
    expect(r.review?.comments.every((c) => c.side === 'RIGHT')).toBe(true);
  });

  it.each<[FilterMode, string]>([
    ['added', 'container-guard found 2 problems in lines this PR changes: 2 warnings.'],
    ['diff_context', 'container-guard found 5 problems in and around the lines this PR changes: 5 warnings.'],
    ['file', 'container-guard found 5 problems in files this PR changes: 5 warnings.'],
    ['nofilter', 'container-guard found 5 problems in this PR: 5 warnings.']
  ])('summarises the review (%s)', (mode, body) => {
    expect(plan(findings, { filterMode: mode }).review?.body).toBe(body);
  });
});

describe('duplicates and the max-comments cap', () => {
  const e = finding({ ruleId: 'root-user', severity: 'error', file: 'Dockerfile', line: 23, message: 'runs as root' });
  const w1 = finding({ ruleId: 'npm-ci', severity: 'warning', file: 'Dockerfile', line: 4, message: 'use npm ci' });
  const w2 = finding({ ruleId: 'pin', severity: 'warning', file: 'Dockerfile', line: 1, message: 'pin node' });
  const n = finding({ ruleId: 'label', severity: 'note', file: 'Dockerfile', line: 5, message: 'add a label' });
  const existing = (f: Finding, line = f.line, body = reviewCommentBody(f)): ExistingReviewComment => ({ id: f.line, path: f.file, line, body });

  it('does not post a comment identical to an existing one', () => {
    const r = plan([e, w1], { existingReview: [existing(e)] });
    expect(where(r)).toEqual([['Dockerfile', null, 4]]);
    expect(r.skipped).toEqual({ duplicate: 1, overLimit: 0 });
    expect(r.review?.body).toBe(
      'container-guard found 2 problems in lines this PR changes: 1 error, 1 warning.\n\n1 finding already has the same comment from an earlier run.'
    );
  });

  it.each<[string, ExistingReviewComment, number]>([
    ['same path, line and body', existing(e), 1],
    ['the body with CRLF line endings', existing(e, e.line, reviewCommentBody(e).replace(/\n/g, '\r\n')), 1],
    ['a ./ path', { ...existing(e), path: './Dockerfile' }, 1],
    ['another line', existing(e, 22), 0],
    ['an outdated comment (line null)', { ...existing(e), line: null }, 0],
    ['another body', existing(e, e.line, 'runs as root'), 0],
    ['another file', { ...existing(e), path: 'api/Dockerfile' }, 0]
  ])('an existing comment with %s', (_name, old, duplicates) => {
    const r = plan([e], { existingReview: [old] });
    expect(r.skipped.duplicate).toBe(duplicates);
    expect(r.review?.comments.length ?? 0).toBe(1 - duplicates);
  });

  it('posts one comment for two findings that would make the same one', () => {
    const r = plan([e, { ...e, tool: 'gate' }]);
    expect(r.review?.comments).toHaveLength(1);
    expect(r.skipped).toEqual({ duplicate: 1, overLimit: 0 });
  });

  it('plans no review when every comment exists already', () => {
    const r = plan([e, w1], { existingReview: [existing(e), existing(w1)] });
    expect(r.review).toBeUndefined();
    expect(r.skipped).toEqual({ duplicate: 2, overLimit: 0 });
  });

  it('keeps the most severe within max-comments, posts them in file order, and counts the rest', () => {
    const r = plan([n, w2, e, w1], { maxComments: 2 });
    expect(where(r)).toEqual([
      ['Dockerfile', null, 1],
      ['Dockerfile', null, 23]
    ]);
    expect(r.skipped).toEqual({ duplicate: 0, overLimit: 2 });
    expect(r.review?.body).toBe(
      'container-guard found 4 problems in lines this PR changes: 1 error, 2 warnings, 1 note.\n\n2 more are not commented on (max-comments: 2, most severe first); the summary comment lists every finding.'
    );
    expect(r.outsideDiff).toEqual([]);
  });

  it('does not count duplicates against the cap', () => {
    const r = plan([n, w2, e, w1], { maxComments: 2, existingReview: [existing(e)], summaryComment: false });
    expect(where(r)).toEqual([
      ['Dockerfile', null, 1],
      ['Dockerfile', null, 4]
    ]);
    expect(r.skipped).toEqual({ duplicate: 1, overLimit: 1 });
    expect(r.review?.body).toBe(
      'container-guard found 4 problems in lines this PR changes: 1 error, 2 warnings, 1 note.\n\n1 more is not commented on (max-comments: 2, most severe first); the findings files list every finding.\n\n1 finding already has the same comment from an earlier run.'
    );
  });

  it('plans no review with max-comments 0', () => {
    const r = plan([e, w1], { maxComments: 0 });
    expect(r.review).toBeUndefined();
    expect(r.skipped).toEqual({ duplicate: 0, overLimit: 2 });
  });

  it('plans no review when nothing is in the diff', () => {
    const r = plan([finding({ ruleId: 'x', severity: 'error', file: 'Dockerfile', line: 12 })]);
    expect(r).toEqual({ outsideDiff: [expect.objectContaining({ line: 12 })], skipped: { duplicate: 0, overLimit: 0 } });
  });

  it('escapes the title in the review body', () => {
    expect(plan([e], { title: '@team *bot*' }).review?.body).toBe('@\u200Dteam \\*bot\\* found 1 problem in lines this PR changes: 1 error.');
  });
});
