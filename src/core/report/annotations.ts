/**
 * Findings → GitHub check annotations (the caller passes each one to
 * core.error / core.warning / core.notice; this module does no I/O).
 *
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per
 * step and 50 per job (sum over steps); the rest are silently dropped. Source:
 * actions/toolkit docs/problem-matchers.md, "Limitations" ("10 warning
 * annotations, 10 error annotations, and 10 notice annotations per step";
 * "50 annotations per job"). So we pick the most severe findings first, cap
 * each level, and return how many were left out so the caller can say so
 * instead of letting GitHub hide them without a word.
 */
import type { Finding, Severity } from '../finding.js';
import type { RunReport } from './types.js';
import { trustedHelpUrl } from '../comment/links.js';
import { oneLine, ruleIndex, toPosixPath } from './util.js';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

/** Annotations GitHub shows per step, per level. */
export const ANNOTATIONS_PER_STEP: Readonly<Record<AnnotationLevel, number>> = { error: 10, warning: 10, notice: 10 };
/** Annotations GitHub shows per job, all steps together. */
export const ANNOTATIONS_PER_JOB = 50;

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title: string;
  file: string;
  startLine: number;
  endLine: number;
  /** Left out when the finding spans several lines: GitHub ignores columns then. */
  startColumn?: number;
}

export interface AnnotationOptions {
  /** Cap per level: one number for all levels or per level. Default 10 each (GitHub's per-step limit). */
  limit?: number | Partial<Record<AnnotationLevel, number>>;
  /**
   * Cap over all levels, for a caller sharing the job's 50 with other steps.
   * Default: no cap beyond the per-level ones.
   */
  total?: number;
}

export interface AnnotationResult {
  /** Most severe first; within a level, in the report's order (file, line, column, rule). */
  annotations: Annotation[];
  /** Findings not turned into annotations. */
  hidden: number;
  hiddenByLevel: Record<AnnotationLevel, number>;
}

const LEVEL: Record<Severity, AnnotationLevel> = { error: 'error', warning: 'warning', note: 'notice' };
const ORDER: readonly Severity[] = ['error', 'warning', 'note'];

function caps(limit: AnnotationOptions['limit']): Record<AnnotationLevel, number> {
  const norm = (n: number | undefined, d: number) => (n === undefined || !Number.isFinite(n) ? d : Math.max(0, Math.floor(n)));
  if (typeof limit === 'number') {
    const n = norm(limit, 10);
    return { error: n, warning: n, notice: n };
  }
  return {
    error: norm(limit?.error, ANNOTATIONS_PER_STEP.error),
    warning: norm(limit?.warning, ANNOTATIONS_PER_STEP.warning),
    notice: norm(limit?.notice, ANNOTATIONS_PER_STEP.notice)
  };
}

const pos = (n: number): number => (Number.isFinite(n) && n >= 1 ? Math.floor(n) : 1);

export function toAnnotation(f: Finding, title: string): Annotation {
  const startLine = pos(f.line);
  const endLine = Math.max(startLine, pos(f.endLine));
  // Only links to known hosts: findings files may come from a fork (see comment/links.ts).
  const help = trustedHelpUrl(f.help);
  const a: Annotation = {
    level: LEVEL[f.severity],
    message: help ? `${f.message}\n${help}` : f.message,
    title,
    file: toPosixPath(f.file),
    startLine,
    endLine
  };
  if (endLine === startLine) a.startColumn = pos(f.column);
  return a;
}

export function toAnnotations(report: RunReport, options: AnnotationOptions = {}): AnnotationResult {
  const cap = caps(options.limit);
  let room = options.total === undefined || !Number.isFinite(options.total) ? Infinity : Math.max(0, Math.floor(options.total));
  const metas = ruleIndex(report.rules);
  const annotations: Annotation[] = [];
  const hiddenByLevel: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };

  for (const sev of ORDER) {
    const level = LEVEL[sev];
    let used = 0;
    for (const f of report.findings) {
      if (f.severity !== sev) continue;
      if (used >= cap[level] || room <= 0) {
        hiddenByLevel[level]++;
        continue;
      }
      const meta = metas.get(f.ruleId);
      const title = meta ? `${oneLine(meta.title)} (${f.ruleId})` : f.ruleId;
      annotations.push(toAnnotation(f, title));
      used++;
      room--;
    }
  }
  const hidden = hiddenByLevel.error + hiddenByLevel.warning + hiddenByLevel.notice;
  return { annotations, hidden, hiddenByLevel };
}

/** The line a caller prints when some findings did not fit, or undefined when none were hidden. */
export function hiddenNotice(hidden: number): string | undefined {
  if (hidden <= 0) return undefined;
  return `${hidden} more finding${hidden === 1 ? '' : 's'} not shown as annotations (GitHub limits them per step); see the job summary or the SARIF output.`;
}
