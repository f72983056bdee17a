/**
 * A purpose-built Dockerfile tokenizer. It follows BuildKit's frontend rules
 * (moby/buildkit frontend/dockerfile/parser): parser directives only at the top,
 * the escape directive, line continuations (comment and blank lines inside a
 * continuation are dropped; an escaped escape does not continue), heredocs for
 * RUN/COPY/ADD (also under ONBUILD), CRLF and a BOM.
 * `__tests__/tokenizer-equivalence.test.ts` checks it finds the same instructions,
 * lines and arguments as dockerfile-ast on every corpus file; it exists because
 * parsing dominated the lint profile.
 */
import { isSpace } from './words.js';

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface Comment {
  line: number;
  /** Text after '#', trimmed. */
  text: string;
}

export interface Heredoc {
  name: string;
  /** Body text without the terminator line; each line ends with '\n'. Leading tabs removed for `<<-`. */
  body: string;
  /** Line of the first body line. */
  line: number;
  /** Line of the terminator (or the last line of the file when unterminated). */
  endLine: number;
  stripTabs: boolean;
  /** Any part of the name was quoted (`<<'EOF'`, `<<"EOF"`): the body is not expanded. */
  quoted: boolean;
  terminated: boolean;
}

export interface RawInstruction {
  /** Upper-cased keyword. */
  keyword: string;
  line: number;
  column: number;
  /** Last line of the instruction, heredoc bodies included. */
  endLine: number;
  /**
   * Text after the keyword with continuations joined (escape and trailing blanks
   * removed, continuation lines appended whole); comment and blank lines inside dropped.
   */
  args: string;
  /** [argsOffset, sourceLine] pairs, ascending: where each joined piece came from. */
  pieces: number[];
  heredocs: Heredoc[];
}

export interface TokenProblem {
  line: number;
  message: string;
}

export interface TokenizedDockerfile {
  directives: Directive[];
  escape: string;
  instructions: RawInstruction[];
  comments: Comment[];
  problems: TokenProblem[];
  lines: string[];
}

/** BuildKit: `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` on the left-trimmed line. */
const DIRECTIVE_HEAD_RE = /^#[ \t\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\f\r]*=/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
/** BuildKit's heredoc word: optional fd, `<<`, optional `-`, a name with no `<`. Applied to one word. */
const HEREDOC_WORD_RE = /^\d*<<(-?)([^<]+)$/;

/** BuildKit splits the keyword from its arguments on `[\t\v\f\r ]`. */
function isKeywordSeparator(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

/** Lines without terminators: a leading BOM dropped, `\n` splits, trailing `\r`s removed. */
export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let end = l.length;
    while (end > 0 && l.charCodeAt(end - 1) === 13) end--;
    if (end !== l.length) lines[i] = l.slice(0, end);
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function leadingSpace(line: string): number {
  let i = 0;
  while (i < line.length && isSpace(line.charCodeAt(i))) i++;
  return i;
}

/** 0: content, 1: blank, 2: comment (first non-space character is '#'). */
function lineKind(line: string): 0 | 1 | 2 {
  const i = leadingSpace(line);
  if (i === line.length) return 1;
  return line.charCodeAt(i) === 35 ? 2 : 0;
}

function commentText(line: string): string {
  return line.trim().slice(1).trim();
}

function trimBlanks(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s.charCodeAt(start) === 32 || s.charCodeAt(start) === 9 || s.charCodeAt(start) === 12 || s.charCodeAt(start) === 13)) start++;
  while (end > start && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9 || s.charCodeAt(end - 1) === 12 || s.charCodeAt(end - 1) === 13)) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * BuildKit's continuation test, `([^E])E[ \t]*$|^E[ \t]*$`: the escape followed only
 * by blanks, not itself preceded by an escape. Returns the length of the line without
 * the escape and the blanks after it, or -1 when the line does not continue.
 */
function continuationCut(s: string, esc: number): number {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  if (end === 0 || s.charCodeAt(end - 1) !== esc) return -1;
  if (end >= 2 && s.charCodeAt(end - 2) === esc) return -1;
  return end - 1;
}

