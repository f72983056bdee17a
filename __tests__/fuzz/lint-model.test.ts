// Property tests for the Dockerfile model and the whole lint of one file: generated Dockerfiles and
// mutated corpus files (the kind of input issue 15's fuzz run used). Whatever the text, lint returns
// findings for it — no exception, no rule failure, lines inside the file — and does so deterministically.
import { beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import fs from 'node:fs';
import { defaultConfig } from '../../src/core/config/types.js';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { lintFile } from '../../src/core/lint.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import type { ShellScript } from '../../src/core/shell/parser.js';
import { loadShellParser } from '../../src/io/wasm.js';
import { corpusFiles } from '../helpers/corpus.js';
import { fuzzParams, fuzzTimeout } from './params.js';

beforeAll(loadShellParser);

const KEYWORDS = [
  'FROM',
  'RUN',
  'COPY',
  'ADD',
  'ARG',
  'ENV',
  'LABEL',
  'USER',
  'WORKDIR',
  'CMD',
  'ENTRYPOINT',
  'EXPOSE',
  'SHELL',
  'HEALTHCHECK',
  'ONBUILD',
  'VOLUME',
  'STOPSIGNAL',
  'MAINTAINER',
  'from',
  'Run',
  'NOPE'
];
const TOKENS = [
  'alpine:3.20',
  'AS',
  'build',
  '--from=build',
  '--chmodd=7',
  '--platform=$BUILDPLATFORM',
  '$A',
  '${A}',
  '${A:-x}',
  '${A:+y}',
  '${x:i}',
  '${',
  '}',
  'A=1',
  'B="two words"',
  "C='q'",
  '["a", "b"]',
  '["a", \'b\']',
  '[',
  ']',
  'curl -fsSL https://x | sh',
  'apt-get install -y curl',
  '&&',
  '||',
  ';',
  '|',
  '$(id)',
  '`id`',
  '"',
  "'",
  '\\',
  '<<EOF',
  '<<-EOF',
  '#',
  '\t',
  '\r',
  '=',
  ' '
];
const word = fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 }));
const line = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KEYWORDS), fc.array(word, { maxLength: 6 })).map(([k, ws]) => [k, ...ws].join(' ')) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '# comment', '# syntax=docker/dockerfile:1', '# escape=`', 'EOF', '\\', '  && echo continued', 'ENV A=${A}${A}')
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12, unit: 'binary' }) }
);
const dockerfile = fc
  .tuple(fc.array(line, { maxLength: 25 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
  .map(([ls, nl, cont]) => ls.join(cont ? ' \\' + nl : nl) + nl);

const config = defaultConfig();
config.lint.shellcheck = 'off';

/** Lints `text` and checks what must hold for any text; returns the findings as JSON. */
function lintChecked(text: string, shellCache?: Map<string, ShellScript>): string {
  const r = lintFile('Dockerfile', text, config, BUILTIN_RULES, { now: new Date('2026-01-01T00:00:00Z'), shellCache });
  const lines = parseDockerfile('Dockerfile', text).lines.length;
  expect(r.error).toBeUndefined();
  for (const f of r.findings) {
    expect(f.ruleId).not.toBe('rule-failure');
    expect(f.file).toBe('Dockerfile');
    expect(['error', 'warning', 'note']).toContain(f.severity);
    expect(f.line).toBeGreaterThanOrEqual(1);
    expect(f.line).toBeLessThanOrEqual(Math.max(1, lines));
    expect(f.endLine).toBeGreaterThanOrEqual(f.line);
  }
  return JSON.stringify(r.findings);
}

function checkModel(text: string): void {
  const m = parseDockerfile('Dockerfile', text);
  let prev = 0;
  for (const i of m.instructions) {
    expect(i.line).toBeGreaterThan(prev);
    expect(i.endLine).toBeGreaterThanOrEqual(i.line);
    expect(i.endLine).toBeLessThanOrEqual(m.lines.length);
    for (let o = 0; o <= i.args.length; o += 7) {
      const l = i.lineAt(o);
      expect(l).toBeGreaterThanOrEqual(i.line);
      expect(l).toBeLessThanOrEqual(i.endLine);
    }
    prev = i.endLine;
    const script = m.shellOf(i);
    for (const c of script?.commands ?? []) {
      expect(c.line).toBeGreaterThanOrEqual(i.line);
      expect(c.line).toBeLessThanOrEqual(i.endLine);
    }
  }
  for (const p of m.problems) expect(p.line).toBeGreaterThanOrEqual(1);
}

describe('any Dockerfile text', () => {
  it(
    'generated Dockerfiles: the model keeps lines in order and inside the file; lint never fails a rule',
    () => {
      fc.assert(
        fc.property(dockerfile, (text) => {
          checkModel(text);
          // Deterministic, also with a shell cache shared with an earlier file.
          const cache = new Map<string, ShellScript>();
          const first = lintChecked(text, cache);
          expect(lintChecked(text, cache)).toBe(first);
        }),
        fuzzParams(3501, 150)
      );
    },
    fuzzTimeout(60000)
  );

  const corpus = corpusFiles()
    .filter((_, i) => i % 20 === 0)
    .map((f) => fs.readFileSync(f, 'utf8'));
  const HOSTILE = [
    '\\\n',
    '${',
    '}',
    '<<EOF\n',
    '\nEOF\n',
    '\r',
    '"',
    "'",
    '[',
    ' --x=1 ',
    '$((',
    '`',
    '#',
    '\t',
    '\nFROM scratch\n',
    '\nRUN ',
    '\nARG A=${A}${A}\n',
    ' && ',
    ' | sh',
    '\u2028',
    '\uFEFF'
  ];
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 6 })) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 200 }), times: fc.integer({ min: 1, max: 30 }) })
  );
  const mutate = (text: string, ms: { kind: string; at: number; len?: number; text?: string; times?: number }[]) => {
    let t = text;
    for (const m of ms) {
      const at = t.length === 0 ? 0 : m.at % (t.length + 1);
      if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
      else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + (m.len ?? 1));
      else t = t.slice(0, at) + t.slice(at, at + (m.len ?? 1)).repeat((m.times ?? 1) + 1) + t.slice(at + (m.len ?? 1));
    }
    return t;
  };

  it(
    'mutated corpus files: the same holds',
    () => {
      fc.assert(
        fc.property(fc.constantFrom(...corpus), fc.array(mutation, { minLength: 1, maxLength: 8 }), (text, ms) => {
          const t = mutate(text, ms);
          checkModel(t);
          lintChecked(t);
        }),
        fuzzParams(3502, 40)
      );
    },
    fuzzTimeout(60000)
  );
});
