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
  /**
   * Set when a bound was hit (nesting depth or expanded length): the text is returned as written and
   * `unresolved` names the variables it refers to, so no rule trusts a value that was never computed.
   */
  limit?: string;
}

/** Bounds of one substitution: nesting of `${X:-${Y:-…}}` and the length of the result. */
export interface SubstitutionLimits {
  maxDepth: number;
  maxLength: number;
}

/** BuildKit has no bound; real Dockerfiles nest two or three levels and expand to a few hundred bytes. */
export const SUBSTITUTION_LIMITS: SubstitutionLimits = { maxDepth: 32, maxLength: 64 * 1024 };

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

/** The names `$X` / `${X…}` refers to at any depth (no expansion), for a result that hit a bound. */
export function referencedNames(text: string, escape = '\\', max = 16): string[] {
  const out = new Set<string>();
  const esc = escape.charCodeAt(0);
  for (let i = 0; i < text.length && out.size < max; i++) {
    const c = text.charCodeAt(i);
    if (c === esc) {
      i++;
      continue;
    }
    if (c !== DOLLAR) continue;
    let j = i + 1;
    if (text.charCodeAt(j) === 123) j++;
    if (!isNameStart(text.charCodeAt(j))) continue;
    let k = j + 1;
    while (k < text.length && isNameChar(text.charCodeAt(k))) k++;
    out.add(text.slice(j, k));
    i = k - 1;
  }
  return [...out];
}

class SubstitutionLimit extends Error {}

/**
 * Replaces `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}`, `${X:?m}`, `${X?m}`
 * using `lookup` (defaults and alternatives are substituted too, nesting allowed).
 * `escape $` is left as written. Names without a value are reported in `unresolved`
 * and left as written; so are other `${X…}` forms (`#`, `%`, `/`), whose result
 * cannot be computed here. Bounded by `limits` (see `Substitution.limit`).
 */
export function substitute(
  text: string,
  lookup: (name: string) => string | undefined,
  escape = '\\',
  limits: SubstitutionLimits = SUBSTITUTION_LIMITS
): Substitution {
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved = new Set<string>();
  try {
    const value = substituteAt(text, lookup, escape.charCodeAt(0), limits, unresolved, 0);
    return { value, unresolved: [...unresolved] };
  } catch (e) {
    if (!(e instanceof SubstitutionLimit)) throw e;
    const names = referencedNames(text, escape);
    return { value: text, unresolved: names.length > 0 ? names : [...unresolved], limit: e.message };
  }
}

function substituteAt(
  text: string,
  lookup: (name: string) => string | undefined,
  esc: number,
  limits: SubstitutionLimits,
  unresolved: Set<string>,
  depth: number
): string {
  if (depth > limits.maxDepth) throw new SubstitutionLimit(`substitution nested more than ${limits.maxDepth} levels deep`);
  if (!text.includes('$')) return text;
  const n = text.length;
  let out = '';
  let seg = 0;
  // The text as written may be long (a big RUN); what is bounded is what expansion adds to it.
  const budget = n + limits.maxLength;
  const append = (s: string) => {
    if (out.length + s.length > budget) {
      throw new SubstitutionLimit(`substitution adds more than ${limits.maxLength} characters`);
    }
    out += s;
  };
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
      if (v === undefined) unresolved.add(name);
      else {
        append(text.slice(seg, i));
        append(v);
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
      if (v === undefined) unresolved.add(name);
      else replacement = v;
    } else if (op === 45 /* - */ || op === 43 /* + */ || op === 63 /* ? */) {
      const set = opEnd > j ? v !== undefined && v !== '' : v !== undefined;
      const word = text.slice(opEnd + 1, close);
      if (op === 45) {
        if (set) replacement = v;
        else replacement = substituteAt(word, lookup, esc, limits, unresolved, depth + 1);
      } else if (op === 43) {
        if (!set) replacement = '';
        else replacement = substituteAt(word, lookup, esc, limits, unresolved, depth + 1);
      } else if (set) replacement = v;
      else unresolved.add(name);
    } else {
      unresolved.add(name);
    }
    if (replacement !== undefined) {
      append(text.slice(seg, i));
      append(replacement);
      seg = close + 1;
    }
    i = close;
  }
  if (seg === 0) return text;
  append(text.slice(seg));
  return out;
}

export interface SubstitutionError {
  /** BuildKit's message. */
  message: string;
  /** Offset of the `${` in the text. */
  offset: number;
  /** The expression as written, up to its `}` (or the end of the text). */
  expression: string;
}

/**
 * The error BuildKit's shell lexer gives for a `${…}` it cannot expand (`${x:i}`, `${}`, `${x`), or undefined.
 * Linear: one pass, nesting tracked with a counter. Single-quoted text (outside double quotes) is literal.
 */
export function substitutionError(text: string, escape = '\\'): SubstitutionError | undefined {
  if (!text.includes('${')) return undefined;
  const esc = escape.charCodeAt(0);
  const n = text.length;
  const open: number[] = [];
  let dq = false;
  const fail = (message: string, at: number): SubstitutionError => {
    const close = closingBrace(text, at + 2, esc);
    const end = close < 0 ? Math.min(n, at + 80) : Math.min(close + 1, at + 80);
    return { message, offset: at, expression: text.slice(at, end) };
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === esc) {
      i++;
      continue;
    }
    if (c === DQ) dq = !dq;
    else if (c === SQ && !dq && open.length === 0) {
      const end = text.indexOf("'", i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === 125 /* } */ && open.length > 0) open.pop();
    else if (c === DOLLAR && text.charCodeAt(i + 1) === 123) {
      let j = i + 2;
      if (j >= n) return fail("syntax error: missing '}'", i);
      const first = text.charCodeAt(j);
      if (first === 123 || first === 125 || first === 58) return fail('syntax error: bad substitution', i);
      if (first >= 48 && first <= 57) while (j < n && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      else if ('@*#?-$!0'.includes(text[j])) j++;
      else while (j < n && (isNameChar(text.charCodeAt(j)) || text.charCodeAt(j) > 127)) j++;
      if (j >= n) return fail("syntax error: missing '}'", i);
      const op = text[j];
      if (op === '}') {
        i = j;
        continue;
      }
      if (op === ':') {
        if (j + 1 >= n) return fail("syntax error: missing '}'", i);
        if (!'+-?#%'.includes(text[j + 1])) {
          return fail(closingBrace(text, j + 2, esc) < 0 ? "syntax error: missing '}'" : `unsupported modifier (:${text[j + 1]}) in substitution`, i);
        }
        j++;
      } else if (!'+-?#%/'.includes(op)) {
        return fail(closingBrace(text, j + 1, esc) < 0 ? "syntax error: missing '}'" : `unsupported modifier (${op}) in substitution`, i);
      }
      open.push(i);
      i = j;
    }
  }
  return open.length > 0 ? fail("syntax error: missing '}'", open[open.length - 1]) : undefined;
}
