// Scripts (bench, docs) use the TypeScript sources the way dist/ does: bundled with esbuild into .tmp/ as ESM,
// then imported. One place for the options, so every script measures and documents the same build.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundles `contents` (TS re-exports, paths relative to the repo root) into `.tmp/<name>.mjs`; returns its path. */
export async function bundleTs(name, contents, options = {}) {
  const outfile = path.join(ROOT, '.tmp', `${name}.mjs`);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  await build({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    // CJS dependencies call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __c } from 'node:module'; const require = __c(import.meta.url);" },
    ...options
  });
  return outfile;
}

/** bundleTs, then import the result. */
export async function importTs(name, contents, options = {}) {
  return import(pathToFileURL(await bundleTs(name, contents, options)).href);
}
