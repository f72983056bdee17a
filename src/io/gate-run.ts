/**
 * The I/O half of the gate: resolve files, stream each report through its
 * adapter into the policy, read VEX, legacy ignore files and the baseline.
 * A report that is empty, truncated or of unknown format is a ReportError (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { Config } from '../core/config/types.js';
import { detectFormat, type DetectedFormat } from '../core/gate/formats/detect.js';
import { applyMeta, createAdapter } from '../core/gate/formats/index.js';
import { parseLegacyIgnore, legacyIgnoreSyntax } from '../core/gate/ignore-files.js';
import { JsonStreamError, streamJson } from '../core/gate/json-stream.js';
import { baselineKey, DEFAULT_SETTINGS, Gate, type GatePolicy, type GateResult, type PolicySettings } from '../core/gate/policy.js';
import { ReportError, type IgnoreRule, type ReportMeta, type ScanFinding, type VexStatement } from '../core/gate/types.js';
import { parseCycloneDxVex } from '../core/gate/vex/cyclonedx.js';
import { vexFor } from '../core/gate/vex/match.js';
import { parseOpenVex } from '../core/gate/vex/openvex.js';
import { toPosix, walkFiles } from './files.js';
import { UsageError } from './lint-run.js';

const HEAD_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = 4 * 1024 * 1024;

/** Files named directly, or matched by a glob under cwd; a pattern matching nothing is an error. */
export function resolveInputs(cwd: string, patterns: readonly string[], what: string): string[] {
  const out: string[] = [];
  let tree: string[] | undefined;
  for (const p of patterns) {
    const abs = path.resolve(cwd, p);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) {
      out.push(p);
      continue;
    }
    tree ??= walkFiles(cwd);
    const hits = tree.filter((f) => minimatch(f, toPosix(p), { dot: true }));
    if (hits.length === 0) throw new ReportError(p, `no ${what} file matches`);
    out.push(...hits);
  }
  return [...new Set(out)];
}

function readHead(file: string, abs: string): { head: string; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(abs, 'r');
  } catch (e) {
    throw new ReportError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) throw new ReportError(file, 'empty file: a scanner report is never empty (did the scan fail?)');
    // Grow the head until the format is decided (rarely more than the first few KB).
    for (let n = HEAD_BYTES; ; n *= 4) {
      const len = Math.min(n, size, MAX_HEAD_BYTES);
      const buf = Buffer.alloc(len);
      fs.readSync(fd, buf, 0, len, 0);
      const head = buf.toString('utf8');
      const complete = len === size;
      const format = detectFormat(head, file, { complete: complete || len === MAX_HEAD_BYTES });
      if (format || complete || len === MAX_HEAD_BYTES) return { head, size };
    }
  } finally {
    fs.closeSync(fd);
  }
}

export function detectFile(file: string, cwd: string): DetectedFormat {
  const abs = path.resolve(cwd, file);
  const { head } = readHead(file, abs);
  const format = detectFormat(head, file, { complete: true });
  if (!format) throw new ReportError(file, 'unknown format: not Trivy, Grype, Snyk or SARIF JSON, nor OpenVEX/CycloneDX VEX');
  return format;
}

/** Streams one report; returns its findings (with the report's meta applied) and meta. */
export async function readReport(file: string, cwd: string, onFinding: (f: ScanFinding) => void): Promise<ReportMeta> {
  const format = detectFile(file, cwd);
  if (format === 'openvex' || format === 'cyclonedx')
    throw new ReportError(file, `is ${format === 'openvex' ? 'an OpenVEX' : 'a CycloneDX'} document, not a scanner report: pass it as VEX (--vex / vex input)`);
  const adapter = createAdapter(format, file);
  // Findings wait for the report's meta (Grype names the image after its matches); they are compact records.
  const pending: ScanFinding[] = [];
  try {
    for await (const e of streamJson(fs.createReadStream(path.resolve(cwd, file), { highWaterMark: 1 << 20 }), { ...adapter.captures, maxDepth: 512 })) {
      for (const f of adapter.onEvent(e)) pending.push(f);
    }
  } catch (e) {
    if (e instanceof JsonStreamError) throw new ReportError(file, `not valid JSON (${e.message}): truncated or corrupt report`);
    throw e;
  }
  const end = adapter.finish();
  pending.push(...end.findings);
  for (const f of pending) onFinding(applyMeta(f, end.meta));
  return end.meta;
}

function readVex(file: string, cwd: string): VexStatement[] {
  const format = detectFile(file, cwd);
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(path.resolve(cwd, file), 'utf8'));
  } catch (e) {
    throw new ReportError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (format === 'openvex') return parseOpenVex(data, file);
  if (format === 'cyclonedx') return parseCycloneDxVex(data, file);
  throw new ReportError(file, `is a ${format} scanner report, not a VEX document`);
}

export interface GateRunOptions {
  cwd: string;
  reports: string[];
  vex: string[];
  /** Legacy ignore files given as flags/inputs (relative to cwd). */
  ignoreFiles?: string[];
  baseline?: string;
  config: Config;
  now?: Date;
}

export interface GateRun {
  result: GateResult;
  reports: ReportMeta[];
}

