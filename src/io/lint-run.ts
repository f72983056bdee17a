/** The I/O half of a lint run shared by the CLI and the action: discover, shard, read, lint. */
import fs from 'node:fs';
import path from 'node:path';
import { parseShard, shardFiles } from '../core/discover.js';
import type { Config } from '../core/config/types.js';
import { compareFindings, countBySeverity, type Finding } from '../core/finding.js';
import { ENGINE_RULE_META } from '../core/rules/engine-rules.js';
import { docsUrl } from '../core/rules/types.js';
import type { RunReport } from '../core/report/types.js';
import { lintAll, type FileInput } from '../core/run.js';
import type { ExternalResults, Rule } from '../core/rules/types.js';
import { mapLimit } from './concurrency.js';
import { discover } from './files.js';
import { loadShellParser } from './wasm.js';
import { shellcheckAvailable, runShellcheck } from './shellcheck.js';
import { parseDockerfile } from '../core/dockerfile/model.js';
import { decodeDockerfile, oversizeMessage } from '../core/lint.js';
import { pinKey, pinPlan, type PinTarget } from '../core/pin.js';
import { normalizeImage } from '../core/image-ref.js';
import { minimatch } from 'minimatch';
import type { RegistryClient } from './registry/client.js';

export class UsageError extends Error {}

export interface LintRunOptions {
  cwd: string;
  paths: string[];
  config: Config;
  rules: readonly Rule[];
  shard?: string;
  onProgress?: (done: number, total: number) => void;
  /** Plugins that failed to load: each becomes a finding against the plugin file. */
  pluginErrors?: { file: string; message: string }[];
  /**
   * Look up what unpinned images point to now, so `unpinned-base-image` findings carry the pinned line as
   * their fix (a suggestion in the PR). Off by default: lint makes no network request unless asked.
   */
  suggestPins?: { client: Pick<RegistryClient, 'resolve'>; concurrency?: number };
}

/**
 * Current digests of every pinnable reference of the inputs, and the platforms of the multi-platform ones
 * (by normalized reference, for invalid-base-image-platform); a lookup that fails just gives neither.
 */
async function pinDigests(
  inputs: FileInput[],
  config: Config,
  opts: NonNullable<LintRunOptions['suggestPins']>
): Promise<{ digests: Map<string, string>; platforms: Map<string, string[]> }> {
  const images = new Map<string, PinTarget['image']>();
  for (const { file, content } of inputs) {
    const { text } = decodeDockerfile(content, config.lint.maxFileSize);
    if (text === undefined) continue;
    try {
      for (const t of pinPlan(parseDockerfile(file, text, { buildArgs: config.lint.buildArgs })).targets) images.set(pinKey(t), t.image);
    } catch {
      // the engine reports what this file does to the model; it just gets no pin suggestion
    }
  }
  const digests = new Map<string, string>();
  const platforms = new Map<string, string[]>();
  await mapLimit([...images.keys()], opts.concurrency ?? 8, async (key) => {
    try {
      const image = images.get(key)!;
      const r = await opts.client.resolve(image);
      if (r.found) digests.set(key, r.digest);
      if (r.found && r.platforms?.length)
        platforms.set(
          normalizeImage(image),
          r.platforms.map((p) => p.platform)
        );
    } catch {
      // unreachable registry, private image: the finding stays, without a suggestion
    }
  });
  return { digests, platforms };
}

const MAX_DOCKERIGNORE = 1 << 20;

/**
 * The .dockerignore each Dockerfile's build is subject to: `<Dockerfile>.dockerignore` beside it, else
 * `.dockerignore` at the root of its context (`lint.context`, default the Dockerfile's folder). Only
 * regular files up to 1 MiB; one read per file.
 */
export function readDockerignores(cwd: string, files: readonly string[], context: Record<string, string>): Map<string, { file: string; lines: string[] }> {
  const cache = new Map<string, { file: string; lines: string[] } | undefined>();
  const read = (rel: string) => {
    if (!cache.has(rel)) {
      let got: { file: string; lines: string[] } | undefined;
      try {
        const abs = path.resolve(cwd, rel);
        const st = fs.statSync(abs);
        if (st.isFile() && st.size <= MAX_DOCKERIGNORE) got = { file: rel, lines: fs.readFileSync(abs, 'utf8').split(/\r?\n/) };
      } catch {
        got = undefined;
      }
      cache.set(rel, got);
    }
    return cache.get(rel);
  };
  const out = new Map<string, { file: string; lines: string[] }>();
  for (const file of files) {
    const own = read(`${file}.dockerignore`);
    const glob = Object.keys(context).find((g) => minimatch(file, g, { dot: true }));
    const dir = glob !== undefined ? path.posix.normalize(context[glob]) : path.posix.dirname(file);
    const found = own ?? read(path.posix.join(dir, '.dockerignore'));
    if (found) out.set(file, found);
  }
  return out;
}

