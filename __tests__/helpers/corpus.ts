/** The shared corpus of 684 real Dockerfiles (read-only). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'corpus', 'dockerfiles');

export function corpusFiles(): string[] {
  const out: string[] = [];
  (function walk(d: string) {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name !== 'SOURCES.md') out.push(p);
    }
  })(CORPUS_DIR);
  return out.sort();
}
