/**
 * `container-guard pin`, the I/O half: discover Dockerfiles, parse them, resolve every pinnable image
 * reference once with the RegistryClient, then print a unified diff per file or rewrite the files
 * atomically.
 *
 * - Plain http only for loopback registries (127.0.0.0/8, localhost, [::1]; dockerd treats them as
 *   insecure by default too) and for the hosts given with --insecure-registry; everything else is https.
 * - What a tag points to now is pinned: for a multi-platform image that is the index digest, so
 *   `--platform` keeps choosing the platform.
 * - Exit code 0 when everything pinnable was pinned (or there was nothing to do), 1 when a reference
 *   could not be resolved or a file could not be read or rewritten (the other pins are still printed
 *   or written), usage errors are thrown as UsageError (exit 2 in the CLI).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../core/config/types.js';
import { parseDockerfile } from '../core/dockerfile/model.js';
import { applyPins, pinKey, pinPlan, unifiedDiff, type Pin, type PinSkip, type PinTarget } from '../core/pin.js';
import { mapLimit } from './concurrency.js';
import { discover, writeFileAtomic } from './files.js';
import { UsageError } from './lint-run.js';
import { createRegistryClient, RegistryError, type RegistryClient, type RegistryClientOptions } from './registry/client.js';

export interface PinRunOptions {
  cwd: string;
  /** Files, directories or globs (default: the whole tree, as lint). */
  paths: string[];
  write: boolean;
  /** `host[:port]` of registries to reach over plain http (loopback registries always are). */
  insecureRegistries?: string[];
  buildArgs?: Record<string, string>;
  include?: readonly string[];
  exclude?: readonly string[];
  /** For tests: a client of your own (its options then decide http/https). */
  client?: RegistryClient;
  /** Registry lookups in flight at once (default 8). */
  concurrency?: number;
}

export interface PinFileResult {
  file: string;
  pins: { target: PinTarget; digest: string }[];
  skipped: PinSkip[];
  /** Unified diff of the change ('' when nothing changed). */
  diff: string;
  written: boolean;
}

export interface PinRunResult {
  /** 0 fine, 1 something could not be pinned. */
  code: number;
  files: PinFileResult[];
  /** `file:line: message` lines. */
  errors: string[];
  /** For stdout: the diffs, or with `write` the summary. */
  stdout: string;
  /** For stderr: errors, skipped references and a one-line summary. */
  stderr: string;
}

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** Validates `--insecure-registry` values: `host[:port]`, lower-cased. */
export function parseInsecureRegistries(values: readonly string[]): string[] {
  return values.map((v) => {
    const host = v.trim().toLowerCase();
    if (!HOST_RE.test(host)) throw new UsageError(`--insecure-registry: "${v}" is not a host[:port] such as registry.local:5000 (no scheme, no path)`);
    return host;
  });
}

/**
 * The run's client: plain http for loopback registries (unless `loopback` is false) and for `insecureHosts`
 * (the client swaps the scheme of requests to exactly those hosts; a token realm there must still be https
 * or loopback). `timeoutMs` / `deadlineMs`: per request and for the whole run (client defaults otherwise).
 */
export function createPinClient(
  insecureHosts: readonly string[],
  opts: {
    loopback?: boolean;
    fetch?: typeof fetch;
    credentials?: RegistryClientOptions['credentials'];
    timeoutMs?: number;
    deadlineMs?: number;
  } = {}
): RegistryClient {
  return createRegistryClient({
    insecure: opts.loopback ?? true,
    plainHttpHosts: insecureHosts.map((h) => h.toLowerCase()),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    credentials: opts.credentials,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {})
  });
}

interface Parsed {
  file: string;
  abs: string;
  text: string;
  utf8: boolean;
  targets: PinTarget[];
  skipped: PinSkip[];
}

