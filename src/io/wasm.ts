/** Finds and loads the tree-sitter WASM files: next to the bundle in dist/, or in node_modules. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';
import { initShellParser } from '../core/shell/parser.js';

function locate(file: string, pkgPath: string): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/<entry>/index.js → dist/wasm/
  for (const dir of [path.join(here, '..', 'wasm'), path.join(here, 'wasm')]) {
    const p = path.join(dir, file);
    if (fs.existsSync(p)) return p;
  }
  return createRequire(import.meta.url).resolve(pkgPath);
}

/**
 * `liftoff` (default true): compile the grammar with V8's baseline compiler only.
 * Optimising the 1.3 MB grammar with TurboFan costs a lint process ~400 ms of
 * background compilation that it waits for at exit, far more than it saves
 * (measured in `npm run bench`: one Dockerfile 570 → 200 ms, the corpus 1150 → 860 ms).
 */
export async function loadShellParser(options: { liftoff?: boolean } = {}): Promise<void> {
  if (options.liftoff ?? true) v8.setFlagsFromString('--liftoff-only');
  await initShellParser({
    runtime: fs.readFileSync(locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm')),
    bash: fs.readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'))
  });
}
