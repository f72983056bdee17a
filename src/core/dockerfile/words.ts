/**
 * Word splitting and variable substitution with Dockerfile (not shell) semantics,
 * after BuildKit's frontend/dockerfile/shell lexer and parser/line_parsers.go.
 */

export interface Word {
  value: string;
  /** Offset of the word's first character in the input. */
  offset: number;
}

/** Go's unicode.IsSpace, which BuildKit uses to split words and trim lines. */
export function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0x85) return false;
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

const SQ = 39; // '
const DQ = 34; // "
const DOLLAR = 36;

/**
 * Quote and escape removal like BuildKit's shell lexer: outside quotes `escape X`
 * is X (a trailing escape is dropped); '…' is literal; in "…" the escape only
 * escapes `"`, `$` and itself. With `split`, unquoted white space separates words;
 * without, the whole text is one word with its white space kept.
 * Builds values from slices, not character by character.
 */
function scanWords(text: string, escape: string, split: boolean): Word[] {
  const words: Word[] = [];
  const esc = escape.charCodeAt(0);
  const n = text.length;
  let i = 0;
  while (i < n) {
    if (split) while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let value = '';
    let seg = i; // start of the pending literal run
    while (i < n) {
      const c = text.charCodeAt(i);
      if (split && isSpace(c)) break;
      if (c === esc) {
        value += text.slice(seg, i);
        seg = i + 1; // keep the escaped character (if any), drop the escape
        i += 2;
        continue;
      }
      if (c === SQ) {
        value += text.slice(seg, i);
        const end = text.indexOf("'", i + 1);
        const close = end < 0 ? n : end;
        value += text.slice(i + 1, close);
        i = close + 1;
        seg = i;
        continue;
      }
      if (c === DQ) {
        value += text.slice(seg, i);
        i++;
        seg = i;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === DQ) break;
          if (d === esc && i + 1 < n) {
            const e = text.charCodeAt(i + 1);
            if (e === DQ || e === DOLLAR || e === esc) {
              value += text.slice(seg, i);
              seg = i + 1;
              i += 2;
              continue;
            }
          }
          i++;
        }
        value += text.slice(seg, Math.min(i, n));
        i++;
        seg = i;
        continue;
      }
      i++;
    }
    const end = Math.min(i, n);
    if (seg < end) value += text.slice(seg, end);
    words.push({ value, offset: start });
  }
  return words;
}

/** Splits on unquoted white space; removes quotes; `escape` protects the next character. */
export function splitWords(text: string, escape = '\\'): Word[] {
  return scanWords(text, escape, true);
}

export interface KeyValue {
  key: string;
  /** Undefined for `ARG NAME` without a default. */
  value?: string;
  /** The value as written (quotes kept), for masking and fixes. */
  rawValue?: string;
  offset: number;
}

/**
 * ENV/LABEL/ARG pairs: `K=V K2="V 2"` and the legacy `ENV K V` (one pair, rest is the value).
 * `legacy` is true when the legacy form was used.
 */
export function parsePairs(text: string, escape = '\\', allowLegacy = true): { pairs: KeyValue[]; legacy: boolean } {
  const words = splitRaw(text, escape);
  if (words.length === 0) return { pairs: [], legacy: false };
  const first = words[0];
  if (allowLegacy && !first.raw.includes('=') && words.length > 1) {
    const rawValue = text.slice(words[1].offset).trim();
    return { pairs: [{ key: first.raw, value: unquote(rawValue, escape), rawValue, offset: first.offset }], legacy: true };
  }
  const pairs: KeyValue[] = [];
  for (const w of words) {
    const eq = w.raw.indexOf('=');
    if (eq < 0) {
      pairs.push({ key: unquote(w.raw, escape), offset: w.offset });
      continue;
    }
    const rawValue = w.raw.slice(eq + 1);
    pairs.push({ key: unquote(w.raw.slice(0, eq), escape), value: unquote(rawValue, escape), rawValue, offset: w.offset });
  }
  return { pairs, legacy: false };
}

