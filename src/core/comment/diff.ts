/**
 * The PR's diff as GitHub's "list pull request files" API returns it: one
 * `patch` (unified diff hunks, no file headers) per changed file, absent for
 * binary and very large files. Parsed into per-file sets of new-side line
 * numbers, which is all a review comment can point at.
 *
 * Filter modes, as reviewdog defines them:
 *   - `added`:        only lines the PR adds or modifies
 *   - `diff_context`: added lines and the context lines around them (inside a hunk)
 *   - `file`:         any line of a file the PR changes (not deleted files)
 *   - `nofilter`:     anything
 * A review comment can still only be placed inside a hunk: `placeRange` adds
 * that rule on top of the filter.
 */
import { toPosixPath } from '../report/util.js';
import type { DiffFile, FilterMode } from './types.js';

/** One `@@ -oldStart,oldLines +newStart,newLines @@` hunk. */
export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** New-side numbers of `+` lines. */
  added: number[];
  /** New-side numbers of ` ` lines. */
  context: number[];
  /** Old-side numbers of `-` lines. */
  deleted: number[];
}

export interface ParsedPatch {
  hunks: Hunk[];
  added: Set<number>;
  context: Set<number>;
}

export interface FileDiff extends ParsedPatch {
  /** New path, forward slashes. */
  path: string;
  /** Old path of a renamed file. */
  previousPath?: string;
  /** added | modified | removed | renamed | copied | changed | unchanged */
  status: string;
  /** False for binary and very large files: GitHub sends no hunks, so only `file` and `nofilter` can match. */
  hasPatch: boolean;
}

/** Changed files by new path. */
export type DiffIndex = ReadonlyMap<string, FileDiff>;

const HUNK_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses the hunks of one file's patch. Lines outside a hunk (`diff --git`,
 * `---`/`+++` headers when a full git diff is given) are skipped; each hunk is
 * read for exactly the line counts its header announces, so a deleted line
 * that starts with `--` is still a deletion. `\ No newline at end of file`
 * counts on neither side; an empty line inside a hunk is a context line whose
 * leading space was trimmed.
 */
export function parsePatch(patch: string): ParsedPatch {
  const hunks: Hunk[] = [];
  const added = new Set<number>();
  const context = new Set<number>();
  let hunk: Hunk | undefined;
  let oldNo = 0;
  let newNo = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of patch.split('\n')) {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const m = HUNK_RE.exec(text);
    if (m) {
      hunk = {
        oldStart: Number(m[1]),
        oldLines: m[2] === undefined ? 1 : Number(m[2]),
        newStart: Number(m[3]),
        newLines: m[4] === undefined ? 1 : Number(m[4]),
        added: [],
        context: [],
        deleted: []
      };
      hunks.push(hunk);
      oldNo = hunk.oldStart;
      newNo = hunk.newStart;
      oldLeft = hunk.oldLines;
      newLeft = hunk.newLines;
      continue;
    }
    if (!hunk || (oldLeft <= 0 && newLeft <= 0)) continue;
    const c = text.charAt(0);
    if (c === '+' && newLeft > 0) {
      hunk.added.push(newNo);
      added.add(newNo++);
      newLeft--;
    } else if (c === '-' && oldLeft > 0) {
      hunk.deleted.push(oldNo++);
      oldLeft--;
    } else if ((c === ' ' || text === '') && oldLeft > 0 && newLeft > 0) {
      hunk.context.push(newNo);
      context.add(newNo++);
      oldNo++;
      oldLeft--;
      newLeft--;
    }
    // `\ No newline at end of file` and anything malformed: on neither side.
  }
  return { hunks, added, context };
}

/** Indexes the PR's files by their new path. */
export function indexDiff(files: readonly DiffFile[]): DiffIndex {
  const index = new Map<string, FileDiff>();
  for (const f of files) {
    const path = toPosixPath(f.filename);
    const parsed = f.patch ? parsePatch(f.patch) : { hunks: [], added: new Set<number>(), context: new Set<number>() };
    const entry: FileDiff = { path, status: f.status, hasPatch: f.patch !== undefined && f.patch !== '', ...parsed };
    if (f.previous_filename !== undefined && f.previous_filename !== f.filename) entry.previousPath = toPosixPath(f.previous_filename);
    index.set(path, entry);
  }
  return index;
}

/** Whether `path:line` (new side) passes the filter mode. */
export function lineInDiff(index: DiffIndex, path: string, line: number, mode: FilterMode): boolean {
  if (mode === 'nofilter') return true;
  const file = index.get(toPosixPath(path));
  if (!file || !Number.isInteger(line) || line < 1) return false;
  switch (mode) {
    case 'added':
      return file.added.has(line);
    case 'diff_context':
      return file.added.has(line) || file.context.has(line);
    case 'file':
      return file.status !== 'removed';
  }
}

/** The hunk whose new side holds `line`, if any: the lines a review comment can point at. */
export function hunkAt(index: DiffIndex, path: string, line: number): Hunk | undefined {
  const file = index.get(toPosixPath(path));
  return file?.hunks.find((h) => h.newLines > 0 && line >= h.newStart && line < h.newStart + h.newLines);
}

/** The one hunk holding every new-side line of `line..endLine`, if there is one. */
export function hunkAround(index: DiffIndex, path: string, line: number, endLine: number): Hunk | undefined {
  const h = hunkAt(index, path, line);
  return h && endLine < h.newStart + h.newLines ? h : undefined;
}

/** Whether every line of `line..endLine` is an added line of one hunk (where a suggestion may replace them). */
export function inAddedHunk(index: DiffIndex, path: string, line: number, endLine: number): boolean {
  const h = hunkAround(index, path, line, endLine);
  if (!h) return false;
  const added = new Set(h.added);
  for (let l = line; l <= endLine; l++) if (!added.has(l)) return false;
  return true;
}

/** Where a review comment goes: `line` (the last line) and, for a range, `startLine`. */
export interface Placement {
  line: number;
  startLine?: number;
}

/**
 * Places a finding spanning `line..endLine` on the diff, or returns undefined.
 * A range comment needs the whole range inside one hunk on the new side and
 * at least one of its lines passing the filter; otherwise the finding falls
 * back to its start line alone, which must pass the filter and lie in a hunk.
 */
export function placeRange(index: DiffIndex, path: string, line: number, endLine: number, mode: FilterMode): Placement | undefined {
  if (endLine > line && hunkAround(index, path, line, endLine)) {
    for (let l = line; l <= endLine; l++) if (lineInDiff(index, path, l, mode)) return { startLine: line, line: endLine };
  }
  if (hunkAt(index, path, line) && lineInDiff(index, path, line, mode)) return { line };
  return undefined;
}
