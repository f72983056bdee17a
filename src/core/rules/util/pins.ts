/**
 * Which image references of a Dockerfile can be pinned to a digest, where exactly their text is, and the
 * edit. Shared by `unpinned-base-image` (its pin suggestions) and `container-guard pin` (src/core/pin.ts),
 * so it lives below both.
 *
 * - Targets: every external image of `FROM` (after ARG resolution) and of `COPY --from=<image>` that has
 *   no digest yet. Stage names and indexes, `scratch` and images already pinned by digest are left alone
 *   silently; anything else that cannot be pinned safely is returned as `skipped` with the reason.
 * - The edit appends `@<digest>` to the image text exactly as written (`nginx:1.27` →
 *   `nginx:1.27@sha256:…`, `nginx` → `nginx@sha256:…`): the tag stays for readers and for drift checks,
 *   and no tag is invented. Nothing else of the file changes: comments, spacing, continuation lines,
 *   CRLF line ends and a BOM are kept byte for byte.
 * - `FROM ${BASE}` (the whole image is one variable) whose value is the default of a global
 *   `ARG BASE=nginx:1.27` pins that default, once even when several FROMs use it. An image assembled from
 *   several variables (`${REG}/app:${VER}`), a default that uses variables, and a value that comes from
 *   a build arg are reported as not pinnable instead of guessed.
 */
import type { DockerfileModel, Instruction } from '../../dockerfile/model.js';
import { isSpace } from '../../dockerfile/words.js';
import { normalizeImage, type ImageRef } from '../../image-ref.js';
import { classifyFrom, isTemplated, positionInArgs, variableNames } from './stages.js';

export interface PinTarget {
  /** 1-based line of the image text. */
  line: number;
  /** Offsets of the image text in the line (without its line terminator), end exclusive. */
  start: number;
  end: number;
  image: ImageRef;
  /** The image text as written in the file (quotes excluded): what `@<digest>` is appended to. */
  raw: string;
  /** `from`: a FROM image; `copy-from`: a COPY --from image; `arg`: the default of the ARG a `FROM ${VAR}` uses. */
  kind: 'from' | 'copy-from' | 'arg';
  /** The lines of the instructions that pull this image (the FROMs for an `arg` target). */
  usedAt: number[];
}

export interface PinSkip {
  line: number;
  /** The image text as written. */
  text: string;
  reason: string;
}

export interface PinPlan {
  targets: PinTarget[];
  skipped: PinSkip[];
}

export interface Pin {
  target: Pick<PinTarget, 'line' | 'start' | 'end' | 'raw'>;
  digest: string;
}

const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const WHOLE_VAR_RE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** End of the raw (quotes and escapes kept) word starting at `from` in `text`. */
function rawWordEnd(text: string, from: number, escape: string): number {
  const esc = escape.charCodeAt(0);
  let quote = 0;
  let i = from;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === esc && quote === 34) i++;
      continue;
    }
    if (isSpace(c)) break;
    if (c === 34 || c === 39) quote = c;
    else if (c === esc) i++;
  }
  return Math.min(i, text.length);
}

/** The span of `value` inside the raw text `[start, end)` of `args`: the whole of it, or inside one pair of quotes. */
function valueSpan(args: string, start: number, end: number, value: string): { start: number; end: number } | undefined {
  const raw = args.slice(start, end);
  if (raw === value) return { start, end };
  const q = raw[0];
  if (raw.length >= 2 && (q === '"' || q === "'") && raw[raw.length - 1] === q && raw.slice(1, -1) === value) return { start: start + 1, end: end - 1 };
  return undefined;
}

type Located = { line: number; start: number; end: number } | { reason: string };

/** Source line and line offsets of `[start, end)` in `instr.args`, checked against the file's text. */
function locate(model: DockerfileModel, instr: Instruction, start: number, end: number): Located {
  const text = instr.args.slice(start, end);
  const pos = positionInArgs(instr, start);
  const col = pos.column - 1;
  if ((model.lines[pos.line - 1] ?? '').slice(col, col + text.length) !== text)
    return { reason: 'the image text is split across lines or could not be located; pin it by hand' };
  return { line: pos.line, start: col, end: col + text.length };
}

