/** Temporary project trees for CLI and action tests (never inside ../shared). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function makeTree(files: Record<string, string | Uint8Array>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-test-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, content);
  }
  return root;
}

export const FAKE_TOKEN = 'ghp_' + 'Zz9'.repeat(12);
