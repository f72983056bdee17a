/** Reads the findings files that lint, gate and verify write, for the comment action and CLI. */
import fs from 'node:fs';
import path from 'node:path';
import { FindingsFileError, parseFindingsFile, type ParsedFindingsFile } from '../core/comment/findings-files.js';
import { resolveInputs } from './gate-run.js';
import { UsageError } from './lint-run.js';

/**
 * Largest findings file read (bytes). Findings files may come from a fork's artifact: one that is larger
 * is an error naming it, never read into memory. A gate run over a 300 MB scanner report writes about 30 MB.
 */
export const MAX_FINDINGS_FILE_BYTES = 128 * 1024 * 1024;

export function readFindingsFiles(cwd: string, patterns: string[], maxBytes = MAX_FINDINGS_FILE_BYTES): ParsedFindingsFile[] {
  if (patterns.length === 0) throw new UsageError('give at least one findings file (glob) written by lint, gate or verify');
  return resolveInputs(cwd, patterns, 'findings').map((f) => {
    const abs = path.resolve(cwd, f);
    const size = fs.statSync(abs).size;
    if (size > maxBytes)
      throw new FindingsFileError(f, `${Math.ceil(size / 1024 / 1024)} MB is more than a findings file can be (${maxBytes / 1024 / 1024} MB); not read`);
    return parseFindingsFile(fs.readFileSync(abs, 'utf8'), f);
  });
}
