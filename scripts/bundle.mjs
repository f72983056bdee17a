// Bundles each action and the CLI into dist/<name>/index.js (ESM, node20 target)
// and copies the tree-sitter WASM files to dist/wasm/. Deterministic output, so
// CI can rebuild and `git diff --exit-code dist/`.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const entries = {
  main: "import { run } from './src/actions/main.ts'; run();",
  lint: "import { run } from './src/actions/lint.ts'; run();",
  gate: "import { run } from './src/actions/gate.ts'; run();",
  verify: "import { run } from './src/actions/verify.ts'; run();",
  comment: "import { run } from './src/actions/comment.ts'; run();",
  cli: "import './src/cli.ts';"
};

fs.rmSync('dist', { recursive: true, force: true });
for (const [name, contents] of Object.entries(entries)) {
  await build({
    stdin: { contents, resolveDir: path.resolve('.'), sourcefile: `${name}-entry.ts`, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: `dist/${name}/index.js`,
    legalComments: 'none',
    logLevel: 'warning',
    // CJS dependencies call require(); give the ESM bundle one.
    banner: {
      js:
        (name === 'cli' ? '#!/usr/bin/env node\n' : '') +
        "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);"
    }
  });
}
fs.mkdirSync('dist/wasm', { recursive: true });
fs.copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/wasm/tree-sitter.wasm');
fs.copyFileSync('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/wasm/tree-sitter-bash.wasm');
fs.writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }) + '\n');
console.log('bundled dist/{main,lint,gate,verify,comment,cli}/index.js and dist/wasm/');