/** The optional ShellCheck pass: `auto` runs it when `shellcheck` is on PATH, `on` requires it. */
async function shellcheckPass(inputs: FileInput[], config: Config) {
  const mode = config.lint.shellcheck;
  if (mode === 'off') return undefined;
  if (!(await shellcheckAvailable())) {
    if (mode === 'on') throw new UsageError('lint.shellcheck is "on" but shellcheck is not on PATH (install it, or set lint.shellcheck: auto)');
    return undefined;
  }
  const models = [];
  for (const { file, content } of inputs) {
    // Files the engine will reject (binary, too large, invalid UTF-8) are not checked: it reports them itself.
    const { text } = decodeDockerfile(content, config.lint.maxFileSize);
    if (text === undefined) continue;
    try {
      models.push(parseDockerfile(file, text, { buildArgs: config.lint.buildArgs, targets: config.lint.targets }));
    } catch {
      // the engine reports it; a file the model cannot take is not sent to ShellCheck
    }
  }
  return runShellcheck(models);
}

export async function runLint(opts: LintRunOptions): Promise<RunReport> {
  await loadShellParser();
  const { files, missing } = discover(opts.cwd, opts.paths, opts.config.lint.include, opts.config.lint.exclude);
  if (missing.length > 0) throw new UsageError(`no such file or no match: ${missing.join(', ')}`);
  const selected = opts.shard ? shardFiles(files, parseShard(opts.shard)) : files;
  const unreadable: { file: string; message: string }[] = [];
  const inputs: FileInput[] = [];
  // Files over the size limit are not read at all (a multi-GB file named Dockerfile must not fill memory);
  // anything but a regular file (a FIFO, a device behind a symlink) would block or never end.
  const oversize: Finding[] = [];
  const maxSize = opts.config.lint.maxFileSize;
  for (const file of selected) {
    try {
      const abs = path.resolve(opts.cwd, file);
      const st = fs.statSync(abs);
      if (!st.isFile()) {
        unreadable.push({ file, message: 'cannot read: not a regular file' });
        continue;
      }
      if (st.size > maxSize) {
        const message = oversizeMessage(st.size, maxSize);
        unreadable.push({ file, message });
        oversize.push({
          ruleId: 'limit-exceeded',
          aliases: [],
          severity: 'error',
          file,
          line: 1,
          column: 1,
          endLine: 1,
          message,
          help: docsUrl('limit-exceeded'),
          tool: 'lint'
        });
        continue;
      }
      inputs.push({ file, content: fs.readFileSync(abs) });
    } catch (e) {
      unreadable.push({ file, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }
  const external = (await shellcheckPass(inputs, opts.config)) ?? new Map<string, ExternalResults>();
  const withExternal = (file: string, more: ExternalResults) => external.set(file, { ...external.get(file), ...more });
  if (opts.suggestPins) {
    const { digests, platforms } = await pinDigests(inputs, opts.config, opts.suggestPins);
    for (const { file } of inputs) withExternal(file, { digests, imagePlatforms: platforms });
  }
  for (const [file, dockerignore] of readDockerignores(
    opts.cwd,
    inputs.map((i) => i.file),
    opts.config.lint.context
  ))
    withExternal(file, { dockerignore });
  let done = 0;
  const report = lintAll(
    (function* () {
      for (const input of inputs) {
        opts.onProgress?.(++done, inputs.length);
        yield input;
      }
    })(),
    opts.config,
    opts.rules,
    { external }
  );
  for (const e of unreadable) report.errors.push(e);
  for (const f of oversize) report.findings.push(f);
  for (const f of oversize) report.files.push(f.file);
  const limitMeta = ENGINE_RULE_META.find((m) => m.id === 'limit-exceeded');
  if (oversize.length > 0 && limitMeta && !report.rules.some((m) => m.id === limitMeta.id)) report.rules.push(limitMeta);
  for (const e of opts.pluginErrors ?? []) {
    report.findings.push({
      ruleId: 'plugin-error',
      aliases: [],
      severity: 'error',
      file: e.file,
      line: 1,
      column: 1,
      endLine: 1,
      message: `plugin ${e.message}`,
      help: docsUrl('plugin-error'),
      tool: 'lint'
    });
  }
  if (opts.pluginErrors?.length || oversize.length > 0) {
    report.findings.sort(compareFindings);
    report.counts = countBySeverity(report.findings);
  }
  return report;
}
