/**
 * Hand-written cases for the Dockerfile tokenizer and the word helpers, following
 * BuildKit's parser (frontend/dockerfile/parser) and shell lexer semantics.
 * tokenizer-equivalence.test.ts covers the real-world corpus against dockerfile-ast.
 */
import { describe, expect, it } from '@jest/globals';
import { findHeredocs, lineOfOffset, splitLines, tokenize, type RawInstruction } from '../src/core/dockerfile/tokenizer.js';
import { parsePairs, splitWords, substitute, unquote } from '../src/core/dockerfile/words.js';

/** keyword, line, endLine and args (trimmed) of each instruction. */
function shape(text: string): [string, number, number, string][] {
  return tokenize(text).instructions.map((i) => [i.keyword, i.line, i.endLine, i.args.trim()]);
}

function instr(text: string, k = 0): RawInstruction {
  return tokenize(text).instructions[k];
}

describe('tokenize: instructions and continuations', () => {
  it.each<[string, string, [string, number, number, string][]]>([
    [
      'one line per instruction',
      'FROM alpine\nRUN true\n',
      [
        ['FROM', 1, 1, 'alpine'],
        ['RUN', 2, 2, 'true']
      ]
    ],
    [
      'lower-case keyword, indentation',
      '  from alpine\n\trun  true\n',
      [
        ['FROM', 1, 1, 'alpine'],
        ['RUN', 2, 2, 'true']
      ]
    ],
    [
      'no final newline',
      'FROM alpine\nRUN a',
      [
        ['FROM', 1, 1, 'alpine'],
        ['RUN', 2, 2, 'a']
      ]
    ],
    [
      'continuation',
      'RUN a \\\n  b \\\n  c\nUSER x',
      [
        ['RUN', 1, 3, 'a   b   c'],
        ['USER', 4, 4, 'x']
      ]
    ],
    ['continuation with trailing whitespace', 'RUN a \\ \t \n  b\n', [['RUN', 1, 2, 'a   b']]],
    ['word joined across lines', 'RUN ab\\\ncd\n', [['RUN', 1, 2, 'abcd']]],
    [
      'comment and blank lines inside a continuation',
      'RUN a \\\n# one\n\n   # two\n  b\nUSER x\n',
      [
        ['RUN', 1, 5, 'a   b'],
        ['USER', 6, 6, 'x']
      ]
    ],
    ['continuation into the end of the file', 'RUN a \\\n# c\n\n', [['RUN', 1, 3, 'a']]],
    [
      'keyword alone before a continuation',
      'RUN\\\n  echo hi\nRUN \\\n echo\n',
      [
        ['RUN', 1, 2, 'echo hi'],
        ['RUN', 3, 4, 'echo']
      ]
    ],
    [
      'an escaped escape does not continue',
      'RUN echo a\\\\\nUSER x\n',
      [
        ['RUN', 1, 1, 'echo a\\\\'],
        ['USER', 2, 2, 'x']
      ]
    ],
    [
      'a line holding only the escape continues',
      'FROM a\n\t\\\n  RUN true\n',
      [
        ['FROM', 1, 1, 'a'],
        ['RUN', 2, 3, 'true']
      ]
    ],
    [
      'blank lines and comments between instructions',
      '\n# c\nFROM a\n\n  # d\nUSER b\n',
      [
        ['FROM', 3, 3, 'a'],
        ['USER', 6, 6, 'b']
      ]
    ],
    [
      'backslash is plain text with the backtick escape',
      '# escape=`\nRUN dir c:\\ `\n  && echo\nCOPY a c:\\a\\\n',
      [
        ['RUN', 2, 3, 'dir c:\\   && echo'],
        ['COPY', 4, 4, 'a c:\\a\\']
      ]
    ]
  ])('%s', (_name, text, expected) => {
    expect(shape(text)).toEqual(expected);
  });

  it('records the column and the comments, including those inside a continuation', () => {
    const t = tokenize('# top\n  RUN a \\\n    # inner\n  b\n');
    expect(t.instructions[0].column).toBe(3);
    expect(t.comments).toEqual([
      { line: 1, text: 'top' },
      { line: 3, text: 'inner' }
    ]);
  });

  it('CRLF line endings', () => {
    const t = tokenize('FROM alpine\r\nRUN a \\\r\n  b\r\n# c\r\n');
    expect(t.lines).toEqual(['FROM alpine', 'RUN a \\', '  b', '# c']);
    expect(shape('FROM alpine\r\nRUN a \\\r\n  b\r\n# c\r\n')).toEqual([
      ['FROM', 1, 1, 'alpine'],
      ['RUN', 2, 3, 'a   b']
    ]);
    expect(t.comments).toEqual([{ line: 4, text: 'c' }]);
  });

  it('BOM: stripped before directives and columns', () => {
    const t = tokenize('\ufeff# escape=`\nFROM alpine\n');
    expect(t.escape).toBe('`');
    expect(t.instructions[0]).toMatchObject({ keyword: 'FROM', line: 2, column: 1 });
    expect(tokenize('\ufeffFROM alpine').instructions[0]).toMatchObject({ keyword: 'FROM', line: 1, column: 1, args: ' alpine' });
    expect(splitLines('\ufeffa\nb\n')).toEqual(['a', 'b']);
  });
});

