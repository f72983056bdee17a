/**
 * Our tokenizer (src/core/dockerfile/tokenizer.ts) replaced dockerfile-ast on the
 * hot path. This test proves, on every real Dockerfile of the shared corpus, that
 * it finds the same thing dockerfile-ast does:
 *
 * - instructions: count, upper-case keyword, start line, start column, end line;
 * - arguments: each argument's value AND the source line it starts on;
 * - comments (line and text), parser directives and the escape character.
 *
 * How arguments are compared. dockerfile-ast's `Instruction.getRawArguments()`
 * (flags included) splits the instruction's source range on whitespace, ignoring
 * quotes: `escape X` becomes `X` (except `escape $`, kept as written for its own
 * variable handling), `escape` + blanks + newline joins lines, `escape` + blanks
 * before more text is a separator, and comment lines inside a continuation are
 * dropped. Its range also covers heredoc bodies and their terminator lines.
 * Our tokenizer instead gives the continuation-joined text after the keyword
 * (`args`, escapes kept) plus the heredoc bodies. `astStyleWords` below applies
 * exactly that whitespace/escape splitting to our `args` and to each heredoc body
 * (+ its terminator), so the comparison is exact: any difference in line joining,
 * comment/blank dropping inside continuations, keyword/argument boundary,
 * heredoc detection or heredoc extent changes the word list or a word's line.
 * The splitting itself is trivial and quote-blind on purpose: it is dockerfile-ast's
 * rule, not ours (ours is quote-aware: `splitWords`), so for every instruction
 * without quotes or escape characters we additionally require our `splitWords`
 * (what model.ts uses) to produce dockerfile-ast's argument values verbatim.
 * Argument lines go through our `lineOfOffset`, so the `pieces` map is checked too.
 *
 * Narrow, documented exclusions where dockerfile-ast is wrong versus BuildKit
 * (moby/buildkit frontend/dockerfile/parser/parser.go):
 * - Directives: dockerfile-ast accepts any `# name=value` at the top and keeps
 *   scanning; BuildKit only knows syntax/escape/check (name `[a-zA-Z][a-zA-Z0-9]*`),
 *   stops at the first other line (which is then a plain comment) and rejects a
 *   repeated directive. So dockerfile-ast's list is cut at the first unknown or
 *   repeated name, and the lines cut off are expected among our comments.
 *   dockerfile-ast also ends a directive's value at the first blank while
 *   BuildKit takes the rest of the line (trimmed): only the first word of our
 *   value is compared.
 * - A line holding only the escape character (after blanks) where an instruction
 *   could start: BuildKit's continuation regex `^\\[ \t]*$` makes it continue into
 *   the next content line, which is then the keyword (one instruction starting at
 *   the escape's line); dockerfile-ast makes it an instruction whose keyword is the
 *   escape character. Such argument-less escape-keyword instructions are merged into
 *   the next one (which takes their start line and column). Seen in the corpus's
 *   docker-library `*.template` files.
 * - Comment text: dockerfile-ast trims only ASCII blanks around it, BuildKit
 *   (strings.TrimSpace) Unicode white space, e.g. the U+00A0 after `#` in
 *   jessfraz/unifi; dockerfile-ast's text is trimmed once more with String.trim().
 * - BOM: dockerfile-ast counts the U+FEFF as a character of line 1, BuildKit strips
 *   it first; the start column of an instruction on line 1 is corrected by one.
 * - End line: an instruction whose continuation runs to the end of a file that
 *   ends with a newline "ends" in dockerfile-ast at the position after the final
 *   newline, i.e. on a line that does not exist; it is clamped to the last line.
 * The synthetic cases at the bottom avoid the remaining known dockerfile-ast
 * deviations (none of which occur in the corpus): `<<-` on one heredoc applying to
 * all later heredocs of the instruction, quote-blind heredoc detection
 * (`echo "<<EOF"`), no `2<<EOF` (fd prefix), a lone CR counted as a line break,
 * and `foo\\` (escaped escape) at the end of a line taken as a continuation.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, Instruction, type Argument } from 'dockerfile-ast';
import { lineOfOffset, tokenize, type RawInstruction } from '../src/core/dockerfile/tokenizer.js';
import { splitWords } from '../src/core/dockerfile/words.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = path.resolve(repoRoot, '..', 'shared', 'corpus', 'dockerfiles');
const EXPECTED_FILES = 684;
const KNOWN_DIRECTIVES = new Set(['syntax', 'escape', 'check']);

/**
 * All arguments, flags included: the base `Instruction.getArguments()` returns
 * `getRawArguments()` (private in the typings); ModifiableInstruction's override drops flags.
 */
const rawArguments = (i: Instruction): Argument[] => Instruction.prototype.getArguments.call(i);

interface Word {
  value: string;
  offset: number;
}

