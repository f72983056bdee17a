/**
 * .dockerignore as BuildKit reads it: one pattern per line, `#` comments, `!` exceptions, the last
 * matching pattern wins, and a pattern that matches a directory excludes everything under it.
 * Paths are relative to the build context, cleaned (`./a/../b` → `b`, leading `/` dropped).
 */
import path from 'node:path';
import { minimatch } from 'minimatch';

export interface IgnorePattern {
  pattern: string;
  exclude: boolean;
  line: number;
}

function clean(p: string): string {
  const c = path.posix.normalize(p.replace(/\\/g, '/').replace(/^\/+/, ''));
  return c === '.' ? '' : c.replace(/^\.\/+/, '').replace(/\/+$/, '');
}

export function parseDockerignore(lines: readonly string[]): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  lines.forEach((raw, k) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const exclude = !text.startsWith('!');
    const pattern = clean(exclude ? text : text.slice(1).trim());
    if (pattern !== '') out.push({ pattern, exclude, line: k + 1 });
  });
  return out;
}

/** The pattern that decides whether `file` (context-relative) is left out of the context, if it is. */
export function ignoredBy(patterns: readonly IgnorePattern[], file: string): IgnorePattern | undefined {
  const target = clean(file);
  if (target === '' || target.startsWith('..')) return undefined;
  // The path and each of its parent directories: excluding a directory excludes its contents.
  const parts = target.split('/');
  const candidates = parts.map((_, k) => parts.slice(0, k + 1).join('/'));
  let decision: IgnorePattern | undefined;
  for (const p of patterns) {
    if (candidates.some((c) => minimatch(c, p.pattern, { dot: true }))) decision = p.exclude ? p : undefined;
  }
  return decision;
}