describe('tokenize: parser directives', () => {
  it('escape directive (backtick)', () => {
    const t = tokenize('# escape=`\nFROM x\nRUN a `\n  b\n');
    expect(t.escape).toBe('`');
    expect(t.directives).toEqual([{ name: 'escape', value: '`', line: 1 }]);
    expect(t.instructions[1]).toMatchObject({ keyword: 'RUN', line: 3, endLine: 4, args: ' a   b' });
    expect(t.comments).toEqual([]);
  });

  it('syntax and check directives, case and blanks', () => {
    const t = tokenize('# syntax=docker/dockerfile:1\n#CHECK = skip=JSONArgsRecommended;error=true \n  # escape=\\\nFROM x\n');
    expect(t.directives).toEqual([
      { name: 'syntax', value: 'docker/dockerfile:1', line: 1 },
      { name: 'check', value: 'skip=JSONArgsRecommended;error=true', line: 2 },
      { name: 'escape', value: '\\', line: 3 }
    ]);
    expect(t.comments).toEqual([]);
    expect(t.problems).toEqual([]);
  });

  it.each([
    ['after a comment', '# hello\n# escape=`\nFROM x\n', 2],
    ['after a blank line', '\n# escape=`\nFROM x\n', 2],
    ['after an instruction', 'FROM x\n# escape=`\n', 2],
    ['after an unknown directive', '# foo=bar\n# escape=`\nFROM x\n', 2]
  ])('a directive %s is a plain comment', (_n, text, line) => {
    const t = tokenize(text);
    expect(t.escape).toBe('\\');
    expect(t.directives).toEqual([]);
    expect(t.comments).toContainEqual({ line, text: 'escape=`' });
  });

  it('a repeated directive is a problem and ends the directives', () => {
    const t = tokenize('# escape=`\n# escape=\\\nFROM x\n');
    expect(t.escape).toBe('`');
    expect(t.directives).toHaveLength(1);
    expect(t.problems).toEqual([{ line: 2, message: 'only one escape parser directive can be used' }]);
  });

  it('an invalid escape value is a problem', () => {
    const t = tokenize('# escape=x\nFROM x\n');
    expect(t.escape).toBe('\\');
    expect(t.problems).toEqual([{ line: 1, message: expect.stringContaining('invalid escape directive') }]);
  });

  it('an empty value is no directive', () => {
    const t = tokenize('# escape=\nFROM x\n');
    expect(t.directives).toEqual([]);
    expect(t.comments).toEqual([{ line: 1, text: 'escape=' }]);
  });
});

