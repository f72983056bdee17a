/**
 * "Changed since the last run" without any storage but the comment itself.
 *
 * Every sticky body ends with one hidden line:
 *
 *   <!-- container-guard:fingerprints:v1 sha=<head> error=<n>:<fps> warning=<n>:<fps> note=<n>:<fps> base=<sha|-> new=<fps> fixed=<fps> -->
 *
 * A fingerprint is 8 base64 characters (48 bits) of SHA-256 over (tool, ruleId,
 * file, message, k) where k counts earlier findings with the same four values in
 * file/line order: line numbers shift when lines are added above a finding, so
 * they are not part of the key, and k keeps two identical findings in one
 * file apart. `<n>` is how many findings of that severity the run had; the
 * list holds all of them unless the line would exceed its budget, in which
 * case the most severe are kept (so a later run can tell which severities it
 * can compare in full). `base`, `new` and `fixed` record what this run was
 * compared with and the result, so a re-run of the same commit compares with
 * the same run again and produces the same body (left out when they do not fit).
 */
import { createHash } from 'node:crypto';
import { compareFindings, SEVERITIES, type Finding, type Severity } from '../finding.js';
import { toPosixPath } from '../report/util.js';

export const FINGERPRINT_LENGTH = 8;
/** Largest fingerprint line: about 2,000 fingerprints; the rest of the 65,536 characters are for people. */
export const FINGERPRINT_MAX_CHARS = 16_384 + 256;

const PREFIX = '<!-- container-guard:fingerprints:v1';
const FPS_RE = /^(?:[A-Za-z0-9+/]{8})*$/;

export interface RunState {
  /** The head commit of the run. */
  sha: string;
  /** Per severity: how many findings the run had, and the fingerprints kept (all of them, or the first ones in file order). */
  sets: Record<Severity, { total: number; fps: string[] }>;
  /** What the run was compared with (`base`: its sha, or null for nothing) and what came out. */
  delta?: { base: string | null; added: string[]; fixed: string[] };
}

/** The run a new body is compared with. */
export interface Baseline {
  sha: string;
  fps: Set<string>;
  /** Severities whose every fingerprint is known: only there can a finding be called new. */
  complete: Record<Severity, boolean>;
}

function hash(f: Finding, k: number): string {
  const key = [f.tool ?? '', f.ruleId, toPosixPath(f.file), f.message, String(k)].join('\u0000');
  return createHash('sha256').update(key, 'utf8').digest().subarray(0, 6).toString('base64');
}

/** The fingerprint of every finding (same order as given). */
export function fingerprintAll(findings: readonly Finding[]): string[] {
  const order = findings.map((f, i) => ({ f, i })).sort((a, b) => compareFindings(a.f, b.f) || a.i - b.i);
  const seen = new Map<string, number>();
  const out: string[] = new Array<string>(findings.length);
  for (const { f, i } of order) {
    const key = JSON.stringify([f.tool ?? '', f.ruleId, toPosixPath(f.file), f.message]);
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    out[i] = hash(f, k);
  }
  return out;
}

/** One finding's fingerprint, when it is the only one of its kind in its file. */
export function fingerprint(f: Finding): string {
  return hash(f, 0);
}

function fpsText(fps: readonly string[]): string {
  return fps.join('');
}

/** The hidden line, at most `maxChars` long (fingerprints left out as the header describes). */
export function encodeState(state: RunState, maxChars = FINGERPRINT_MAX_CHARS): string {
  const sha = `sha=${encodeURIComponent(state.sha)}`;
  const end = ' -->';
  const seg = (s: Severity, fps: readonly string[]) => ` ${s}=${state.sets[s].total}:${fpsText(fps)}`;
  let size = PREFIX.length + 1 + sha.length + end.length + SEVERITIES.reduce((n, s) => n + seg(s, []).length, 0);
  const kept: Record<Severity, string[]> = { error: [], warning: [], note: [] };
  let full = true;
  for (const s of SEVERITIES) {
    for (const fp of state.sets[s].fps) {
      if (!full || size + FINGERPRINT_LENGTH > maxChars) {
        full = false;
        break;
      }
      kept[s].push(fp);
      size += FINGERPRINT_LENGTH;
    }
  }
  let delta = '';
  if (state.delta) {
    const d = ` base=${state.delta.base === null ? '-' : encodeURIComponent(state.delta.base)} new=${fpsText(state.delta.added)} fixed=${fpsText(state.delta.fixed)}`;
    if (size + d.length <= maxChars) delta = d;
  }
  return `${PREFIX} ${sha}${SEVERITIES.map((s) => seg(s, kept[s])).join('')}${delta}${end}`;
}