export async function runPin(opts: PinRunOptions): Promise<PinRunResult> {
  const defaults = defaultConfig().lint;
  const insecure = parseInsecureRegistries(opts.insecureRegistries ?? []);
  const { files, missing } = discover(opts.cwd, opts.paths, opts.include ?? defaults.include, opts.exclude ?? defaults.exclude);
  if (missing.length > 0) throw new UsageError(`no such file or no match: ${missing.join(', ')}`);
  const client = opts.client ?? createPinClient(insecure);

  const errors: string[] = [];
  const parsed: Parsed[] = [];
  for (const file of files) {
    const abs = path.resolve(opts.cwd, file);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(abs);
    } catch (e) {
      errors.push(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      continue;
    }
    const text = bytes.toString('utf8');
    const model = parseDockerfile(file, text, { buildArgs: opts.buildArgs });
    const plan = pinPlan(model);
    parsed.push({ file, abs, text, utf8: Buffer.from(text, 'utf8').equals(bytes), ...plan });
  }

  // Each distinct reference once, a few at a time (the client also caches per run).
  const byKey = new Map<string, PinTarget['image']>();
  for (const p of parsed) for (const t of p.targets) if (!byKey.has(pinKey(t))) byKey.set(pinKey(t), t.image);
  const resolved = new Map<string, { digest: string } | { error: string }>();
  const keys = [...byKey.keys()];
  await mapLimit(keys, opts.concurrency ?? 8, async (key) => {
    try {
      const r = await client.resolve(byKey.get(key)!);
      resolved.set(key, r.found ? { digest: r.digest } : { error: `${r.reference}: not found` });
    } catch (e) {
      resolved.set(key, { error: e instanceof RegistryError ? e.detail : (e as Error).message });
    }
  });

  const results: PinFileResult[] = [];
  let stdout = '';
  let notes = '';
  for (const p of parsed) {
    const pins: PinFileResult['pins'] = [];
    for (const target of p.targets) {
      const r = resolved.get(pinKey(target))!;
      if ('error' in r) {
        const via = target.kind === 'arg' ? ` (the ARG default used by FROM on line ${target.usedAt.join(', ')})` : '';
        errors.push(`${p.file}:${target.line}: cannot pin ${target.raw}${via}: ${r.error}`);
      } else pins.push({ target, digest: r.digest });
    }
    for (const s of p.skipped) notes += `container-guard: ${p.file}:${s.line}: not pinned: ${s.text}: ${s.reason}\n`;
    const result: PinFileResult = { file: p.file, pins, skipped: p.skipped, diff: '', written: false };
    results.push(result);
    if (pins.length === 0) continue;
    if (!p.utf8) {
      errors.push(`${p.file}: not valid UTF-8; not rewritten`);
      continue;
    }
    const after = applyPins(p.text, pins as Pin[]);
    result.diff = unifiedDiff(p.file, p.text, after);
    if (!opts.write) {
      stdout += result.diff;
      continue;
    }
    try {
      const mode = fs.statSync(p.abs).mode & 0o7777;
      writeFileAtomic(p.abs, after);
      fs.chmodSync(p.abs, mode);
      result.written = true;
      for (const { target, digest } of pins) stdout += `${p.file}:${target.line}: pinned ${target.raw}@${digest}\n`;
    } catch (e) {
      errors.push(`${p.file}: cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  const pinned = results.reduce((n, r) => n + r.pins.length, 0);
  const changed = results.filter((r) => r.diff !== '').length;
  let stderr = notes + errors.map((e) => `container-guard: ${e}\n`).join('');
  const failed = errors.length > 0 ? `; ${errors.length} could not be pinned` : '';
  if (opts.write) {
    const written = results.filter((r) => r.written);
    stdout += `pinned ${written.reduce((n, r) => n + r.pins.length, 0)} image reference(s) in ${written.length} file(s)${failed}\n`;
  } else {
    const what =
      pinned > 0
        ? `${pinned} image reference(s) to pin in ${changed} file(s); run with --write to apply`
        : errors.length > 0
          ? 'no image reference to pin'
          : 'nothing to pin';
    stderr += `container-guard: ${what}${failed}\n`;
  }
  return { code: errors.length > 0 ? 1 : 0, files: results, errors, stdout, stderr };
}
