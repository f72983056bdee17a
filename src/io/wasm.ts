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
 *
 * Node 24 (V8 13) no longer honours `--liftoff-only` alone once the process runs: dynamic tiering
 * (and, without it, eager tier-up) still sends the grammar to TurboFan — one Dockerfile took 0.6 s
 * and 590 MB peak RSS. Switching both tier-up paths off at run time keeps it on Liftoff there
 * (0.17 s, 88 MB); Node 20 accepts the same flags.
 */
const BASELINE_ONLY_FLAGS = ['--liftoff-only', '--no-wasm-tier-up', '--no-wasm-dynamic-tiering'];

export async function loadShellParser(options: { liftoff?: boolean } = {}): Promise<void> {
  if (options.liftoff ?? true) {
    for (const flag of BASELINE_ONLY_FLAGS) v8.setFlagsFromString(flag);
  }
  await initShellParser({
    runtime: fs.readFileSync(locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm')),
    bash: fs.readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'))
  });
}
