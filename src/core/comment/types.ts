/**
 * The comment action's data model. Everything here is plain data: the planner
 * (plan.ts) takes findings, the PR's diff and what GitHub already holds, and
 * returns what to post; src/actions/comment.ts performs it.
 */
import type { Finding } from '../finding.js';

export type FilterMode = 'added' | 'diff_context' | 'file' | 'nofilter';
export type CommentMode = 'summary' | 'review' | 'both';
export type AllClear = 'update' | 'delete';

/** One changed file of the PR, from GET /repos/{o}/{r}/pulls/{n}/files. */
export interface DiffFile {
  filename: string;
  status: string;
  /** Unified diff hunks; absent for binary or very large files. */
  patch?: string;
  /** The old path of a renamed file (the API's own field name, so the response can be passed through). */
  previous_filename?: string;
}

/** An existing issue comment (the sticky one is found by its hidden marker). */
export interface ExistingComment {
  id: number;
  body: string;
  /** Login of the author; only our own comments are ever updated. */
  user?: string;
}

/** An existing review comment on the PR. */
export interface ExistingReviewComment {
  id: number;
  path: string;
  line?: number | null;
  body: string;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
}

export interface CommentOptions {
  /** Distinguishes several sticky comments on one PR (one per header). */
  header: string;
  mode: CommentMode;
  filterMode: FilterMode;
  /** Most review comments posted per run. */
  maxComments: number;
  allClear: AllClear;
  /** Base URL for file links, e.g. https://github.com. */
  serverUrl: string;
  /** Heading of the sticky comment. Default: `container-guard`. */
  title?: string;
}

/**
 * What a findings file says beyond its findings (its `summary`), for the
 * sticky comment's "suppressed" and verdict lines.
 */
export interface ToolReport {
  /** lint | gate | verify | …, or `other` when the file does not say (its findings then have no `tool` either). */
  tool: string;
  /** Findings the tool hid (inline comments, config ignores, VEX, …). */
  suppressed?: number;
  /** Why, when the file says so: reason → count (`vex`, `ignore`, `scanner`, `not-fixable`, `baseline`, `inline`, `config`). */
  suppressedBy?: Record<string, number>;
  /** The gate's verdict. */
  passed?: boolean;
  reason?: string;
}

export interface ReviewCommentPlan {
  path: string;
  line: number;
  /** For multi-line findings/suggestions. */
  startLine?: number;
  side: 'RIGHT';
  body: string;
}

export interface CommentPlan {
  sticky: { action: 'create'; body: string } | { action: 'update'; id: number; body: string } | { action: 'delete'; id: number } | { action: 'none' };
  /** The sticky comment that exists and stays (updated or unchanged), so an unchanged re-run still reports its id. */
  stickyId?: number;
  /**
   * Ids of further comments that carry our marker: two runs raced and both
   * created one. The oldest (lowest id) is the one `sticky` updates; delete these.
   */
  deleteDuplicates: number[];
  review?: { body: string; comments: ReviewCommentPlan[] };
  /** Findings not placed on a diff line (they appear in the sticky comment only). */
  outsideDiff: Finding[];
  /** Review comments left out because of max-comments or because an identical one exists. */
  skipped: { duplicate: number; overLimit: number };
}
