/** Finds and loads the tree-sitter WASM files: next to the bundle in dist/, or in node_modules. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
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

export async function loadShellParser(): Promise<void> {
  await initShellParser({
    runtime: fs.readFileSync(locate('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm')),
    bash: fs.readFileSync(locate('tree-sitter-bash.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'))
  });
}
