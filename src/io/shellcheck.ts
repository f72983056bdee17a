/**
 * Runs the `shellcheck` binary (through @actions/exec) over the RUN scripts of
 * many Dockerfiles in one process per dialect, and maps the results back.
 */
import * as exec from '@actions/exec';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DockerfileModel } from '../core/dockerfile/model.js';
import type { ExternalResults, ShellcheckComment } from '../core/rules/types.js';
import { mapComments, shellcheckInputs, type RawShellcheckComment, type ShellcheckInput } from '../core/shellcheck.js';

// Sourced files are not available at lint time.
const EXCLUDE = 'SC1090,SC1091';

/** The installed ShellCheck's version (`0.9.0`), or undefined when it is not on PATH. */
export async function shellcheckVersion(): Promise<string | undefined> {
  try {
    const r = await exec.getExecOutput('shellcheck', ['--version'], { silent: true, ignoreReturnCode: true });
    if (r.exitCode !== 0) return undefined;
    return /^version:\s*(\S+)/m.exec(r.stdout)?.[1] ?? 'unknown';
  } catch {
    return undefined;
  }
}

export async function shellcheckAvailable(): Promise<boolean> {
  return (await shellcheckVersion()) !== undefined;
}

/**
 * Where ShellCheck's results are kept between runs, by script hash: `CONTAINER_GUARD_CACHE_DIR`
 * (empty or `off` disables it), else `$XDG_CACHE_HOME/container-guard` or `~/.cache/container-guard`.
 */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env.CONTAINER_GUARD_CACHE_DIR;
  if (explicit !== undefined) return explicit === '' || explicit.toLowerCase() === 'off' ? undefined : explicit;
  const base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : undefined);
  return base ? path.join(base, 'container-guard') : undefined;
}

const MAX_CACHE_ENTRY = 1 << 20;

function isComment(c: unknown): c is RawShellcheckComment {
  if (typeof c !== 'object' || c === null) return false;
  const o = c as Record<string, unknown>;
  return ['line', 'endLine', 'column', 'code'].every((k) => Number.isSafeInteger(o[k])) && typeof o.level === 'string' && typeof o.message === 'string';
}

/**
 * A cache entry, or undefined when it is missing or not exactly what this code writes (a damaged
 * or foreign file is ignored and the script checked again, never trusted).
 */
function readCache(file: string): RawShellcheckComment[] | undefined {
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_CACHE_ENTRY) return undefined;
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    return Array.isArray(parsed) && parsed.every(isComment) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function writeCache(file: string, comments: RawShellcheckComment[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(comments.map(({ line, endLine, column, level, code, message }) => ({ line, endLine, column, level, code, message }))));
    fs.renameSync(tmp, file);
  } catch {
    // A cache that cannot be written costs time, never a result.
  }
}

/** One distinct script: every RUN (of any file) whose dialect and script are identical shares it. */
interface UniqueScript {
  dialect: string;
  script: string;
  name: string;
  users: { model: DockerfileModel; input: ShellcheckInput }[];
}

/**
 * Splits scripts into `n` batches of about equal total size (largest first onto the lightest batch):
 * ShellCheck's time grows with script size, and an unbalanced batch leaves a core idle.
 */
export function balancedBatches<T extends { script: string }>(items: T[], n: number): T[][] {
  const batches = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, () => ({ size: 0, items: [] as T[] }));
  for (const item of [...items].sort((a, b) => b.script.length - a.script.length)) {
    const lightest = batches.reduce((min, b) => (b.size < min.size ? b : min));
    lightest.items.push(item);
    lightest.size += item.script.length;
  }
  return batches.map((b) => b.items).filter((b) => b.length > 0);
}

/**
 * ShellCheck results per file, keyed by RUN instruction index. Identical scripts (same dialect and
 * text, in one file or many) are checked once; the distinct ones run as one ShellCheck process per
 * core and dialect, in batches balanced by size.
 */
export async function runShellcheck(models: DockerfileModel[], options: { cacheDir?: string | null } = {}): Promise<Map<string, ExternalResults>> {
  const out = new Map<string, ExternalResults>();
  const cacheRoot = options.cacheDir === null ? undefined : (options.cacheDir ?? defaultCacheDir());
  const version = cacheRoot ? await shellcheckVersion() : undefined;
  const cacheFile = (u: UniqueScript) =>
    cacheRoot && version
      ? path.join(cacheRoot, 'shellcheck', crypto.createHash('sha256').update(`${version}\0${u.dialect}\0${EXCLUDE}\0${u.script}`).digest('hex') + '.json')
      : undefined;
  const deliver = (u: UniqueScript, comments: RawShellcheckComment[]) => {
    if (comments.length === 0) return;
    for (const { model, input } of u.users) {
      const ext = out.get(model.file) ?? { shellcheck: new Map<number, ShellcheckComment[]>() };
      ext.shellcheck?.set(input.instr, mapComments(model, input, comments));
      out.set(model.file, ext);
    }
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'container-guard-sc-'));
  try {
    const unique = new Map<string, UniqueScript>();
    for (const model of models) {
      for (const input of shellcheckInputs(model)) {
        const key = `${input.dialect}\0${input.script}`;
        let u = unique.get(key);
        if (!u) {
          u = { dialect: input.dialect, script: input.script, name: `${unique.size}.sh`, users: [] };
          unique.set(key, u);
        }
        u.users.push({ model, input });
      }
    }
    const byDialect = new Map<string, UniqueScript[]>();
    for (const u of unique.values()) {
      const file = cacheFile(u);
      const cached = file ? readCache(file) : undefined;
      if (cached) {
        deliver(u, cached);
        continue;
      }
      fs.writeFileSync(path.join(dir, u.name), u.script);
      byDialect.set(u.dialect, [...(byDialect.get(u.dialect) ?? []), u]);
    }
    // ShellCheck is single-threaded: one process per core and dialect.
    const cores = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    const chunks: { dialect: string; group: UniqueScript[] }[] = [];
    for (const [dialect, group] of byDialect) for (const batch of balancedBatches(group, cores)) chunks.push({ dialect, group: batch });
    const outputs = await Promise.all(
      chunks.map(async ({ dialect, group }) => {
        const r = await exec.getExecOutput('shellcheck', ['--format=json1', `--shell=${dialect}`, `--exclude=${EXCLUDE}`, ...group.map((u) => u.name)], {
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
      for (const u of group) {
        const comments = byFile.get(u.name) ?? [];
        const file = cacheFile(u);
        if (file) writeCache(file, comments);
        deliver(u, comments);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
