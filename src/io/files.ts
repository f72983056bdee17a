/** Filesystem side of discovery: walking, reading, writing outputs atomically. */
import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { isExcluded, selectDockerfiles } from '../core/discover.js';

const ALWAYS_SKIP = new Set(['node_modules', '.git']);

export const toPosix = (p: string) => p.split(path.sep).join('/');

function walk(root: string, rel: string, out: string[]): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (ALWAYS_SKIP.has(e.name)) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(root, r, out);
    else if (e.isFile()) out.push(r);
  }
}

export function walkFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  walk(root, rel, out);
  return out;
}

/**
 * Resolves CLI/action path arguments relative to `cwd`:
 * a file is taken as given; a directory is walked and filtered by include/exclude;
 * anything else is a glob over the tree. No arguments = the whole tree.
 */
export function discover(cwd: string, args: readonly string[], include: readonly string[], exclude: readonly string[]): { files: string[]; missing: string[] } {
  const files = new Set<string>();
  const missing: string[] = [];
  let tree: string[] | undefined;
  const all = () => (tree ??= walkFiles(cwd));
  for (const arg of args.length > 0 ? args : ['.']) {
    const abs = path.resolve(cwd, arg);
    const rel = toPosix(path.relative(cwd, abs)) || '.';
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) files.add(rel);
    else if (stat?.isDirectory()) {
      // Globs match paths relative to the directory given, so `lint ../other-repo` works too.
      const under = rel === '.' ? all() : walkFiles(abs);
      const prefix = rel === '.' ? '' : `${rel}/`;
      for (const f of selectDockerfiles(under, include, exclude)) files.add(prefix + f);
    } else {
      const matched = all().filter((f) => minimatch(f, arg, { dot: true }) && !isExcluded(f, exclude));
      if (matched.length === 0) missing.push(arg);
      for (const f of matched) files.add(f);
    }
  }
  return { files: [...files].sort(), missing };
}

/** Writes via a temp file and rename, so a reader never sees half a file. */
export function writeFileAtomic(file: string, data: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export const CONFIG_NAMES = ['.container-guard.yml', '.container-guard.yaml'];

export function findConfig(cwd: string): string | undefined {
  for (const n of CONFIG_NAMES) {
    const p = path.join(cwd, n);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}
