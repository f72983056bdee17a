// Property tests for Dockerfile variable substitution (words.ts): a reference evaluator over generated
// expressions, and bounds that hold for any input.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SUBSTITUTION_LIMITS, substitute, substitutionError } from '../../src/core/dockerfile/words.js';
import { fuzzParams, fuzzTimeout } from './params.js';

type Node =
  { kind: 'lit'; text: string } | { kind: 'var'; name: string; braced: boolean } | { kind: 'mod'; name: string; op: ':-' | '-' | ':+' | '+'; word: Node[] };

const NAMES = ['A', 'B', 'EMPTY', 'UNSET', 'X_1'];
const ENV: Record<string, string | undefined> = { A: 'alpha', B: 'b/2', EMPTY: '', UNSET: undefined, X_1: 'x' };
const lookup = (n: string) => ENV[n];

const lit = fc.stringMatching(/^[a-z0-9 ./_=@-]{1,6}$/).map((text): Node => ({ kind: 'lit', text }));
const { expr } = fc.letrec<{ expr: Node[]; node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    lit,
    fc.record({ kind: fc.constant('var' as const), name: fc.constantFrom(...NAMES), braced: fc.boolean() }),
    fc.record({
      kind: fc.constant('mod' as const),
      name: fc.constantFrom(...NAMES),
      op: fc.constantFrom(':-' as const, '-' as const, ':+' as const, '+' as const),
      word: tie('expr')
    })
  ),
  expr: fc.array(tie('node'), { maxLength: 4 })
}));

/** The text of each node as written; `$A` is braced when a name character follows (it would read as a longer name). */
function parts(nodes: Node[]): string[] {
  return nodes.map((n, i) => {
    if (n.kind === 'lit') return n.text;
    if (n.kind === 'mod') return '${' + n.name + n.op + render(n.word) + '}';
    const next = nodes[i + 1];
    const mustBrace = next?.kind === 'lit' && /^[A-Za-z0-9_]/.test(next.text);
    return n.braced || mustBrace ? '${' + n.name + '}' : '$' + n.name;
  });
}

function render(nodes: Node[]): string {
  return parts(nodes).join('');
}

/** What substitute must give: values for set names, the text as written for unset ones (which are reported). */
function evaluate(nodes: Node[], unresolved: Set<string>): string {
  const written = parts(nodes);
  let out = '';
  nodes.forEach((n, i) => {
    if (n.kind === 'lit') out += n.text;
    else if (n.kind === 'var') {
      const v = ENV[n.name];
      if (v !== undefined) out += v;
      else {
        unresolved.add(n.name);
        out += written[i];
      }
    } else {
      const v = ENV[n.name];
      const set = n.op.startsWith(':') ? v !== undefined && v !== '' : v !== undefined;
      if (n.op.endsWith('-')) out += set ? (v as string) : evaluate(n.word, unresolved);
      else out += set ? evaluate(n.word, unresolved) : '';
    }
  });
  return out;
}

describe('substitute', () => {
  it(
    'agrees with a reference evaluator on generated expressions',
    () => {
      fc.assert(
        fc.property(expr, (nodes) => {
          const text = render(nodes);
          const want = new Set<string>();
          const value = evaluate(nodes, want);
          const got = substitute(text, lookup);
          expect(got.limit).toBeUndefined();
          expect(got.value).toBe(value);
          expect(new Set(got.unresolved)).toEqual(want);
          // BuildKit can expand everything generated here.
          expect(substitutionError(text)).toBeUndefined();
        }),
        fuzzParams(1501, 400)
      );
    },
    fuzzTimeout(30000)
  );

  it(
    'any text: never throws, bounded result, unresolved names occur in the text',
    () => {
      const chunk = fc.oneof(
        fc.constantFrom('$', '${', '}', ':-', ':+', '-', '+', '?', '\\', "'", '"', 'A', 'UNSET', 'EMPTY', 'B', ' ', '${A:-', '${UNSET:-'),
        fc.string({ maxLength: 3 })
      );
      fc.assert(
        fc.property(fc.array(chunk, { maxLength: 40 }), fc.constantFrom('\\', '`'), (parts, escape) => {
          const text = parts.join('');
          const got = substitute(text, lookup, escape);
          expect(got.value.length).toBeLessThanOrEqual(text.length + SUBSTITUTION_LIMITS.maxLength);
          for (const n of got.unresolved) expect(text).toContain(n);
          if (!text.includes('$')) expect(got).toEqual({ value: text, unresolved: [] });
          const err = substitutionError(text, escape);
          if (err) {
            expect(text.slice(err.offset, err.offset + 2)).toBe('${');
            expect(err.message).toMatch(/unsupported modifier|bad substitution|missing '\}'/);
          }
        }),
        fuzzParams(1502, 600)
      );
    },
    fuzzTimeout(30000)
  );

  it(
    'nesting beyond the bound is a limit, at any depth and with any name',
    () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 3000 }), fc.constantFrom(...NAMES), (depth, name) => {
          const text = `\${${name}:-`.repeat(depth) + 'z' + '}'.repeat(depth);
          const got = substitute(text, () => undefined);
          if (depth > SUBSTITUTION_LIMITS.maxDepth) {
            expect(got.limit).toMatch(/nested more than 32 levels/);
            expect(got.value).toBe(text);
            expect(got.unresolved).toEqual([name]);
          } else {
            expect(got.limit).toBeUndefined();
            expect(got.value).toBe('z');
          }
        }),
        {
          ...fuzzParams(1503, 60),
          examples: [
            [32, 'A'],
            [33, 'A'],
            [3500, 'UNSET']
          ]
        }
      );
    },
    fuzzTimeout(30000)
  );
});
