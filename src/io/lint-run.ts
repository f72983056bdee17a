/** The I/O half of a lint run shared by the CLI and the action: discover, shard, read, lint. */
import fs from 'node:fs';
import path from 'node:path';
import { parseShard, shardFiles } from '../core/discover.js';
import type { Config } from '../core/config/types.js';
import type { RunReport } from '../core/report/types.js';
import { lintAll, type FileInput } from '../core/run.js';
import type { Rule } from '../core/rules/types.js';
import { discover } from './files.js';
import { loadShellParser } from './wasm.js';

export class UsageError extends Error {}

export interface LintRunOptions {
  cwd: string;
  paths: string[];
  config: Config;
  rules: readonly Rule[];
  shard?: string;
  onProgress?: (done: number, total: number) => void;
}

export async function runLint(opts: LintRunOptions): Promise<RunReport> {
  await loadShellParser();
  const { files, missing } = discover(opts.cwd, opts.paths, opts.config.lint.include, opts.config.lint.exclude);
  if (missing.length > 0) throw new UsageError(`no such file or no match: ${missing.join(', ')}`);
  const selected = opts.shard ? shardFiles(files, parseShard(opts.shard)) : files;
  const unreadable: { file: string; message: string }[] = [];
  function* inputs(): Generator<FileInput> {
    let done = 0;
    for (const file of selected) {
      opts.onProgress?.(++done, selected.length);
      let content: Uint8Array;
      try {
        content = fs.readFileSync(path.resolve(opts.cwd, file));
      } catch (e) {
        unreadable.push({ file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        continue;
      }
      yield { file, content };
    }
  }
  const report = lintAll(inputs(), opts.config, opts.rules);
  report.errors.push(...unreadable);
  return report;
}