/** `--name=value` flags of an instruction with the offsets of their values in `args` (as the model's parseFlags reads them). */
function flagSpans(instr: Instruction): { name: string; start: number; end: number }[] {
  const args = instr.args;
  const out: { name: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < instr.restOffset) {
    while (i < args.length && (args[i] === ' ' || args[i] === '\t')) i++;
    if (!args.startsWith('--', i)) break;
    let j = i;
    let quote = '';
    while (j < args.length) {
      const c = args[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === ' ' || c === '\t') break;
      j++;
    }
    const eq = args.indexOf('=', i);
    if (eq >= 0 && eq < j) out.push({ name: args.slice(i + 2, eq).toLowerCase(), start: eq + 1, end: j });
    if (j === i) break;
    i = j;
  }
  return out;
}

/** Every pinnable image reference of a file and every one that is not (with why). */
export function pinPlan(model: DockerfileModel): PinPlan {
  const targets = new Map<string, PinTarget>();
  const skipped: PinSkip[] = [];
  const add = (t: Omit<PinTarget, 'usedAt'>, usedAt: number) => {
    const key = `${t.line}:${t.start}`;
    const have = targets.get(key);
    if (have) {
      if (!have.usedAt.includes(usedAt)) have.usedAt.push(usedAt);
    } else targets.set(key, { ...t, usedAt: [usedAt] });
  };

  for (const stage of model.stages) {
    const from = stage.from;
    const instr = stage.instruction;
    if (from.stageRef !== undefined || from.scratch || !from.text) continue;
    const skip = (reason: string) => skipped.push({ line: instr.line, text: from.text, reason });
    if (isTemplated(from.text)) {
      skip('a template placeholder, not an image');
      continue;
    }
    if (from.unresolved.length > 0) {
      skip(`cannot resolve ${[...new Set(from.unresolved)].join(', ')} (no ARG default and no --build-arg)`);
      continue;
    }
    const image = from.image;
    if (!image) {
      skip(`"${from.resolved}" is not a valid image reference`);
      continue;
    }
    if (image.digest) continue;
    if (from.text === from.resolved) {
      const word = instr.words[0]!;
      const start = instr.restOffset + word.offset;
      const span = valueSpan(instr.args, start, rawWordEnd(instr.args, start, model.escape), word.value);
      if (!span) {
        skip('written with escapes; pin it by hand');
        continue;
      }
      const at = locate(model, instr, span.start, span.end);
      if ('reason' in at) skip(at.reason);
      else add({ ...at, image, raw: word.value, kind: 'from' }, instr.line);
      continue;
    }
    // The image comes from variables: pin the ARG default when the whole image is one global ARG's literal default.
    const m = WHOLE_VAR_RE.exec(from.text);
    if (!m) {
      skip(`the image is assembled from variables (${variableNames(from.text).join(', ') || from.text}); put the whole reference in one ARG default to pin it`);
      continue;
    }
    const name = (m[1] ?? m[2])!;
    let argInstr: Instruction | undefined;
    let pair: Instruction['pairs'][number] | undefined;
    for (const a of model.globalArgs) for (const p of a.pairs) if (p.key === name) [argInstr, pair] = [a, p];
    if (!argInstr || pair?.value === undefined || pair.rawValue === undefined) {
      skip(`${name} has no ARG default to pin`);
      continue;
    }
    if (pair.value.includes('$')) {
      skip(`the default of ARG ${name} uses variables; pin it by hand`);
      continue;
    }
    if (pair.value !== from.resolved) {
      skip(`${name} is set by a build arg ("${from.resolved}"), not by its ARG default; pin the build arg where it is passed`);
      continue;
    }
    const valueStart = argInstr.args.indexOf('=', pair.offset) + 1;
    const span =
      valueStart > 0 && argInstr.args.startsWith(pair.rawValue, valueStart)
        ? valueSpan(argInstr.args, valueStart, valueStart + pair.rawValue.length, pair.value)
        : undefined;
    if (!span) {
      skip(`the default of ARG ${name} is written with escapes; pin it by hand`);
      continue;
    }
    const at = locate(model, argInstr, span.start, span.end);
    if ('reason' in at) skip(at.reason);
    else add({ ...at, image, raw: pair.value, kind: 'arg' }, instr.line);
  }

  for (const instr of model.instructions) {
    if (instr.keyword !== 'COPY' || instr.stage < 0) continue;
    for (const f of flagSpans(instr)) {
      if (f.name !== 'from') continue;
      const rawValue = instr.args.slice(f.start, f.end);
      const value = rawValue.replace(/^(["'])(.*)\1$/, '$2');
      if (!value) continue;
      const skip = (reason: string) => skipped.push({ line: instr.lineAt(f.start), text: value, reason });
      if (value.includes('$')) {
        skip('COPY --from is not expanded by BuildKit');
        continue;
      }
      if (isTemplated(value)) {
        skip('a template placeholder, not an image');
        continue;
      }
      const target = classifyFrom(model, value);
      if (target.kind !== 'image') continue;
      if (!target.looksLikeImage) {
        skip('a bare word naming no stage (a mistyped stage?); write it as an image with a tag to pin it');
        continue;
      }
      if (!target.ref) {
        skip(`"${value}" is neither a stage of this file nor a valid image reference`);
        continue;
      }
      if (target.ref.digest) continue;
      const span = valueSpan(instr.args, f.start, f.end, value)!;
      const at = locate(model, instr, span.start, span.end);
      if ('reason' in at) skip(at.reason);
      else add({ ...at, image: target.ref, raw: value, kind: 'copy-from' }, instr.line);
    }
  }

  const sorted = [...targets.values()].sort((a, b) => a.line - b.line || a.start - b.start);
  skipped.sort((a, b) => a.line - b.line);
  return { targets: sorted, skipped };
}

/** The pinnable image references of a file, in file order. */
export function pinTargets(model: DockerfileModel): PinTarget[] {
  return pinPlan(model).targets;
}

/** The key a target is resolved by: one registry lookup per distinct reference. */
export function pinKey(target: Pick<PinTarget, 'image'>): string {
  return normalizeImage(target.image);
}

/** Start offset of each line of `text` in the numbering of `splitLines` (a leading BOM is not part of line 1). */
function lineStarts(text: string): number[] {
  const starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * Appends `@<digest>` to each target's image text. Throws when a target does not match the text (the file
 * changed since it was parsed), a digest is malformed, or two pins overlap.
 */
export function applyPins(text: string, pins: readonly Pin[]): string {
  const starts = lineStarts(text);
  const edits = new Map<number, { start: number; end: number; insert: string }>();
  for (const { target, digest } of pins) {
    if (!DIGEST_RE.test(digest)) throw new Error(`line ${target.line}: "${digest}" is not a digest`);
    const lineStart = starts[target.line - 1];
    const start = lineStart === undefined ? -1 : lineStart + target.start;
    const end = start + (target.end - target.start);
    if (start < 0 || target.end < target.start || text.slice(start, end) !== target.raw || text.slice(start, end).includes('\n'))
      throw new Error(`line ${target.line}: "${target.raw}" is not at ${target.start + 1}-${target.end} (the file changed?)`);
    const insert = `@${digest}`;
    const have = edits.get(start);
    if (have) {
      if (have.end !== end || have.insert !== insert) throw new Error(`line ${target.line}: two different pins for "${target.raw}"`);
      continue;
    }
    edits.set(start, { start, end, insert });
  }
  const ordered = [...edits.values()].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of ordered) {
    if (e.start < at) throw new Error('overlapping pins');
    out += text.slice(at, e.end) + e.insert;
    at = e.end;
  }
  return out + text.slice(at);
}
