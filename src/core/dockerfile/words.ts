/** Word splitting and variable substitution with Dockerfile (not shell) semantics. */

export interface Word {
  value: string;
  /** Offset of the word's first character in the input. */
  offset: number;
}

/** Splits on unquoted whitespace; removes quotes; `escape` protects the next character. */
export function splitWords(text: string, escape = '\\'): Word[] {
  const words: Word[] = [];
  let cur = '';
  let start = -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === escape && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (start >= 0) words.push({ value: cur, offset: start });
      cur = '';
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (c === '"' || c === "'") quote = c;
    else if (c === escape && i + 1 < text.length) cur += text[++i];
    else cur += c;
  }
  if (start >= 0) words.push({ value: cur, offset: start });
  return words;
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

/** Like splitWords but keeps quotes and escapes in the text. */
function splitRaw(text: string, escape: string): RawWord[] {
  const words: RawWord[] = [];
  let start = -1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === escape) i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (start >= 0) words.push({ raw: text.slice(start, i), offset: start });
      start = -1;
      continue;
    }
    if (start < 0) start = i;
    if (c === '"' || c === "'") quote = c;
    else if (c === escape) i++;
  }
  if (start >= 0) words.push({ raw: text.slice(start), offset: start });
  return words;
}

export function unquote(raw: string, escape = '\\'): string {
  const w = splitWords(raw, escape);
  return w.map((x) => x.value).join(' ');
}

export interface Substitution {
  value: string;
  /** Names that had no value; the result is not trustworthy when non-empty. */
  unresolved: string[];
}

const VAR_RE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Replaces `$X`, `${X}`, `${X:-d}`, `${X-d}`, `${X:+a}`, `${X+a}` using `lookup`. */
export function substitute(text: string, lookup: (name: string) => string | undefined, escape = '\\'): Substitution {
  if (!text.includes('$')) return { value: text, unresolved: [] };
  const unresolved: string[] = [];
  const value = text.replace(VAR_RE, (match, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined, offset: number) => {
    if (offset > 0 && text[offset - 1] === escape) return match;
    const name = (braced ?? bare) as string;
    const v = lookup(name);
    if (op) {
      const set = op.startsWith(':') ? v !== undefined && v !== '' : v !== undefined;
      if (op.endsWith('-')) return set ? (v as string) : substitute(word ?? '', lookup, escape).value;
      return set ? substitute(word ?? '', lookup, escape).value : '';
    }
    if (v === undefined) {
      unresolved.push(name);
      return match;
    }
    return v;
  });
  return { value, unresolved };
}
