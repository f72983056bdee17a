/**
 * Shared pieces of the report adapters (trivy.ts, grype.ts, snyk.ts, sarif.ts).
 *
 * An adapter consumes the events of one report (json-events.ts) one by one and returns the findings each event
 * completes, so a report is never held in memory: `onEvent` returns findings as they are read, `finish` returns
 * what could only be known at the end (findings deferred by the format, and the report's meta data).
 *
 * Findings carry `image` when it was known at the time they were emitted. Some formats name the image only after
 * the findings (Grype's `source` follows `matches`, SARIF run properties follow `results`): those findings are
 * emitted with `image` undefined and the caller applies `meta.image` (see `applyMeta`).
 */
import type { EventOptions, JsonEvent, PathSegment } from '../json-events.js';
import { ReportError, type ReportFormat, type ReportMeta, type ScanFinding, type VulnSeverity } from '../types.js';

export interface AdapterResult {
  /** Findings that could only be completed at the end of the report (usually none). */
  findings: ScanFinding[];
  meta: ReportMeta;
}

export interface ReportAdapter {
  readonly format: ReportFormat;
  /** The capture paths and scalar depth the event producer must use for this format. */
  readonly captures: EventOptions;
  /** Consumes one event; returns the findings it completed (often none or one). */
  onEvent(e: JsonEvent): ScanFinding[];
  /** Ends the report: remaining findings and the meta data. Throws ReportError when the report is incomplete. */
  finish(): AdapterResult;
}

/** Fills in what the report named only after its findings (the image). Mutates and returns the finding. */
export function applyMeta(f: ScanFinding, meta: ReportMeta): ScanFinding {
  if (f.image === undefined && meta.image !== undefined) f.image = meta.image;
  return f;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A non-empty trimmed string, or undefined. */
export function str(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `Results[2].Vulnerabilities[7]` for messages. */
export function pathText(path: readonly PathSegment[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? 'the top level' : out;
}

/** Scanner severity words (any case) → our severity. Negligible (Grype, Debian) counts as low. */
export function severityFromWord(v: unknown): VulnSeverity {
  switch (typeof v === 'string' ? v.trim().toLowerCase() : '') {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
    case 'negligible':
      return 'low';
    default:
      return 'unknown';
  }
}

/** A CVSS-like score → severity (the CVSS v3 qualitative bands; 0 and below give undefined: no opinion). */
export function severityFromScore(score: number): VulnSeverity | undefined {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return undefined;
}

/**
 * Collects CVSS base scores by version and picks the one we report: the highest v3.x score; without any v3, the
 * highest v2 score; without either, the highest v4.0 score (v4 scores are rarely the only ones, and are not
 * comparable one-to-one with v3, so they are a last resort).
 */
export class CvssPicker {
  private v3?: number;
  private v2?: number;
  private v4?: number;

  add(version: string | number | undefined, score: unknown): void {
    const s = num(score);
    if (s === undefined || s < 0 || s > 10) return;
    const v = String(version ?? '');
    if (v.startsWith('3')) this.v3 = Math.max(this.v3 ?? 0, s);
    else if (v.startsWith('2')) this.v2 = Math.max(this.v2 ?? 0, s);
    else if (v.startsWith('4')) this.v4 = Math.max(this.v4 ?? 0, s);
  }

  get score(): number | undefined {
    return this.v3 ?? this.v2 ?? this.v4;
  }
}

/** First line of a text, at most `max` characters (titles must stay one line). */
export function firstLine(text: string | undefined, max = 200): string | undefined {
  if (!text) return undefined;
  const line = text.trim().split(/\r?\n/, 1)[0].trim();
  if (line === '') return undefined;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Unique non-empty strings, first occurrence order, without `exclude` (compared case-insensitively). */
export function uniqueIds(ids: Iterable<unknown>, exclude?: string): string[] {
  const seen = new Set<string>(exclude ? [exclude.toUpperCase()] : []);
  const out: string[] = [];
  for (const id of ids) {
    const s = str(id);
    if (!s || seen.has(s.toUpperCase())) continue;
    seen.add(s.toUpperCase());
    out.push(s);
  }
  return out;
}

/** A severity field that is present must be a word: a number or object there means the report is corrupt. */
export function checkedSeverity(v: unknown, file: string, path: readonly PathSegment[], field: string): VulnSeverity {
  if (v !== undefined && v !== null && typeof v !== 'string') fail(file, path, `${field} is ${JSON.stringify(v)}, expected a severity word`);
  return severityFromWord(v);
}

export function fail(file: string, path: readonly PathSegment[], detail: string): never {
  throw new ReportError(file, `${pathText(path)}: ${detail}`);
}

/** Drops undefined optional fields so findings compare and serialise cleanly. Mutates and returns the finding. */
export function clean(f: ScanFinding): ScanFinding {
  for (const k of Object.keys(f) as (keyof ScanFinding)[]) if (f[k] === undefined) delete f[k];
  return f;
}

/** Edit distance of two short strings, stopping early above `max` (returns max + 1 then). */
function within(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return false;
    prev = cur;
  }
  return prev[b.length] <= max;
}

/**
 * The key a tool writes that `key` is a variant of (other case, a typo: edit distance ≤ 2 ignoring case), or
 * undefined when `key` is exact or unrelated. A report whose findings sit under such a key was not written by the
 * tool (or was edited): reading past them would pass it, so adapters fail on it.
 */
export function nearMissKey(key: string, expected: readonly string[]): string | undefined {
  if (expected.includes(key)) return undefined;
  const k = key.toLowerCase();
  for (const e of expected) if (k === e.toLowerCase() || (e.length >= 6 && within(k, e.toLowerCase(), 2))) return e;
  return undefined;
}

/** An `open` event's container must be of the type the tool writes there. */
export function checkContainer(file: string, e: JsonEvent, expected: '{' | '['): void {
  if (e.type === 'open' && e.value !== expected) fail(file, e.path, expected === '[' ? 'must be an array' : 'must be an object');
}
