/**
 * A purpose-built Dockerfile tokenizer. It follows BuildKit's frontend rules:
 * parser directives only at the top, the escape directive, line continuations
 * (comment and blank lines inside a continuation are dropped), heredocs for
 * RUN/COPY/ADD, CRLF and a BOM. `__tests__/tokenizer-equivalence.test.ts` checks
 * it finds the same instructions, lines and arguments as dockerfile-ast on every
 * corpus file; it exists because parsing dominated the lint profile.
 */

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
  /** Body text without the terminator line; each line ends with '\n'. */
  body: string;
  /** Line of the first body line. */
  line: number;
  /** Line of the terminator (or the last line of the file when unterminated). */
  endLine: number;
  stripTabs: boolean;
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
  /** Text after the keyword with continuations joined; comment lines inside dropped. */
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

const DIRECTIVE_RE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9_-]*)[ \t]*=[ \t]*(.*?)[ \t]*$/;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);
const HEREDOC_KEYWORDS = new Set(['RUN', 'COPY', 'ADD']);
const HEREDOC_RE = /(^|[^<])<<(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_.-]*)\3/g;

export function splitLines(text: string): string[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function isBlankOrComment(line: string): 0 | 1 | 2 {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    return c === 35 /* # */ ? 2 : 0;
  }
  return 1;
}

function trimEndWs(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 32 && c !== 9) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
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
    const m = DIRECTIVE_RE.exec(lines[i]);
    if (!m || !KNOWN_DIRECTIVES.has(m[1].toLowerCase())) break;
    const name = m[1].toLowerCase();
    if (directives.some((d) => d.name === name)) break;
    directives.push({ name, value: m[2], line: i + 1 });
    if (name === 'escape') {
      if (m[2] === '\\' || m[2] === '`') escape = m[2];
      else problems.push({ line: i + 1, message: `invalid escape directive "${m[2]}": use \\ or \`` });
    }
    i++;
  }

  while (i < n) {
    const line = lines[i];
    const kind = isBlankOrComment(line);
    if (kind === 1) {
      i++;
      continue;
    }
    if (kind === 2) {
      comments.push({ line: i + 1, text: line.trim().slice(1).trim() });
      i++;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const trimmed = line.slice(indent);
    let kwEnd = 0;
    while (kwEnd < trimmed.length && trimmed[kwEnd] !== ' ' && trimmed[kwEnd] !== '\t') kwEnd++;
    const keyword = trimmed.slice(0, kwEnd).toUpperCase();
    const startLine = i + 1;
    let cur = trimmed.slice(kwEnd);
    let args = '';
    const pieces: number[] = [];
    // A keyword alone on a line followed by a continuation: drop the leading escape.
    for (;;) {
      const stripped = trimEndWs(cur);
      const continued = stripped.length > 0 && stripped[stripped.length - 1] === escape;
      pieces.push(args.length, i + 1);
      if (!continued) {
        args += cur;
        break;
      }
      args += stripped.slice(0, -1);
      i++;
      while (i < n && isBlankOrComment(lines[i]) !== 0) {
        if (isBlankOrComment(lines[i]) === 2) comments.push({ line: i + 1, text: lines[i].trim().slice(1).trim() });
        i++;
      }
      if (i >= n) {
        i--;
        break;
      }
      cur = lines[i];
    }
    let endLine = i + 1;
    i++;
    const heredocs: Heredoc[] = [];
    if (HEREDOC_KEYWORDS.has(keyword) && args.includes('<<')) {
      HEREDOC_RE.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = HEREDOC_RE.exec(args)) !== null) {
        const stripTabs = m[2] === '-';
        const name = m[4];
        const bodyStart = i;
        let body = '';
        let terminated = false;
        while (i < n) {
          const l = stripTabs ? lines[i].replace(/^\t+/, '') : lines[i];
          if (l === name) {
            terminated = true;
            break;
          }
          body += l + '\n';
          i++;
        }
        if (!terminated) {
          problems.push({ line: startLine, message: `unterminated heredoc <<${name}: no line "${name}" before the end of the file` });
        }
        heredocs.push({ name, body, line: bodyStart + 1, endLine: Math.min(i + 1, n), stripTabs, quoted: m[3] !== '', terminated });
        endLine = Math.min(i + 1, n);
        if (terminated) i++;
      }
    }
    instructions.push({ keyword, line: startLine, column: indent + 1, endLine, args, pieces, heredocs });
  }
  return { directives, escape, instructions, comments, problems, lines };
}

/** Source line of an offset in a RawInstruction's `args`. */
export function lineOfOffset(instr: RawInstruction, offset: number): number {
  const p = instr.pieces;
  let line = p[1];
  for (let k = 0; k < p.length; k += 2) {
    if (p[k] > offset) break;
    line = p[k + 1];
  }
  return line;
}