/** dockerfile-ast's argument splitting (see the header), applied to our text. */
function astStyleWords(text: string, escape: string): Word[] {
  const out: Word[] = [];
  let cur = '';
  let start = -1;
  const flush = () => {
    if (start >= 0) out.push({ value: cur, offset: start });
    cur = '';
    start = -1;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      flush();
      continue;
    }
    if (c === escape) {
      if (i + 1 >= text.length) break;
      const next = text[i + 1];
      if (next === '\n') {
        i++;
        continue;
      }
      if (next === ' ' || next === '\t') {
        let j = i + 1;
        while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
        if (text[j] === '\n') {
          i = j;
          continue;
        }
        flush();
        i = j - 1;
        continue;
      }
      if (start < 0) start = i;
      cur += next === '$' ? c + next : next;
      i++;
      continue;
    }
    if (start < 0) start = i;
    cur += c;
  }
  flush();
  return out;
}

interface InstrSummary {
  keyword: string;
  line: number;
  column: number;
  endLine: number;
  /** `line:value` per argument. */
  args: string[];
}

interface FileSummary {
  escape: string;
  directives: string[];
  comments: string[];
  instructions: InstrSummary[];
  /** dockerfile-ast's argument values per instruction (not compared as such; see the splitWords check). */
  values: string[][];
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function ourArgs(instr: RawInstruction, escape: string): string[] {
  const args = astStyleWords(instr.args, escape).map((w) => `${lineOfOffset(instr, w.offset)}:${w.value}`);
  for (const h of instr.heredocs) {
    for (const w of astStyleWords(h.body, escape)) args.push(`${h.line + countNewlines(h.body, w.offset)}:${w.value}`);
    if (h.terminated) args.push(`${h.endLine}:${h.name}`);
  }
  return args;
}

function ours(text: string): FileSummary {
  const tok = tokenize(text);
  return {
    escape: tok.escape,
    directives: tok.directives.map((d) => `${d.line}:${d.name}=${d.value.split(/[ \t]/)[0]}`),
    comments: tok.comments.map((c) => `${c.line}:${c.text}`),
    instructions: tok.instructions.map((i) => ({
      keyword: i.keyword,
      line: i.line,
      column: i.column,
      endLine: i.endLine,
      args: ourArgs(i, tok.escape)
    })),
    values: []
  };
}

function theirs(text: string): FileSummary {
  const df = DockerfileParser.parse(text);
  const lineCount = tokenize(text).lines.length;
  const bom = text.charCodeAt(0) === 0xfeff;
  const directives: string[] = [];
  const cutOff: string[] = [];
  const seen = new Set<string>();
  for (const d of df.getDirectives()) {
    const name = d.getName().toLowerCase();
    const line = d.getRange().start.line + 1;
    if (cutOff.length > 0 || !KNOWN_DIRECTIVES.has(name) || !/^[a-z][a-z0-9]*$/.test(name) || seen.has(name)) {
      // BuildKit: not a directive; the line is a plain comment (see header).
      cutOff.push(`${line}:${d.getTextContent().trim().slice(1).trim()}`);
      continue;
    }
    seen.add(name);
    directives.push(`${line}:${name}=${d.getValue()}`);
  }
  const escape = df.getEscapeCharacter();
  const instructions: InstrSummary[] = [];
  const values: string[][] = [];
  let lone: InstrSummary | undefined;
  for (const i of df.getInstructions()) {
    const r = i.getRange();
    const s: InstrSummary = {
      keyword: i.getKeyword(),
      line: r.start.line + 1,
      column: r.start.character + 1 - (bom && r.start.line === 0 ? 1 : 0),
      endLine: Math.min(r.end.line + 1, Math.max(lineCount, 1)),
      args: rawArguments(i).map((a) => `${a.getRange().start.line + 1}:${a.getValue()}`)
    };
    if (s.keyword === escape && s.args.length === 0) {
      // A line holding only the escape character (see header): BuildKit continues it.
      lone ??= s;
      continue;
    }
    if (lone) {
      s.line = lone.line;
      s.column = lone.column;
      lone = undefined;
    }
    instructions.push(s);
    values.push(rawArguments(i).map((a) => a.getValue()));
  }
  return {
    escape,
    directives,
    // .trim(): see header (Unicode blanks around a comment's text).
    comments: [...cutOff, ...df.getComments().map((c) => `${c.getRange().start.line + 1}:${c.getContent().trim()}`)],
    instructions,
    values
  };
}

/** First index where two lists differ (length included), or -1. */
function firstDiff(a: unknown[], b: unknown[]): number {
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return k;
  return -1;
}

function expectEquivalent(file: string, text: string): void {
  const a = ours(text);
  const b = theirs(text);
  expect({ file, escape: a.escape }).toEqual({ file, escape: b.escape });
  expect({ file, directives: a.directives }).toEqual({ file, directives: b.directives });
  const c = firstDiff(a.comments, b.comments);
  if (c >= 0) expect({ file, comment: c, value: a.comments[c] }).toEqual({ file, comment: c, value: b.comments[c] });
  const k = firstDiff(a.instructions, b.instructions);
  // On failure this shows the file, the index of the first differing instruction and both versions of it.
  if (k >= 0) expect({ file, instruction: k, value: a.instructions[k] }).toEqual({ file, instruction: k, value: b.instructions[k] });
  expect(a.instructions.length).toBe(b.instructions.length);

  // Quote- and escape-free instructions: our quote-aware splitWords must give dockerfile-ast's values verbatim.
  const tok = tokenize(text);
  tok.instructions.forEach((instr, n) => {
    if (instr.heredocs.length > 0 || /["'\\`]/.test(instr.args)) return;
    const mine = splitWords(instr.args, tok.escape).map((w) => w.value);
    const want = b.values[n];
    if (JSON.stringify(mine) !== JSON.stringify(want)) expect({ file, instruction: n, splitWords: mine }).toEqual({ file, instruction: n, splitWords: want });
  });
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name !== 'SOURCES.md') out.push(p);
  }
  return out.sort();
}

const files = walk(corpusDir);

describe('tokenizer vs dockerfile-ast on the corpus', () => {
  it(`compares all ${EXPECTED_FILES} corpus files`, () => {
    expect(files).toHaveLength(EXPECTED_FILES);
  });

  it.each(files.map((f) => [path.relative(corpusDir, f), f] as const))('%s', (rel, f) => {
    expectEquivalent(rel, readFileSync(f, 'utf8'));
  });
});

describe('tokenizer vs dockerfile-ast on constructs the corpus lacks', () => {
  const cases: [string, string][] = [
    ['CRLF line endings', 'FROM alpine\r\nRUN echo a \\\r\n  && echo b\r\n# c\r\nCMD ["sh"]\r\n'],
    ['BOM before an instruction', '\ufeffFROM alpine\nRUN true\n'],
    ['BOM before a directive', '\ufeff# syntax=docker/dockerfile:1\nFROM alpine\n'],
    ['escape directive (backtick)', '# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir c:\\ `\n  && echo done\nCOPY a.txt c:\\a\\\n'],
    ['syntax and check directives', '# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended\n# escape=\\\nFROM alpine\n'],
    ['a directive after a comment is a comment', '# hello\n# escape=`\nFROM alpine\nRUN a \\\n  b\n'],
    ['a directive after a blank line is a comment', '\n# escape=`\nFROM alpine\n'],
    ['unknown directive name ends the directives', '# foo=bar\n# escape=\\\nFROM alpine\n'],
    ['continuation with trailing whitespace', 'FROM alpine\nRUN a \\  \n  b \\\t\n  c\n'],
    ['comment and blank lines inside a continuation', 'FROM alpine\nRUN a \\\n# one\n\n   # two\n  b \\\n\n  c\nUSER x\n'],
    ['word joined across lines', 'FROM alpine\nRUN ab\\\ncd \\\n  ef\n'],
    ['keyword alone before a continuation', 'FROM alpine\nRUN \\\n  echo hi\nRUN\\\n  echo hi\n'],
    ['a line holding only the escape character', 'FROM alpine\n\t\\\n\n  RUN true\n\\\nUSER x\n'],
    ['continuation to the end of the file', 'FROM alpine\nRUN a \\\n'],
    ['continuation into trailing comments', 'FROM alpine\nRUN a \\\n# x\n\n'],
    ['no final newline', 'FROM alpine\nRUN a'],
    ['indented and lower-case', '  from alpine\n\tRun  echo  hi \n'],
    ['escaped characters and dollars', 'FROM alpine\nENV A=\\"x\\" B=\\$HOME C=a\\ b\n'],
    ['heredoc', 'FROM alpine\nRUN <<EOF\necho hi\n  echo there\nEOF\nUSER x\n'],
    ['heredoc with tabs stripped', 'FROM alpine\nRUN <<-EOF\n\techo hi\n\tEOF\nUSER x\n'],
    ['quoted heredoc', 'FROM alpine\nRUN <<\'EOF\' bash\necho $HOME\nEOF\nCOPY <<"X" /a\nbody\nX\n'],
    ['two heredocs on one RUN', 'FROM alpine\nRUN <<A cat - && cat <<B\nfirst\nA\nsecond\nB\nUSER x\n'],
    ['heredoc after a continuation', 'FROM alpine\nRUN cat \\\n  <<EOF\nx\nEOF\n'],
    ['heredoc in ONBUILD', 'FROM alpine\nONBUILD RUN <<EOF\nx\nEOF\n'],
    ['unterminated heredoc', 'FROM alpine\nRUN <<EOF\necho\n'],
    ['here-string is not a heredoc', 'FROM alpine\nRUN cat <<< hi\nUSER x\n'],
    ['heredoc on a non-heredoc instruction', 'FROM alpine\nENV A=<<EOF\nUSER x\n']
  ];
  it.each(cases)('%s', (name, text) => {
    expectEquivalent(name, text);
  });
});