interface HeredocName {
  name: string;
  stripTabs: boolean;
  quoted: boolean;
}

/**
 * Heredoc names in a joined instruction line, as BuildKit finds them: split the
 * line into shell words (quotes and `\` escapes kept; BuildKit always uses `\` here,
 * whatever the escape directive), and take each word that is `[fd]<<[-]name`.
 */
export function findHeredocs(line: string): HeredocName[] {
  const out: HeredocName[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    let unterminated = false;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (isSpace(c)) break;
      if (c === 92 /* \ */) {
        i += 2;
        continue;
      }
      if (c === 39 /* ' */ || c === 34 /* " */) {
        i++;
        while (i < n && line.charCodeAt(i) !== c) i += c === 34 && line.charCodeAt(i) === 92 ? 2 : 1;
        if (i >= n) unterminated = true;
      }
      i++;
    }
    if (unterminated) continue;
    const word = line.slice(start, Math.min(i, n));
    if (!word.includes('<<')) continue;
    const m = HEREDOC_WORD_RE.exec(word);
    if (!m) continue;
    const { value, quoted } = unquoteHeredocName(m[2]);
    if (value !== '') out.push({ name: value, stripTabs: m[1] === '-', quoted });
  }
  return out;
}

/** Quote removal for a heredoc name (shell rules, `\` escapes); `quoted` when quotes were removed. */
function unquoteHeredocName(raw: string): { value: string; quoted: boolean } {
  if (!raw.includes('"') && !raw.includes("'") && !raw.includes('\\')) return { value: raw, quoted: false };
  let value = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      if (i + 1 < raw.length) value += raw[++i];
    } else if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      value += raw.slice(i + 1, end);
      quoted = true;
      i = end;
    } else if (c === '"') {
      quoted = true;
      for (i++; i < raw.length && raw[i] !== '"'; i++) {
        if (raw[i] === '\\' && i + 1 < raw.length && '"$\\`'.includes(raw[i + 1])) i++;
        value += raw[i];
      }
    } else value += c;
  }
  return { value, quoted };
}

function stripLeadingTabs(s: string): string {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) === 9) i++;
  return i === 0 ? s : s.slice(i);
}

/** The keyword whose heredoc rules apply: the instruction's, or ONBUILD's trigger's. */
function heredocKeyword(keyword: string, args: string): string {
  if (keyword !== 'ONBUILD') return keyword;
  const start = leadingSpace(args);
  let end = start;
  while (end < args.length && !isKeywordSeparator(args.charCodeAt(end))) end++;
  return args.slice(start, end).toUpperCase();
}

// Shared by every instruction without heredocs (never mutated): 200,000 empty arrays were ~6 MB.
const NO_HEREDOCS: Heredoc[] = [];
const KEYWORDS = new Map<string, string>();

/** One string per keyword, not one per instruction. */
function internKeyword(k: string): string {
  const known = KEYWORDS.get(k);
  if (known !== undefined) return known;
  if (KEYWORDS.size < 64) KEYWORDS.set(k, k);
  return k;
}