export function policySettings(config: Config): { settings: PolicySettings; overrides: GatePolicy['overrides'] } {
  const g = config.gate;
  const settings: PolicySettings = {
    failOn: g.failOn ?? DEFAULT_SETTINGS.failOn,
    maxCvss: g.maxCvss,
    max: g.max,
    onlyFixable: g.onlyFixable ?? DEFAULT_SETTINGS.onlyFixable,
    kinds: g.kinds ?? DEFAULT_SETTINGS.kinds
  };
  const overrides = g.overrides.map((o) => {
    const s: Partial<PolicySettings> = {};
    if (o.failOn !== undefined) s.failOn = o.failOn;
    if (o.maxCvss !== undefined) s.maxCvss = o.maxCvss;
    if (o.max !== undefined) s.max = o.max;
    if (o.onlyFixable !== undefined) s.onlyFixable = o.onlyFixable;
    if (o.kinds !== undefined) s.kinds = o.kinds;
    return { images: o.images, settings: s };
  });
  return { settings, overrides };
}

export async function runGate(opts: GateRunOptions): Promise<GateRun> {
  const { cwd, config } = opts;
  if (opts.reports.length === 0) throw new ReportError('(none)', 'no report given: pass at least one scanner report');
  const reports = resolveInputs(cwd, opts.reports, 'report');
  // Paths in the config were resolved by the loader against the file that wrote them (config/paths.ts:
  // absolute stays absolute, relative is relative to that file); flags and inputs are relative to cwd.
  const vexFiles = resolveInputs(cwd, [...config.gate.vex, ...opts.vex], 'VEX');
  const ignoreFiles = resolveInputs(cwd, [...config.gate.ignoreFiles, ...(opts.ignoreFiles ?? [])], 'ignore');
  const vex = vexFiles.flatMap((f) => readVex(f, cwd));
  const ignores: IgnoreRule[] = [...config.gate.ignores];
  for (const f of ignoreFiles) {
    const syntax = legacyIgnoreSyntax(f);
    if (!syntax) throw new ReportError(f, 'unknown ignore file: expected .trivyignore, .trivyignore.yaml or .grype.yaml');
    ignores.push(...parseLegacyIgnore(fs.readFileSync(path.resolve(cwd, f), 'utf8'), f, syntax));
  }
  let baseline: Set<string> | undefined;
  if (opts.baseline) {
    const keys = new Set<string>();
    await readReport(opts.baseline, cwd, (f) => keys.add(baselineKey(f)));
    baseline = keys;
  } else if (config.gate.newOnly) {
    throw new ReportError(config.file ?? '.container-guard.yml', 'gate.new-only needs a baseline report (--baseline / baseline input)');
  }
  const { settings, overrides } = policySettings(config);
  const digests = new Map<string, string[]>();
  const gate = new Gate(
    { settings, overrides, ignores, vex, baseline },
    (f, sts) => vexFor(f, sts, { repoDigests: f.image ? digests.get(f.image) : undefined }),
    opts.now
  );
  const metas: ReportMeta[] = [];
  for (const file of reports) {
    const meta = await readReport(file, cwd, (f) => gate.add(f));
    if (meta.image && meta.repoDigests) digests.set(meta.image, meta.repoDigests);
    metas.push(meta);
  }
  return { result: gate.finish(), reports: metas };
}

export interface GateOverrides {
  failOn?: string;
  maxCvss?: string;
  /** `critical=0,high=5` */
  max?: string;
  onlyFixable?: boolean;
  newOnly?: boolean;
}

const GATE_LEVELS = ['critical', 'high', 'medium', 'low', 'none'];

/**
 * Flags (CLI) or inputs (action) over the config's gate: section, field by field.
 * `label(name)` says how the caller spells the field in messages (`--fail-on`, `input fail-on`).
 */
export function applyGateOverrides(config: Config, o: GateOverrides, label: (name: string) => string): Config {
  const g = { ...config.gate };
  if (o.failOn !== undefined && o.failOn.trim() !== '') {
    const v = o.failOn.trim().toLowerCase();
    if (!GATE_LEVELS.includes(v)) throw new UsageError(`${label('fail-on')}: "${o.failOn}" is not one of ${GATE_LEVELS.join(', ')}`);
    g.failOn = v as typeof g.failOn;
  }
  if (o.maxCvss !== undefined && o.maxCvss.trim() !== '') {
    const n = Number(o.maxCvss);
    if (!Number.isFinite(n) || n < 0 || n > 10) throw new UsageError(`${label('max-cvss')}: "${o.maxCvss}" is not a number from 0 to 10`);
    g.maxCvss = n;
  }
  if (o.max !== undefined && o.max.trim() !== '') {
    g.max = {};
    for (const part of o.max.split(/[,\s]+/).filter(Boolean)) {
      const m = /^(critical|high|medium|low|unknown)[=:](\d+)$/i.exec(part);
      if (!m) throw new UsageError(`${label('max')}: "${part}" is not severity=count (e.g. critical=0,high=5)`);
      g.max[m[1].toLowerCase() as 'critical'] = Number(m[2]);
    }
  }
  if (o.onlyFixable !== undefined) g.onlyFixable = o.onlyFixable;
  if (o.newOnly !== undefined) g.newOnly = o.newOnly;
  return { ...config, gate: g };
}
