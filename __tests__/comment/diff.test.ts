import { describe, expect, it } from '@jest/globals';
import { hunkAround, inAddedHunk, indexDiff, lineInDiff, parsePatch, placeRange } from '../../src/core/comment/diff.js';
import type { FilterMode } from '../../src/core/comment/types.js';
import { DELETIONS_PATCH, DIFF, DOCKERFILE_PATCH } from './fixtures.js';

const sorted = (s: Set<number>) => [...s].sort((a, b) => a - b);

describe('parsePatch', () => {
  it.each<[string, string, number[], number[], [number, number, number, number][]]>([
    [
      'two hunks with a missing newline at the end',
      DOCKERFILE_PATCH,
      [1, 4, 5, 23],
      [2, 3, 6, 7, 21, 22, 24, 25],
      [
        [1, 6, 1, 7],
        [20, 4, 21, 5]
      ]
    ],
    ['deletions only, with context', DELETIONS_PATCH, [], [2, 3, 4, 5], [[2, 7, 2, 4]]],
    ['deletions only, without context (-U0)', '@@ -5,3 +4,0 @@\n-RUN apk add curl\n-RUN apk add git\n-RUN apk add wget', [], [], [[5, 3, 4, 0]]],
    ['a new file', '@@ -0,0 +1,3 @@\n+FROM alpine:3.20\n+USER app\n+CMD ["sh"]', [1, 2, 3], [], [[0, 0, 1, 3]]],
    ['a deleted file', '@@ -1,2 +0,0 @@\n-FROM alpine\n-RUN true', [], [], [[1, 2, 0, 0]]],
    ['counts omitted in the header (one line)', '@@ -3 +3 @@\n-FROM a\n+FROM b', [3], [], [[3, 1, 3, 1]]],
    [
      'the last line changed, both sides without a newline at the end',
      '@@ -3,2 +3,2 @@\n RUN make\n-CMD ["old"]\n\\ No newline at end of file\n+CMD ["new"]\n\\ No newline at end of file',
      [4],
      [3],
      [[3, 2, 3, 2]]
    ],
    ['deleted and added lines that look like file headers', '@@ -1,3 +1,3 @@\n FROM a\n--- a/comment\n+++ b/comment\n RUN x', [2], [1, 3], [[1, 3, 1, 3]]],
    ['a blank context line whose space was trimmed', '@@ -1,3 +1,4 @@\n FROM a\n\n+RUN b\n CMD c', [3], [1, 2, 4], [[1, 3, 1, 4]]],
    ['CRLF line endings', '@@ -1,2 +1,2 @@\r\n FROM a\r\n-RUN b\r\n+RUN c\r\n', [2], [1], [[1, 2, 1, 2]]],
    [
      'a full git diff with headers before the hunk',
      'diff --git a/Dockerfile b/Dockerfile\nindex 1..2 100644\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1 +1,2 @@\n FROM a\n+USER app',
      [2],
      [1],
      [[1, 1, 1, 2]]
    ],
    ['text after a finished hunk is ignored', '@@ -1 +1 @@\n-a\n+b\n+stray\n stray', [1], [], [[1, 1, 1, 1]]],
    ['an empty patch', '', [], [], []]
  ])('%s', (_name, patch, added, context, hunks) => {
    const parsed = parsePatch(patch);
    expect(sorted(parsed.added)).toEqual(added);
    expect(sorted(parsed.context)).toEqual(context);
    expect(parsed.hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual(hunks);
  });

  it('keeps per-hunk lines, including the old-side numbers of deletions', () => {
    const [first, second] = parsePatch(DOCKERFILE_PATCH).hunks;
    expect(first).toEqual({ oldStart: 1, oldLines: 6, newStart: 1, newLines: 7, added: [1, 4, 5], context: [2, 3, 6, 7], deleted: [1, 4] });
    expect(second).toEqual({ oldStart: 20, oldLines: 4, newStart: 21, newLines: 5, added: [23], context: [21, 22, 24, 25], deleted: [] });
  });
});

describe('indexDiff', () => {
  const index = indexDiff(DIFF);

  it('indexes every file by its new path', () => {
    expect([...index.keys()]).toEqual(['Dockerfile', 'tools/Dockerfile', 'docker/worker.Dockerfile', 'old/Dockerfile', 'images/logo.png']);
  });

  it('records renames and files without a patch', () => {
    expect(index.get('docker/worker.Dockerfile')).toEqual({
      path: 'docker/worker.Dockerfile',
      previousPath: 'worker/Dockerfile',
      status: 'renamed',
      hasPatch: false,
      hunks: [],
      added: new Set(),
      context: new Set()
    });
    expect(index.get('Dockerfile')?.hasPatch).toBe(true);
    expect(index.get('images/logo.png')?.hasPatch).toBe(false);
  });

  it('reads a renamed file with changes by its new path', () => {
    const renamed = indexDiff([
      { filename: 'b/Dockerfile', previous_filename: 'a/Dockerfile', status: 'renamed', patch: '@@ -1,2 +1,2 @@\n FROM a\n-USER root\n+USER app' }
    ]);
    expect(lineInDiff(renamed, 'b/Dockerfile', 2, 'added')).toBe(true);
    expect(lineInDiff(renamed, 'a/Dockerfile', 2, 'added')).toBe(false);
  });
});

describe('lineInDiff', () => {
  const index = indexDiff(DIFF);
  const modes: FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

  // [path, line, added, diff_context, file, nofilter]
  it.each<[string, string, number, boolean, boolean, boolean, boolean]>([
    ['an added line', 'Dockerfile', 4, true, true, true, true],
    ['an added line of the second hunk', 'Dockerfile', 23, true, true, true, true],
    ['a context line', 'Dockerfile', 2, false, true, true, true],
    ['the last context line of a hunk', 'Dockerfile', 25, false, true, true, true],
    ['a line between hunks', 'Dockerfile', 12, false, false, true, true],
    ['a line past the last hunk', 'Dockerfile', 26, false, false, true, true],
    ['a context line of a deletions-only file', 'tools/Dockerfile', 4, false, true, true, true],
    ['a line outside the hunk of a deletions-only file', 'tools/Dockerfile', 9, false, false, true, true],
    ['a renamed file without a patch', 'docker/worker.Dockerfile', 1, false, false, true, true],
    ['the old path of a renamed file', 'worker/Dockerfile', 1, false, false, false, true],
    ['a deleted file', 'old/Dockerfile', 1, false, false, false, true],
    ['a file without a patch', 'images/logo.png', 1, false, false, true, true],
    ['a file the PR does not touch', 'other/Dockerfile', 1, false, false, false, true],
    ['a ./ path', './Dockerfile', 1, true, true, true, true],
    ['a Windows path', 'tools\\Dockerfile', 2, false, true, true, true],
    ['line 0', 'Dockerfile', 0, false, false, false, true]
  ])('%s', (_name, path, line, ...expected) => {
    expect(modes.map((m) => lineInDiff(index, path, line, m))).toEqual(expected);
  });
});

describe('placing ranges', () => {
  const index = indexDiff(DIFF);

  it.each<[string, string, number, number, FilterMode, ReturnType<typeof placeRange>]>([
    ['a single added line', 'Dockerfile', 4, 4, 'added', { line: 4 }],
    ['a range of added lines', 'Dockerfile', 4, 5, 'added', { startLine: 4, line: 5 }],
    ['a range mixing context and added lines (added mode)', 'Dockerfile', 3, 6, 'added', { startLine: 3, line: 6 }],
    ['a range of context lines only (added mode)', 'Dockerfile', 6, 7, 'added', undefined],
    ['a range of context lines only (diff_context mode)', 'Dockerfile', 6, 7, 'diff_context', { startLine: 6, line: 7 }],
    ['a range running past its hunk: the start line alone', 'Dockerfile', 5, 9, 'added', { line: 5 }],
    ['a range across two hunks: the start line alone', 'Dockerfile', 4, 23, 'added', { line: 4 }],
    ['a range starting before any hunk', 'Dockerfile', 12, 22, 'diff_context', undefined],
    ['a range over a whole hunk', 'Dockerfile', 21, 25, 'added', { startLine: 21, line: 25 }],
    ['file mode still needs a hunk', 'Dockerfile', 12, 12, 'file', undefined],
    ['file mode inside a hunk', 'Dockerfile', 2, 2, 'file', { line: 2 }],
    ['nofilter outside every hunk', 'Dockerfile', 12, 12, 'nofilter', undefined],
    ['nofilter on a context line', 'tools/Dockerfile', 3, 5, 'nofilter', { startLine: 3, line: 5 }],
    ['a file without a patch', 'docker/worker.Dockerfile', 1, 1, 'file', undefined]
  ])('%s', (_name, path, line, endLine, mode, expected) => {
    expect(placeRange(index, path, line, endLine, mode)).toEqual(expected);
  });

  it.each<[string, number, number, boolean]>([
    ['one added line', 1, 1, true],
    ['two adjacent added lines', 4, 5, true],
    ['an added line and a context line', 3, 4, false],
    ['added lines of two hunks', 5, 23, false],
    ['a context line', 2, 2, false]
  ])('inAddedHunk: %s', (_name, line, endLine, expected) => {
    expect(inAddedHunk(index, 'Dockerfile', line, endLine)).toBe(expected);
  });

  it('hunkAround finds the one hunk holding a range', () => {
    expect(hunkAround(index, 'Dockerfile', 21, 25)?.newStart).toBe(21);
    expect(hunkAround(index, 'Dockerfile', 7, 8)).toBeUndefined();
  });
});