export function tokenize(text: string): TokenizedDockerfile {
  const lines = splitLines(text);
  const n = lines.length;
  const directives: Directive[] = [];
  const comments: Comment[] = [];
  const instructions: RawInstruction[] = [];
  const problems: TokenProblem[] = [];
  let escape = '\\';
  let i = 0;

  // Parser directives: only before the first comment, blank line or instruction.
  while (i < n) {
    const line = lines[i];
    const lead = leadingSpace(line);
    if (line.charCodeAt(lead) !== 35) break;
    const body = lead === 0 ? line : line.slice(lead);
    const m = DIRECTIVE_HEAD_RE.exec(body);
    if (!m) break;
    const name = m[1].toLowerCase();
    if (!KNOWN_DIRECTIVES.has(name)) break;
    // BuildKit would take a lone blank as the value; an empty value is no directive here.
    const value = trimBlanks(body.slice(m[0].length));
    if (value === '') break;
    if (directives.some((d) => d.name === name)) {
      problems.push({ line: i + 1, message: `only one ${name} parser directive can be used` });
      break;
    }
    directives.push({ name, value, line: i + 1 });
    if (name === 'escape') {
      if (value === '\\' || value === '`') escape = value;
      else problems.push({ line: i + 1, message: `invalid escape directive "${value}": use \\ or \`` });
    }
    i++;
  }
  const esc = escape.charCodeAt(0);

  while (i < n) {
    const line = lines[i];
    const indent = leadingSpace(line);
    if (indent === line.length) {
      i++;
      continue;
    }
    if (line.charCodeAt(indent) === 35) {
      comments.push({ line: i + 1, text: commentText(line) });
      i++;
      continue;
    }
    const startLine = i + 1;
    const first = indent === 0 ? line : line.slice(indent);
    let cut = continuationCut(first, esc);
    let full: string;
    const pieces: number[] = [0, startLine];
    if (cut < 0) {
      full = first;
    } else {
      // Continuation lines are appended whole (not left-trimmed), like BuildKit does.
      const parts = [first.slice(0, cut)];
      let len = cut;
      for (i++; i < n; i++) {
        const l = lines[i];
        const kind = lineKind(l);
        if (kind === 2) {
          comments.push({ line: i + 1, text: commentText(l) });
          continue;
        }
        if (kind === 1) continue;
        pieces.push(len, i + 1);
        cut = continuationCut(l, esc);
        const part = cut < 0 ? l : l.slice(0, cut);
        parts.push(part);
        len += part.length;
        if (cut < 0) break;
      }
      if (i >= n) i = n - 1;
      full = parts.join('');
    }
    let endLine = i + 1;
    i++;

    // Keyword: up to the first blank of the joined line (it may span a continuation).
    let kwStart = 0;
    while (kwStart < full.length && isSpace(full.charCodeAt(kwStart))) kwStart++;
    if (kwStart === full.length) continue; // only escapes and blanks: nothing to run
    let kwEnd = kwStart;
    while (kwEnd < full.length && !isKeywordSeparator(full.charCodeAt(kwEnd))) kwEnd++;
    const keyword = internKeyword(full.slice(kwStart, kwEnd).toUpperCase());
    const args = full.slice(kwEnd);
    if (kwEnd > 0) for (let k = 0; k < pieces.length; k += 2) pieces[k] = Math.max(0, pieces[k] - kwEnd);

    let heredocs: Heredoc[] = NO_HEREDOCS;
    if (args.includes('<<') && HEREDOC_KEYWORDS.has(heredocKeyword(keyword, args))) {
      heredocs = [];
      for (const h of findHeredocs(args)) {
        const bodyStart = i;
        const body: string[] = [];
        let terminated = false;
        for (; i < n; i++) {
          const l = h.stripTabs ? stripLeadingTabs(lines[i]) : lines[i];
          if (l === h.name) {
            terminated = true;
            break;
          }
          body.push(l);
        }
        if (!terminated) {
          problems.push({ line: startLine, message: `unterminated heredoc <<${h.name}: no line "${h.name}" before the end of the file` });
        }
        endLine = Math.min(i + 1, n);
        heredocs.push({
          name: h.name,
          body: body.length > 0 ? body.join('\n') + '\n' : '',
          line: bodyStart + 1,
          endLine,
          stripTabs: h.stripTabs,
          quoted: h.quoted,
          terminated
        });
        if (terminated) i++;
      }
    }
    instructions.push({ keyword, line: startLine, column: indent + 1, endLine, args, pieces, heredocs });
  }
  return { directives, escape, instructions, comments, problems, lines };
}

/** Source line of an offset in a RawInstruction's `args` (binary search over `pieces`). */
export function lineOfOffset(instr: RawInstruction, offset: number): number {
  const p = instr.pieces;
  // Last piece starting at or before `offset`; with equal starts the later piece wins.
  let lo = 0;
  let hi = p.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (p[mid * 2] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return p[lo * 2 + 1];
}
