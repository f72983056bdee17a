/**
 * The comment action's decision: given the merged findings, the PR's diff and
 * what GitHub already holds, what to create, update or delete. Pure; the
 * action performs the plan.
 *
 * Sticky comment (modes `summary` and `both`):
 *   - ours = comments whose first line is our marker for this header and,
 *     when `botLogin` is given, written by that login;
 *   - several of ours (two runs raced, both created one): the oldest (lowest
 *     id) is kept and updated, the others go to `deleteDuplicates`;
 *   - findings → create, or update, or none when the body would not change;
 *   - no findings → nothing when there is no sticky comment; else `update`
 *     it to the short all-clear body (`allClear: update`) or `delete` it.
 * Review (modes `review` and `both`): see review.ts. `outsideDiff` is computed
 * in every mode: the findings the filter mode does not place on the diff.
 */
import type { Finding } from '../finding.js';
import { renderBody, isOurs } from './body.js';
import { indexDiff } from './diff.js';
import { planReview } from './review.js';
import type { CommentOptions, CommentPlan, DiffFile, ExistingComment, ExistingReviewComment, PullRequestRef, ToolReport } from './types.js';

export interface PlanInput {
  findings: Finding[];
  pr: PullRequestRef;
  diff: DiffFile[];
  existing: ExistingComment[];
  existingReview: ExistingReviewComment[];
  options: CommentOptions;
  /** Our own login (e.g. `github-actions[bot]`): only its comments are ever updated or deleted. */
  botLogin?: string;
  /** Suppressed counts and verdicts from the findings files (ParsedFindingsFile.report). */
  reports?: ToolReport[];
  /** Body size limit; default GitHub's 65,536 characters. */
  maxChars?: number;
}

const sameLogin = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function planComment(input: PlanInput): CommentPlan {
  const { options } = input;
  const index = indexDiff(input.diff);
  const wantSticky = options.mode !== 'review';
  const wantReview = options.mode !== 'summary';

  const reviewed = planReview({
    findings: input.findings,
    index,
    existingReview: input.existingReview,
    filterMode: options.filterMode,
    maxComments: options.maxComments,
    summaryComment: wantSticky,
    title: options.title
  });

  const plan: CommentPlan = {
    sticky: { action: 'none' },
    deleteDuplicates: [],
    outsideDiff: reviewed.outsideDiff,
    skipped: wantReview ? reviewed.skipped : { duplicate: 0, overLimit: 0 }
  };
  if (wantReview && reviewed.review) plan.review = reviewed.review;
  if (!wantSticky) return plan;

  const ours = input.existing
    .filter((c) => isOurs(c.body, options.header) && (input.botLogin === undefined || sameLogin(c.user, input.botLogin)))
    .sort((a, b) => a.id - b.id);
  const [sticky, ...others] = ours;
  plan.deleteDuplicates = others.map((c) => c.id);

  if (input.findings.length === 0) {
    if (!sticky) return plan;
    if (options.allClear === 'delete') {
      plan.sticky = { action: 'delete', id: sticky.id };
      return plan;
    }
  }
  const body = renderBody({
    findings: input.findings,
    pr: input.pr,
    options,
    previousBody: sticky?.body,
    reports: input.reports,
    maxChars: input.maxChars
  });
  if (sticky) plan.stickyId = sticky.id;
  if (!sticky) plan.sticky = { action: 'create', body };
  else if (sticky.body.replace(/\r\n/g, '\n') !== body) plan.sticky = { action: 'update', id: sticky.id, body };
  return plan;
}
