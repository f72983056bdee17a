/**
 * Runs the `shellcheck` binary (through @actions/exec) over the RUN scripts of
 * many Dockerfiles in one process per dialect, and maps the results back.
 */
import * as exec from '@actions/exec';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerfileModel } from '../core/dockerfile/model.js';
import type { ExternalResults, ShellcheckComment } from '../core/rules/types.js';
import { mapComments, shellcheckInputs, type RawShellcheckComment, type ShellcheckInput } from '../core/shellcheck.js';

// Sourced files are not available at lint time.
const EXCLUDE = 'SC1090,SC1091';

export async function shellcheckAvailable(): Promise<boolean> {
  try {
    const r = await exec.getExecOutput('shellcheck', ['--version'], { silent: true, ignoreReturnCode: true });
    return r.exitCode === 0;
  } catch {
    return false;
  }
}

/** ShellCheck results per file, keyed by RUN instruction index. */
export async function runShellcheck(models: DockerfileModel[]): Promise<Map<string, ExternalResults>> {
  const out = new Map<string, ExternalResults>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'container-guard-sc-'));
  try {
    const jobs: { model: DockerfileModel; input: ShellcheckInput; name: string }[] = [];
    models.forEach((model, m) => {
      shellcheckInputs(model).forEach((input, k) => {
        const name = `${m}-${k}.sh`;
        fs.writeFileSync(path.join(dir, name), input.script);
        jobs.push({ model, input, name });
      });
    });
    const byDialect = new Map<string, typeof jobs>();
    for (const j of jobs) byDialect.set(j.input.dialect, [...(byDialect.get(j.input.dialect) ?? []), j]);
    // ShellCheck is single-threaded: one process per core and dialect.
    const chunks: { dialect: string; group: typeof jobs }[] = [];
    const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    for (const [dialect, group] of byDialect) {
      const size = Math.ceil(group.length / cores);
      for (let i = 0; i < group.length; i += size) chunks.push({ dialect, group: group.slice(i, i + size) });
    }
    const outputs = await Promise.all(
      chunks.map(async ({ dialect, group }) => {
        const r = await exec.getExecOutput('shellcheck', ['--format=json1', `--shell=${dialect}`, `--exclude=${EXCLUDE}`, ...group.map((j) => j.name)], {
          cwd: dir,
          silent: true,
          ignoreReturnCode: true
        });
        if (r.exitCode > 1) throw new Error(`shellcheck failed (exit ${r.exitCode}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
        return { group, parsed: JSON.parse(r.stdout || '{"comments":[]}') as { comments: (RawShellcheckComment & { file: string })[] } };
      })
    );
    for (const { group, parsed } of outputs) {
      const byFile = new Map<string, RawShellcheckComment[]>();
      for (const c of parsed.comments) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
      for (const j of group) {
        const comments = byFile.get(j.name);
        if (!comments) continue;
        const ext = out.get(j.model.file) ?? { shellcheck: new Map<number, ShellcheckComment[]>() };
        ext.shellcheck?.set(j.input.instr, mapComments(j.model, j.input, comments));
        out.set(j.model.file, ext);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