function splitFps(s: string | undefined): string[] | undefined {
  if (s === undefined || !FPS_RE.test(s)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < s.length; i += FINGERPRINT_LENGTH) out.push(s.slice(i, i + FINGERPRINT_LENGTH));
  return out;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Reads the hidden line back from a body; undefined when there is none or it is damaged. */
export function decodeState(body: string): RunState | undefined {
  const at = body.lastIndexOf(PREFIX);
  if (at < 0) return undefined;
  const close = body.indexOf('-->', at);
  if (close < 0) return undefined;
  const fields = new Map<string, string>();
  for (const token of body
    .slice(at + PREFIX.length, close)
    .trim()
    .split(/\s+/)) {
    const eq = token.indexOf('=');
    if (eq > 0) fields.set(token.slice(0, eq), token.slice(eq + 1));
  }
  const sha = decode(fields.get('sha') ?? '');
  if (!sha) return undefined;
  const sets = {} as RunState['sets'];
  for (const s of SEVERITIES) {
    const m = /^(\d+):(.*)$/.exec(fields.get(s) ?? '');
    const fps = m ? splitFps(m[2]) : undefined;
    if (!m || !fps || fps.length > Number(m[1])) return undefined;
    sets[s] = { total: Number(m[1]), fps };
  }
  const state: RunState = { sha, sets };
  const base = fields.get('base');
  const added = splitFps(fields.get('new'));
  const fixed = splitFps(fields.get('fixed'));
  if (base !== undefined && added && fixed) {
    const b = base === '-' ? null : decode(base);
    if (b !== undefined && b !== '') state.delta = { base: b, added, fixed };
  }
  return state;
}

/**
 * What a run at `sha` is compared with, given the previous body's state: that
 * run, or, when the previous body is from the same commit (a re-run), the run
 * that one was compared with. Undefined: nothing to compare with.
 */
export function baselineOf(prev: RunState | undefined, sha: string): Baseline | undefined {
  if (!prev) return undefined;
  const complete = {} as Record<Severity, boolean>;
  const fps = new Set<string>();
  for (const s of SEVERITIES) {
    complete[s] = prev.sets[s].fps.length === prev.sets[s].total;
    for (const fp of prev.sets[s].fps) fps.add(fp);
  }
  if (prev.sha !== sha || !prev.delta) return { sha: prev.sha, fps, complete };
  if (prev.delta.base === null) return undefined;
  for (const fp of prev.delta.added) fps.delete(fp);
  for (const fp of prev.delta.fixed) fps.add(fp);
  return { sha: prev.delta.base, fps, complete };
}

export interface Changes {
  /** The baseline's commit. */
  since: string;
  /** Findings whose fingerprint the baseline did not have (in the given order). */
  added: Finding[];
  /** Their fingerprints. */
  addedFps: string[];
  /** Fingerprints of the baseline that are gone. */
  fixed: string[];
  /** True when the baseline did not list every finding, so `fixed` may be short. */
  fixedAtLeast: boolean;
  /** Findings that may or may not be new: their severity was not listed in full last time. */
  unknown: number;
}

/** Compares the current findings (with their fingerprints, same order) with a baseline. */
export function compareWith(findings: readonly Finding[], fps: readonly string[], base: Baseline): Changes {
  const now = new Set(fps);
  const added: Finding[] = [];
  const addedFps: string[] = [];
  let unknown = 0;
  findings.forEach((f, i) => {
    if (base.fps.has(fps[i])) return;
    if (base.complete[f.severity]) {
      added.push(f);
      addedFps.push(fps[i]);
    } else unknown++;
  });
  const fixed = [...base.fps].filter((fp) => !now.has(fp));
  return { since: base.sha, added, addedFps, fixed, fixedAtLeast: SEVERITIES.some((s) => !base.complete[s]), unknown };
}

/** The state to embed for a run: its fingerprints per severity (file order) and how it compared. */
export function stateOf(sha: string, findings: readonly Finding[], fps: readonly string[], changes: Changes | undefined): RunState {
  const sets: RunState['sets'] = { error: { total: 0, fps: [] }, warning: { total: 0, fps: [] }, note: { total: 0, fps: [] } };
  const order = findings.map((f, i) => ({ f, i })).sort((a, b) => compareFindings(a.f, b.f) || a.i - b.i);
  for (const { f, i } of order) {
    sets[f.severity].total++;
    sets[f.severity].fps.push(fps[i]);
  }
  return {
    sha,
    sets,
    delta: changes ? { base: changes.since, added: changes.addedFps, fixed: changes.fixed } : { base: null, added: [], fixed: [] }
  };
}
