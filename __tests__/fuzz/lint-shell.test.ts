// Property tests for the shell walk (shell/parser.ts) and the commands the model gives RUN: generated
// scripts with known commands, deep chains, and arbitrary bytes.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { parseShell } from '../../src/core/shell/parser.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { fuzzParams, fuzzTimeout } from './params.js';

beforeAll(loadShellParser);

// Words the grammar treats specially (keywords, wrappers the parser peels, declaration builtins).
const RESERVED = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'do',
  'done',
  'case',
  'esac',
  'while',
  'until',
  'for',
  'in',
  'function',
  'select',
  'time',
  'sudo',
  'env',
  'nohup',
  'exec',
  'doas',
  'gosu',
  'chroot',
  'xargs',
  'export',
  'declare',
  'local',
  'readonly',
  'typeset',
  'unset',
  'let'
]);
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/).filter((n) => !RESERVED.has(n));
// Unquoted `==` and `{`/newline inside nested groups hit tree-sitter-bash grammar quirks (an ERROR node,
// a `}` read as a command); the walk is what is tested here, so the generator avoids them.
const arg = fc.oneof(fc.stringMatching(/^[a-z0-9./-]{1,6}$/), fc.stringMatching(/^"[a-z0-9 ./]{0,6}"$/), fc.stringMatching(/^'[a-z0-9 $./]{0,6}'$/));
const command = fc.record({ name, args: fc.array(arg, { maxLength: 3 }) });
type Cmd = { name: string; args: string[] };
type Unit = { cmds: Cmd[]; text: string };

const simple: fc.Arbitrary<Unit> = command.map((c) => ({ cmds: [c], text: [c.name, ...c.args].join(' ') }));
const { unit } = fc.letrec<{ unit: Unit; list: Unit }>((tie) => ({
  unit: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    simple,
    tie('list').map((l) => ({ cmds: l.cmds, text: `( ${l.text} )` })),
    tie('list').map((l) => ({ cmds: l.cmds, text: `{ ${l.text}; }` })),
    fc.tuple(command, tie('list')).map(([c, l]) => ({ cmds: [c, ...l.cmds], text: `${c.name} "$( ${l.text} )"` }))
  ),
  list: fc.tuple(tie('unit'), fc.array(fc.tuple(fc.constantFrom(' && ', ' || ', '; ', ' | '), tie('unit')), { maxLength: 4 })).map(([first, rest]) => ({
    cmds: [first, ...rest.map((r) => r[1])].flatMap((u) => u.cmds),
    text: first.text + rest.map(([op, u]) => op + u.text).join('')
  }))
}));

describe('parseShell walks every command, in source order', () => {
  it(
    'generated scripts: names and arguments of all commands, nested ones included',
    () => {
      fc.assert(
        fc.property(unit, (u) => {
          const s = parseShell(u.text);
          expect(s.hasErrors).toBe(false);
          expect(s.commands.map((c) => c.name)).toEqual(u.cmds.map((c) => c.name));
          const unquote = (a: string) => (/^(["']).*\1$/.test(a) ? a.slice(1, -1) : a);
          s.commands.forEach((c, i) => {
            // `x "$(…)"` has the substitution as its one argument; the others are as generated.
            if (!u.text.includes('$(')) expect(c.args).toEqual(u.cmds[i].args.map(unquote));
            expect(u.text.startsWith(c.name, c.offset)).toBe(true);
          });
        }),
        fuzzParams(2501, 300)
      );
    },
    fuzzTimeout(30000)
  );

  it(
    'flat pipelines: commands joined by | share one pipeline group, in order',
    () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.constantFrom(' | ', ' && ', '; '), command), { minLength: 1, maxLength: 12 }), (items) => {
          const text = items.map(([op, c], i) => (i === 0 ? '' : op) + [c.name, ...c.args].join(' ')).join('');
          const s = parseShell(text);
          const expected: string[][] = [];
          items.forEach(([op, c], i) => {
            if (i > 0 && op === ' | ') expected[expected.length - 1].push(c.name);
            else expected.push([c.name]);
          });
          const groups = s.commands.map((c) => (c.pipeline ?? [c]).map((x) => x.name));
          expect(groups).toEqual(expected.flatMap((g) => g.map(() => g)));
          expect(s.pipelines).toBe(expected.filter((g) => g.length > 1).length);
        }),
        fuzzParams(2502, 300)
      );
    },
    fuzzTimeout(30000)
  );

  it(
    'chains thousands deep are walked without recursion',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 1000, max: 6000 }), fc.constantFrom(' && ', ' || ', ' | ', '; '), (n, op) => {
          const s = parseShell(Array.from({ length: n }, (_, i) => `c${i}`).join(op) + op + 'curl -fsSL https://x | sh');
          expect(s.commands).toHaveLength(n + 2);
          expect(s.commands[n].name).toBe('curl');
          expect(s.commands[n].pipeline?.map((c) => c.name)).toEqual(
            op === ' | ' ? [...Array.from({ length: n }, (_, i) => `c${i}`), 'curl', 'sh'] : ['curl', 'sh']
          );
        }),
        fuzzParams(2503, 6)
      );
    },
    fuzzTimeout(30000)
  );

  it(
    'any text: never throws; offsets are inside the script',
    () => {
      const piece = fc.oneof(
        fc.constantFrom('|', '||', '&&', ';', '(', ')', '{', '}', '$(', '`', '"', "'", '\\', '\r', '\n', '#', '<<EOF', 'curl x', 'sh', ' '),
        fc.string({ maxLength: 4, unit: 'binary' })
      );
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
          const text = parts.join('');
          const s = parseShell(text);
          for (const c of s.commands) {
            expect(c.offset).toBeGreaterThanOrEqual(0);
            expect(c.offset).toBeLessThanOrEqual(text.length);
          }
        }),
        fuzzParams(2504, 300)
      );
    },
    fuzzTimeout(30000)
  );
});

describe('RUN commands carry their Dockerfile line', () => {
  it(
    'one command per continuation line, comments and blank lines between them',
    () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(command, fc.constantFrom('', '  # note\n', '\n')), { minLength: 1, maxLength: 10 }), (items) => {
          let text = 'FROM alpine:3.20\nRUN ';
          let line = 2;
          const want: number[] = [];
          items.forEach(([c, between], i) => {
            want.push(line);
            text += [c.name, ...c.args].join(' ');
            if (i < items.length - 1) {
              text += ' && \\\n' + between;
              line += 1 + (between === '' ? 0 : 1);
            }
          });
          const model = parseDockerfile('D', text + '\n');
          const script = model.shellOf(model.instructions[1]);
          expect(script?.commands.map((c) => c.line)).toEqual(want);
        }),
        fuzzParams(2505, 200)
      );
    },
    fuzzTimeout(30000)
  );
});
