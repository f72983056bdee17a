/**
 * Helpers for rules about stages and the images they pull: where a `--from`
 * points (stage, stage index, image), `RUN --mount` option parsing, source
 * positions of flags and words, and image-name glob matching.
 */
import { minimatch } from 'minimatch';
import type { DockerfileModel, Instruction, Stage } from '../../dockerfile/model.js';
import { DOCKER_HUB, parseImageRef, type ImageRef } from '../../image-ref.js';

export interface Position {
  line: number;
  column: number;
}

/** Source line and column of an offset in `instr.args`. */
export function positionInArgs(instr: Instruction, offset: number): Position {
  const pieces = instr.raw.pieces;
  let start = 0;
  let line = instr.line;
  let first = true;
  for (let k = 0; k < pieces.length; k += 2) {
    if (pieces[k] > offset) break;
    start = pieces[k];
    line = pieces[k + 1];
    first = k === 0;
  }
  // The first piece starts right after the keyword; continuation lines are appended whole.
  const column = first ? instr.column + instr.keyword.length + offset : offset - start + 1;
  return { line, column: Math.max(1, column) };
}

/** Position of the n-th word of `instr.rest`. */
export function wordPosition(instr: Instruction, wordIndex: number): Position {
  const w = instr.words[wordIndex];
  if (!w) return { line: instr.line, column: instr.column };
  return positionInArgs(instr, instr.restOffset + w.offset);
}

/** Position of the flag `--name` (first occurrence) in the instruction's flag area. */
export function flagPosition(instr: Instruction, name: string): Position {
  const head = instr.args.slice(0, instr.restOffset).toLowerCase();
  const at = head.search(new RegExp(`--${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[=\\s]|$)`));
  return at < 0 ? { line: instr.line, column: instr.column } : positionInArgs(instr, at);
}

/** Splits `type=cache,from=x,"target=/a,b"` into lower-cased keys and values (CSV, double quotes). */
export function parseMountOptions(value: string): Map<string, string> {
  const fields: string[] = [];
  let cur = '';
  let quote = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      if (quote && value[i + 1] === '"') {
        cur += '"';
        i++;
      } else quote = !quote;
    } else if (c === ',' && !quote) {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  const out = new Map<string, string>();
  for (const f of fields) {
    const t = f.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    if (eq < 0) out.set(t.toLowerCase(), '');
    else out.set(t.slice(0, eq).trim().toLowerCase(), t.slice(eq + 1).trim());
  }
  return out;
}

/** The first stage named `name` (case-insensitive), as BuildKit and the model resolve names. */
const stageIndex = new WeakMap<DockerfileModel, Map<string, Stage>>();

/** The first stage with this name; one index per model (a scan per lookup was quadratic on 50,000 stages). */
export function stageNamed(model: DockerfileModel, name: string): Stage | undefined {
  let idx = stageIndex.get(model);
  if (!idx) {
    idx = new Map();
    for (const s of model.stages) if (s.name !== undefined && !idx.has(s.name)) idx.set(s.name, s);
    stageIndex.set(model, idx);
  }
  return idx.get(name.toLowerCase());
}

export type FromTarget =
  /** `--from=<name>` or `--from=<n>` naming a stage of this file (it may come later than the use). */
  | { kind: 'stage'; stage: Stage; byIndex: boolean }
  /** `--from=<n>` past the last stage. */
  | { kind: 'bad-index'; index: number }
  /** Anything else: an image, by BuildKit's reading. `ref` is undefined when it does not parse. */
  | { kind: 'image'; ref?: ImageRef; looksLikeImage: boolean };

/** Text that names an image rather than a (mistyped) stage: it has a registry, path, tag or digest part. */
export function looksLikeImage(value: string): boolean {
  return /[/:.@]/.test(value);
}

/**
 * Template placeholders (`alpine:{{ env.variant }}`, `nginx:%%NGINX_VERSION%%`, the dev-container templates'
 * `${templateOption:imageVariant}`, which BuildKit rejects as an unknown modifier): a template, not a Dockerfile.
 */
export function isTemplated(text: string): boolean {
  return /\{\{|\{%|%\}|\}\}|%%[A-Za-z0-9_]+%%|\$\{[A-Za-z_][A-Za-z0-9_]*:[^-+?]/.test(text);
}

export function classifyFrom(model: DockerfileModel, value: string): FromTarget {
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    const stage = model.stages[index];
    return stage ? { kind: 'stage', stage, byIndex: true } : { kind: 'bad-index', index };
  }
  const stage = stageNamed(model, value);
  if (stage) return { kind: 'stage', stage, byIndex: false };
  return { kind: 'image', ref: parseImageRef(value), looksLikeImage: looksLikeImage(value) };
}

