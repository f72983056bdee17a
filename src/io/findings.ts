/** Reads the findings files that lint, gate and verify write, for the comment action and CLI. */
import fs from 'node:fs';
import path from 'node:path';
import { parseFindingsFile, type ParsedFindingsFile } from '../core/comment/findings-files.js';
import { resolveInputs } from './gate-run.js';
import { UsageError } from './lint-run.js';

export function readFindingsFiles(cwd: string, patterns: string[]): ParsedFindingsFile[] {
  if (patterns.length === 0) throw new UsageError('give at least one findings file (glob) written by lint, gate or verify');
  return resolveInputs(cwd, patterns, 'findings').map((f) => parseFindingsFile(fs.readFileSync(path.resolve(cwd, f), 'utf8'), f));
}
