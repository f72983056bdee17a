/**
 * Review comments: one per finding that the filter mode places on the PR's
 * diff, at its line (or start_line..line for a range that fits in one hunk).
 *
 * A finding with a `fix` gets a GitHub suggestion block when every line of
 * `fix.line..fix.endLine` is an added line of one hunk: the suggestion then
 * replaces exactly the lines the PR wrote, and the comment spans exactly those
 * lines (a suggestion replaces the commented lines, so it has to). Elsewhere
 * the fix is left out: suggesting edits to lines the PR did not touch is
 * noise, and lines outside a hunk cannot be commented on at all.
 *
 * A comment identical (path, line, body) to one already on the PR, or to one
 * planned earlier in this run, is not posted again. The rest are capped at
 * `maxComments`, most severe first.
 */
import { compareFindings, countBySeverity, type Finding, type Severity } from '../finding.js';
import { bySeverity, toPosixPath } from '../report/util.js';
import { inAddedHunk, placeRange, type DiffIndex, type Placement } from './diff.js';
import { BADGE, clippedText, countOf, formatCount, ruleLink, text } from './format.js';
import type { ExistingReviewComment, FilterMode, ReviewCommentPlan } from './types.js';

export interface ReviewInput {
  findings: readonly Finding[];
  index: DiffIndex;
  existingReview: readonly ExistingReviewComment[];
  filterMode: FilterMode;
  maxComments: number;
  /** Whether a sticky comment lists every finding (the review body points there). */
  summaryComment?: boolean;
  /** Default `container-guard`. */
  title?: string;
}

export interface ReviewResult {
  /** Absent when there is nothing new to post. */
  review?: { body: string; comments: ReviewCommentPlan[] };
  /** Findings the filter mode did not place on the diff. */
  outsideDiff: Finding[];
  skipped: { duplicate: number; overLimit: number };
}

/** Longest message in a review comment (characters, after escaping); longer ones end in `…`. */
export const REVIEW_MESSAGE_MAX = 4_000;
/** Longest fix replacement offered as a suggestion; a longer one is left out (GitHub caps a comment at 65,536 characters). */
export const SUGGESTION_MAX = 30_000;

/** The text inside a suggestion block: the fix's replacement lines (which carry no final line break). */
export function suggestionBlock(replacement: string): string {
  const longest = Math.max(0, ...[...replacement.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}suggestion\n${replacement}\n${fence}`;
}

/** The fix of `f` as a suggestion, when its lines are all added lines of one hunk. */
export function suggestionFor(f: Finding, index: DiffIndex): string | undefined {
  if (!f.fix || f.fix.replacement.length > SUGGESTION_MAX || !inAddedHunk(index, f.file, f.fix.line, f.fix.endLine)) return undefined;
  return suggestionBlock(f.fix.replacement);
}

/** `**❌ Error** · [rule](help)`, the message, and the suggestion when there is one. */
export function reviewCommentBody(f: Finding, suggestion?: string): string {
  let body = `**${BADGE[f.severity]}** · ${ruleLink(f.ruleId, f.help)}\n\n${clippedText(f.message, REVIEW_MESSAGE_MAX)}`;
  if (suggestion !== undefined) body += `\n\n${f.fix?.description ? `${clippedText(f.fix.description, REVIEW_MESSAGE_MAX)}:\n\n` : ''}${suggestion}`;
  return body;
}

const WHERE: Record<FilterMode, string> = {
  added: 'in lines this PR changes',
  diff_context: 'in and around the lines this PR changes',
  file: 'in files this PR changes',
  nofilter: 'in this PR'
};

function severityList(c: Record<Severity, number>): string {
  const parts = (['error', 'warning', 'note'] as const).filter((s) => c[s] > 0).map((s) => countOf(c[s], s));
  return parts.join(', ');
}

const norm = (s: string) => s.replace(/\r\n/g, '\n');
const key = (path: string, line: number, body: string) => `${path}\u0000${line}\u0000${norm(body)}`;

/** Plans the review: comments, what stays outside the diff, and what was skipped. */
export function planReview(input: ReviewInput): ReviewResult {
  const existing = new Set(input.existingReview.filter((c) => typeof c.line === 'number').map((c) => key(toPosixPath(c.path), c.line as number, c.body)));
  const outsideDiff: Finding[] = [];
  const candidates: { f: Finding; comment: ReviewCommentPlan }[] = [];
  for (const f of bySeverity([...input.findings].sort(compareFindings))) {
    const suggestion = suggestionFor(f, input.index);
    let at: Placement | undefined;
    if (suggestion !== undefined && f.fix) at = f.fix.endLine > f.fix.line ? { startLine: f.fix.line, line: f.fix.endLine } : { line: f.fix.line };
    else at = placeRange(input.index, f.file, f.line, f.endLine, input.filterMode);
    if (!at) {
      outsideDiff.push(f);
      continue;
    }
    const comment: ReviewCommentPlan = { path: toPosixPath(f.file), line: at.line, side: 'RIGHT', body: reviewCommentBody(f, suggestion) };
    if (at.startLine !== undefined) comment.startLine = at.startLine;
    candidates.push({ f, comment });
  }

  const skipped = { duplicate: 0, overLimit: 0 };
  const chosen: { f: Finding; comment: ReviewCommentPlan }[] = [];
  const limit = Math.max(0, Math.floor(input.maxComments));
  for (const c of candidates) {
    const k = key(c.comment.path, c.comment.line, c.comment.body);
    if (existing.has(k)) {
      skipped.duplicate++;
      continue;
    }
    existing.add(k);
    if (chosen.length >= limit) skipped.overLimit++;
    else chosen.push(c);
  }
  // Candidates are most severe first; post in file order.
  chosen.sort((a, b) => compareFindings(a.f, b.f));

  const result: ReviewResult = { outsideDiff: outsideDiff.sort(compareFindings), skipped };
  if (chosen.length === 0) return result;

  const placed = candidates.map((c) => c.f);
  const title = input.title ?? 'container-guard';
  let body = `${text(title)} found ${countOf(placed.length, 'problem')} ${WHERE[input.filterMode]}: ${severityList(countBySeverity(placed))}.`;
  if (skipped.overLimit > 0) {
    const rest = input.summaryComment ? 'the summary comment lists every finding' : 'the findings files list every finding';
    const n = skipped.overLimit;
    body += `\n\n${formatCount(n)} more ${n === 1 ? 'is' : 'are'} not commented on (max-comments: ${limit}, most severe first); ${rest}.`;
  }
  if (skipped.duplicate > 0)
    body += `\n\n${countOf(skipped.duplicate, 'finding')} already ${skipped.duplicate === 1 ? 'has' : 'have'} the same comment from an earlier run.`;
  return { ...result, review: { body, comments: chosen.map((c) => c.comment) } };
}