describe('tokenize: heredocs', () => {
  it('<<EOF: body, lines, next instruction', () => {
    const t = tokenize('FROM a\nRUN <<EOF\necho hi\n  echo there\nEOF\nUSER x\n');
    const run = t.instructions[1];
    expect(run).toMatchObject({ keyword: 'RUN', line: 2, endLine: 5, args: ' <<EOF' });
    expect(run.heredocs).toEqual([{ name: 'EOF', body: 'echo hi\n  echo there\n', line: 3, endLine: 5, stripTabs: false, quoted: false, terminated: true }]);
    expect(t.instructions[2]).toMatchObject({ keyword: 'USER', line: 6 });
    expect(t.comments).toEqual([]);
  });

  it('<<-EOF strips leading tabs from the body and the terminator', () => {
    const h = instr('RUN <<-EOF\n\techo hi\n\t\t# not a comment\n\tEOF\n').heredocs[0];
    expect(h).toMatchObject({ name: 'EOF', body: 'echo hi\n# not a comment\n', stripTabs: true, terminated: true, endLine: 4 });
  });

  it('without `-` a tab-indented terminator does not end the heredoc', () => {
    const t = tokenize('RUN <<EOF\n\tEOF\nEOF\n');
    expect(t.instructions[0].heredocs[0]).toMatchObject({ body: '\tEOF\n', endLine: 3 });
  });

  it('quoted <<\'EOF\' and <<"EOF"', () => {
    const t = tokenize('RUN <<\'EOF\' bash\necho $HOME\nEOF\nCOPY <<"X" /a\nbody\nX\nRUN cat <<E"O"F\nx\nEOF\n');
    expect(t.instructions.map((i) => i.heredocs.map((h) => [h.name, h.quoted, h.body]))).toEqual([
      [['EOF', true, 'echo $HOME\n']],
      [['X', true, 'body\n']],
      [['EOF', true, 'x\n']]
    ]);
  });

  it('two heredocs on one RUN, in order', () => {
    const t = tokenize('RUN <<A cat - && cat <<B\nfirst\nA\nsecond\nB\nUSER x\n');
    expect(t.instructions[0].heredocs.map((h) => [h.name, h.body, h.line, h.endLine])).toEqual([
      ['A', 'first\n', 2, 3],
      ['B', 'second\n', 4, 5]
    ]);
    expect(t.instructions[0].endLine).toBe(5);
    expect(t.instructions[1]).toMatchObject({ keyword: 'USER', line: 6 });
  });

  it('heredoc after a continuation, and in ONBUILD', () => {
    expect(instr('RUN cat \\\n  <<EOF\nx\nEOF\n').heredocs[0]).toMatchObject({ name: 'EOF', body: 'x\n', line: 3 });
    expect(instr('ONBUILD RUN <<EOF\nx\nEOF\n').heredocs[0]).toMatchObject({ name: 'EOF', body: 'x\n' });
  });

  it('unterminated heredoc: a problem at the instruction line, the rest of the file is the body', () => {
    const t = tokenize('FROM a\nRUN <<EOF\necho\nUSER x\n');
    expect(t.problems).toEqual([{ line: 2, message: expect.stringContaining('unterminated heredoc <<EOF') }]);
    expect(t.instructions).toHaveLength(2);
    expect(t.instructions[1].heredocs[0]).toMatchObject({ body: 'echo\nUSER x\n', terminated: false, endLine: 4 });
    expect(t.instructions[1].endLine).toBe(4);
  });

  it.each([
    ['ENV is not a heredoc instruction', 'ENV A=<<EOF\nUSER x\n'],
    ['here-string', 'RUN cat <<< hi\nUSER x\n'],
    ['quoted word', 'RUN echo "<<EOF"\nUSER x\n'],
    ['glued to a word (BuildKit needs a word starting with <<)', 'RUN cat<<EOF\nUSER x\n'],
    ['space before the name', 'RUN cat << EOF\nUSER x\n']
  ])('no heredoc: %s', (_n, text) => {
    const t = tokenize(text);
    expect(t.instructions.map((i) => i.heredocs.length)).toEqual([0, 0]);
    expect(t.instructions[1]).toMatchObject({ keyword: 'USER', line: 2 });
  });

  it('findHeredocs: BuildKit heredoc words', () => {
    expect(findHeredocs(' cat <<EOF > /f')).toEqual([{ name: 'EOF', stripTabs: false, quoted: false }]);
    expect(findHeredocs(' 3<<-"A B" x')).toEqual([{ name: 'A B', stripTabs: true, quoted: true }]);
    expect(findHeredocs(" python3 - <<'PY'")).toEqual([{ name: 'PY', stripTabs: false, quoted: true }]);
    expect(findHeredocs(' echo "a <<EOF" <<<x')).toEqual([]);
  });
});

describe('lineOfOffset', () => {
  it('maps offsets in args to source lines across continuations and dropped lines', () => {
    const i = instr('RUN a \\\n# c\n  bb \\\n\n  ccc\n');
    expect(i.args).toBe(' a   bb   ccc');
    expect(i.pieces).toEqual([0, 1, 3, 3, 8, 5]);
    expect([0, 1, 2, 3, 5, 7, 8, 10, 12].map((o) => lineOfOffset(i, o))).toEqual([1, 1, 1, 3, 3, 3, 5, 5, 5]);
  });

  it('a keyword alone on its line: args start on the next line', () => {
    const i = instr('RUN\\\n  echo\n');
    expect(i.args).toBe('  echo');
    expect(lineOfOffset(i, 0)).toBe(2);
    expect(lineOfOffset(i, 2)).toBe(2);
  });
});

