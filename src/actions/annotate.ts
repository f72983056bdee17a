/**
 * Findings → workflow commands on stdout (`::error file=…,line=…::message`), shared by every action.
 *
 * - An annotation carries `file=` (and lines) only when the finding names a regular file in the
 *   workspace: gate findings often name an image (`ghcr.io/acme/api:1.2 (debian 12)`), verify findings
 *   from the `images:` input name no file at all. Such annotations are shown on the run, without a
 *   location, instead of pointing at a file that does not exist.
 * - Each action has a budget (ANNOTATION_BUDGET) so the recommended lint → verify → gate → comment job
 *   stays under GitHub's 50 annotations per job, counting one failure line per step.
 */
import * as core from '@actions/core';
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../core/finding.js';
import type { Annotation } from '../core/report/annotations.js';
import { toPosixPath } from '../core/report/util.js';

/**
 * Annotations per action; the failure line of each step comes on top. All four in one job:
 * 20 + 8 + 8 + 8 + 4 failure lines = 48, under GitHub's 50 per job.
 */
export const ANNOTATION_BUDGET = { lint: 20, verify: 8, gate: 8, comment: 8 } as const;

/** Whether `file` is a regular file inside the workspace (no absolute path, no `..`). */
export function isWorkspaceFile(cwd: string, file: string | undefined): boolean {
  if (!file) return false;
  const p = toPosixPath(file);
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.split('/').includes('..')) return false;
  try {
    return fs.statSync(path.join(cwd, p)).isFile();
  } catch {
    return false;
  }
}

export type AnnotationProps = core.AnnotationProperties;

/** The properties of an annotation: a location only for a real file. */
export function locate(cwd: string, a: Pick<Annotation, 'title' | 'file' | 'startLine' | 'endLine' | 'startColumn'>): AnnotationProps {
  if (!isWorkspaceFile(cwd, a.file)) return { title: a.title };
  const props: AnnotationProps = { title: a.title, file: toPosixPath(a.file), startLine: a.startLine, endLine: a.endLine };
  if (a.startColumn !== undefined) props.startColumn = a.startColumn;
  return props;
}

export function emit(level: 'error' | 'warning' | 'notice', message: string, props: AnnotationProps): void {
  (level === 'error' ? core.error : level === 'warning' ? core.warning : core.notice)(message, props);
}

/** Emits annotations already capped by toAnnotations, each located only when its file is real. */
export function emitAnnotations(cwd: string, annotations: readonly Annotation[]): void {
  for (const a of annotations) {
    const props = locate(cwd, a);
    // Without a location the message says what it is about (an image, the images input).
    emit(a.level, props.file || !a.file ? a.message : `${a.file}: ${a.message}`, props);
  }
}

/** A finding's location for a message without a file: `file:line` when it names one, else its label. */
export function where(f: Pick<Finding, 'file' | 'line'>): string {
  return f.line > 0 ? `${f.file}:${f.line}` : f.file;
}