export interface FromSource {
  instr: Instruction;
  /** How it reads in messages: `COPY --from` or `RUN --mount from`. */
  what: 'COPY --from' | 'RUN --mount from';
  /** The value as written. */
  value: string;
  /** After variable expansion (mounts only; BuildKit does not expand COPY --from). */
  resolved: string;
  /** Variables that could not be expanded (mounts), or every variable (COPY --from). */
  unresolved: string[];
  /** True when the value has `$` variables. */
  hasVariables: boolean;
  position: Position;
}

const VAR_NAME_RE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

export function variableNames(text: string): string[] {
  return [...text.matchAll(VAR_NAME_RE)].map((m) => m[1]);
}

/** Every `COPY --from=<x>` and `RUN --mount=...,from=<x>` of the file's stages (not ONBUILD, not before FROM). */
export function* fromSources(model: DockerfileModel): Generator<FromSource> {
  for (const instr of model.instructions) {
    if (instr.stage < 0) continue;
    if (instr.keyword === 'COPY') {
      for (const f of instr.flags) {
        if (f.name !== 'from' || f.value === undefined || f.value === '') continue;
        const vars = variableNames(f.value);
        yield {
          instr,
          what: 'COPY --from',
          value: f.value,
          resolved: f.value,
          unresolved: vars,
          hasVariables: vars.length > 0,
          position: flagPosition(instr, 'from')
        };
      }
    } else if (instr.keyword === 'RUN') {
      for (const f of instr.flags) {
        if (f.name !== 'mount' || !f.value) continue;
        const from = parseMountOptions(f.value).get('from');
        if (!from) continue;
        const sub = instr.resolve(from);
        yield {
          instr,
          what: 'RUN --mount from',
          value: from,
          resolved: sub.value,
          unresolved: sub.unresolved,
          hasVariables: from.includes('$'),
          position: flagPosition(instr, 'mount')
        };
      }
    }
  }
}

/** `{what}=value` for messages: `COPY --from=x` or `RUN --mount from=x`. */
export function describeSource(s: FromSource): string {
  return `${s.what}=${s.value}`;
}

/** Subject for messages about the image a source pulls: `COPY --from image` or `RUN --mount image`. */
export function sourceSubject(s: FromSource): string {
  return s.what === 'COPY --from' ? 'COPY --from image' : 'RUN --mount image';
}

const HUB_ALIASES = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com'];

/** The names an image is known by, for glob matching: `docker.io/library/nginx`, `nginx`; `ghcr.io/o/a`. */
export function imageNames(ref: ImageRef): string[] {
  const full = `${ref.registry}/${ref.repository}`;
  const names = [full];
  if (ref.registry === DOCKER_HUB) {
    const short = ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
    names.push(short);
    if (short !== ref.repository) names.push(`${DOCKER_HUB}/${short}`);
  }
  return names;
}

/** Docker Hub's other host names in a pattern become `docker.io`. */
export function normalizeRegistryGlob(glob: string): string {
  const g = glob
    .trim()
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/\/+$/, '');
  for (const alias of HUB_ALIASES) {
    if (g === alias) return DOCKER_HUB;
    if (g.startsWith(alias + '/')) return DOCKER_HUB + g.slice(alias.length);
  }
  return g;
}

export function globMatches(candidates: string[], globs: string[]): string | undefined {
  for (const raw of globs) {
    const glob = normalizeRegistryGlob(raw);
    if (!glob) continue;
    if (candidates.some((c) => minimatch(c, glob, { dot: true, nocase: true }))) return raw;
  }
  return undefined;
}

/** The reference without tag and digest, as written: `localhost:5000/app`, `nginx`. */
export function repoText(ref: ImageRef): string {
  let s = ref.raw.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) s = s.slice(0, colon);
  return s;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** Beyond this many candidates a "did you mean" is noise, and computing it made lint quadratic. */
const MAX_SUGGESTION_CANDIDATES = 256;

/** The closest of `names` to `name`, when close enough to be a likely typo (no suggestion among more than 256 names). */
export function closestName(name: string, names: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  // Only names within 3 characters of the length can be suggested (the distance is at least the difference).
  const candidates: string[] = [];
  let seen = 0;
  for (const n of names) {
    if (++seen > MAX_SUGGESTION_CANDIDATES) return undefined;
    if (Math.abs(n.length - lower.length) <= 3) candidates.push(n);
  }
  for (const n of candidates) {
    const d = editDistance(lower, n);
    if (d < bestD) {
      best = n;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(3, Math.floor(Math.max(lower.length, best.length) / 3)));
  return bestD <= limit ? best : undefined;
}

/** The keyword as written in the source (`from`, `FROM`, `From`). */
export function keywordAsWritten(model: DockerfileModel, instr: Instruction): string {
  const text = model.lines[instr.line - 1] ?? '';
  return text.slice(instr.column - 1, instr.column - 1 + instr.keyword.length);
}

/** Index of the `AS` word of a FROM (`FROM img AS name`), or -1. */
export function asWordIndex(instr: Instruction): number {
  return instr.words.findIndex((w, k) => k > 0 && w.value.toLowerCase() === 'as');
}