interface RawWord {
  raw: string;
  offset: number;
}

/** BuildKit's parseWords: like splitWords but keeps quotes and escapes; no escapes inside '…'. */
function splitRaw(text: string, escape: string): RawWord[] {
  const words: RawWord[] = [];
  const esc = escape.charCodeAt(0);
  let start = -1;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === esc && quote === DQ) i++;
      continue;
    }
    if (isSpace(c)) {
      if (start >= 0) words.push({ raw: text.slice(start, i), offset: start });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (c === SQ || c === DQ) quote = c;
    else if (c === esc) i++;
  }
  if (start >= 0) words.push({ raw: text.slice(start), offset: start });
  return words;
}

/** Quote and escape removal of one word (BuildKit's ProcessWord without expansion); white space is kept. */
export function unquote(raw: string, escape = '\\'): string {
  if (!raw.includes('"') && !raw.includes("'") && !raw.includes(escape)) return raw;
  return scanWords(raw, escape, false)[0]?.value ?? '';
}

export interface Substitution {
  value: string;
  /** Names that had no value; the result is not trustworthy when non-empty. */
  unresolved: string[];
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nesting and escapes; -1 if none. */
function closingBrace(text: string, from: number, esc: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === esc) i++;
    else if (c === DOLLAR && text.charCodeAt(i + 1) === 123) {
      depth++;
      i++;
    } else if (c === 125) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/**
 * Replaces `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`, `${X:?m}`, `${X?m}`
 * using `lookup` (defaults and alternatives are substituted too, nesting allowed).
 * `escape $` is left as written. Names without a value are reported in `unresolved`
 * and left as written; so are other `${X…}` forms (`#`, `%`, `/`), whose result
 * cannot be computed here.
 */
export function substitute(text: string, lookup: (name: string) => string | undefined, escape = '\\'): Substitution {
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved: string[] = [];
  const esc = escape.charCodeAt(0);
  const n = text.length;
  let out = '';
  let seg = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === esc) {
      i++; // the escaped character (a `$` too) stays as written
      continue;
    }
    if (c !== DOLLAR || i + 1 >= n) continue;
    const next = text.charCodeAt(i + 1);
    if (isNameStart(next)) {
      let j = i + 2;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const name = text.slice(i + 1, j);
      const v = lookup(name);
      if (v === undefined) unresolved.push(name);
      else {
        out += text.slice(seg, i) + v;
        seg = j;
      }
      i = j - 1;
      continue;
    }
    if (next !== 123 /* { */ || i + 2 >= n || !isNameStart(text.charCodeAt(i + 2))) continue;
    let j = i + 3;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const name = text.slice(i + 2, j);
    const close = closingBrace(text, j, esc);
    if (close < 0) break; // `${X` never closed: the rest stays as written
    let opEnd = j;
    if (text.charCodeAt(opEnd) === 58 /* : */) opEnd++;
    const op = text.charCodeAt(opEnd);
    const v = lookup(name);
    let replacement: string | undefined;
    if (close === j) {
      if (v === undefined) unresolved.push(name);
      else replacement = v;
    } else if (op === 45 /* - */ || op === 43 /* + */ || op === 63 /* ? */) {
      const set = opEnd > j ? v !== undefined && v !== '' : v !== undefined;
      const word = text.slice(opEnd + 1, close);
      if (op === 45) {
        if (set) replacement = v;
        else {
          const sub = substitute(word, lookup, escape);
          unresolved.push(...sub.unresolved);
          replacement = sub.value;
        }
      } else if (op === 43) {
        if (!set) replacement = '';
        else {
          const sub = substitute(word, lookup, escape);
          unresolved.push(...sub.unresolved);
          replacement = sub.value;
        }
      } else if (set) replacement = v;
      else unresolved.push(name);
    } else {
      unresolved.push(name);
    }
    if (replacement !== undefined) {
      out += text.slice(seg, i) + replacement;
      seg = close + 1;
    }
    i = close;
  }
  return { value: seg === 0 ? text : out + text.slice(seg), unresolved };
}
