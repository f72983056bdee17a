/** Which files to lint, and which of them this shard owns. Pure: the walk happens in src/io. */
import { minimatch } from 'minimatch';

const opts = { dot: true, nocase: false };

/** Paths are repo-relative with forward slashes. Explicit files skip `include`. */
export function selectDockerfiles(paths: readonly string[], include: readonly string[], exclude: readonly string[]): string[] {
  return paths.filter((p) => include.some((g) => minimatch(p, g, opts)) && !exclude.some((g) => minimatch(p, g, opts))).sort();
}

export function isExcluded(path: string, exclude: readonly string[]): boolean {
  return exclude.some((g) => minimatch(path, g, opts));
}

export interface Shard {
  index: number;
  total: number;
}

/** `K/N` with 1 <= K <= N. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const total = m ? Number(m[2]) : NaN;
  if (!m || total < 1 || index < 1 || index > total) throw new Error(`invalid shard "${text}": use K/N with 1 <= K <= N, e.g. 2/4`);
  return { index, total };
}

/**
 * Round-robin over the sorted list: every file lands in exactly one shard and
 * shard sizes differ by at most one, whatever the matrix size.
 */
export function shardFiles(files: readonly string[], shard: Shard): string[] {
  return [...files].sort().filter((_, i) => i % shard.total === shard.index - 1);
}