describe('splitWords', () => {
  const values = (t: string, e?: string) => splitWords(t, e).map((w) => w.value);
  it.each<[string, string, string[]]>([
    ['blanks', '  a\tb \n c ', ['a', 'b', 'c']],
    ['double quotes', 'a "b c" d"e f"g', ['a', 'b c', 'de fg']],
    ['single quotes are literal', "'a \\\" b' c", ['a \\" b', 'c']],
    ['escapes outside quotes', 'a\\ b c\\"d \\\\e', ['a b', 'c"d', '\\e']],
    ['in double quotes the escape only protects " $ and itself', '"a\\"b \\$c \\\\d \\n"', ['a"b $c \\d \\n']],
    ['a trailing escape is dropped', 'a\\', ['a']],
    ['empty quotes are a word', 'a "" b', ['a', '', 'b']],
    ['dollars are kept', '$A "${B}"', ['$A', '${B}']]
  ])('%s', (_n, text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it('backtick escape', () => {
    expect(values('c:\\a `"b c`" d`` ', '`')).toEqual(['c:\\a', '"b', 'c"', 'd`']);
  });

  it('offsets', () => {
    expect(splitWords('  ab "c d"  e').map((w) => w.offset)).toEqual([2, 5, 12]);
  });
});

describe('parsePairs and unquote', () => {
  it('ENV A=1 B="x y"', () => {
    expect(parsePairs('A=1 B="x y"')).toEqual({
      legacy: false,
      pairs: [
        { key: 'A', value: '1', rawValue: '1', offset: 0 },
        { key: 'B', value: 'x y', rawValue: '"x y"', offset: 4 }
      ]
    });
  });

  it('legacy ENV KEY some value (white space kept)', () => {
    expect(parsePairs(' KEY some  value ')).toEqual({
      legacy: true,
      pairs: [{ key: 'KEY', value: 'some  value', rawValue: 'some  value', offset: 1 }]
    });
    expect(parsePairs('KEY "quoted value" x').pairs[0].value).toBe('quoted value x');
  });

  it('ARG NAME without a value; several ARGs; no legacy form for ARG', () => {
    expect(parsePairs('NAME', '\\', false).pairs).toEqual([{ key: 'NAME', offset: 0 }]);
    expect(parsePairs('A B=2', '\\', false)).toEqual({
      legacy: false,
      pairs: [
        { key: 'A', offset: 0 },
        { key: 'B', value: '2', rawValue: '2', offset: 2 }
      ]
    });
  });

  it('LABEL with quoted keys, = inside quotes, escapes', () => {
    expect(parsePairs('"com.x.y"="a b" k=\'v=w\' e=a\\ b').pairs.map((p) => [p.key, p.value])).toEqual([
      ['com.x.y', 'a b'],
      ['k', 'v=w'],
      ['e', 'a b']
    ]);
  });

  it('no escapes inside single quotes when splitting', () => {
    expect(parsePairs("A='x\\' B=c").pairs.map((p) => [p.key, p.value])).toEqual([
      ['A', 'x\\'],
      ['B', 'c']
    ]);
  });

  it('unquote keeps white space and removes quotes and escapes', () => {
    expect(unquote('a  "b  c" \'d\' e\\ f')).toBe('a  b  c d e f');
    expect(unquote('plain')).toBe('plain');
  });
});

describe('substitute', () => {
  const env: Record<string, string> = { X: 'x', E: '', P: '/p' };
  const lookup = (n: string) => env[n];
  it.each<[string, string, string[]]>([
    ['$X', 'x', []],
    ['${X}', 'x', []],
    ['a${X}b$X.c', 'axbx.c', []],
    ['${U:-d}', 'd', []],
    ['${E:-d}', 'd', []],
    ['${E-d}', '', []],
    ['${U-d}', 'd', []],
    ['${X:-d}', 'x', []],
    ['${X:+a}', 'a', []],
    ['${E:+a}', '', []],
    ['${E+a}', 'a', []],
    ['${U:+a}', '', []],
    ['${U:-${P}/bin}', '/p/bin', []],
    ['${U:-$V}', '$V', ['V']],
    ['\\$X', '\\$X', []],
    ['\\${X}', '\\${X}', []],
    ['\\\\$X', '\\\\x', []],
    ['$U', '$U', ['U']],
    ['${U}/${X}', '${U}/x', ['U']],
    ['${X:?required}', 'x', []],
    ['${U:?required}', '${U:?required}', ['U']],
    ['${X#x}', '${X#x}', ['X']],
    ['$ $1 ${ $', '$ $1 ${ $', []],
    ['no dollar', 'no dollar', []]
  ])('%s', (text, value, unresolved) => {
    expect(substitute(text, lookup)).toEqual({ value, unresolved });
  });

  it('backtick escape protects the dollar', () => {
    expect(substitute('`$X $X', lookup, '`')).toEqual({ value: '`$X x', unresolved: [] });
  });
});
