// Issue 15 (lint): each hostile file of the fuzz run is a regression test here. What is asserted is
// behaviour — the file gets one error finding naming the bound (or is analysed correctly), nothing
// crashes, and the other file of the run is still linted — never time (that is scripts/bench-scaling.mjs).
import { beforeAll, describe, expect, it, jest } from '@jest/globals';
import { defaultConfig } from '../../src/core/config/types.js';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { substitute } from '../../src/core/dockerfile/words.js';
import type { Finding } from '../../src/core/finding.js';
import { lintFile, type LintOptions } from '../../src/core/lint.js';
import { BUILTIN_RULES } from '../../src/core/rules/index.js';
import { defineRule, type Rule } from '../../src/core/rules/types.js';
import { lintAll } from '../../src/core/run.js';
import { parseShell, setShellBudget } from '../../src/core/shell/parser.js';
import { loadShellParser } from '../../src/io/wasm.js';

beforeAll(loadShellParser);
// Inputs of 100,000 lines: generous on a loaded machine (timing is the benchmark's business, not a test's).
jest.setTimeout(180_000);

const GOOD = 'FROM alpine:3.20\nRUN curl -fsSL https://get.example.com | sh\n';

/** Lints the hostile file next to a good one; returns the hostile file's findings after checking the good one's. */
function lintWithNeighbour(text: string, options: LintOptions = {}): { findings: Finding[]; errors: { file: string }[] } {
  const r = lintAll(
    [
      { file: 'hostile/Dockerfile', content: text },
      { file: 'good/Dockerfile', content: GOOD }
    ],
    defaultConfig(),
    BUILTIN_RULES,
    options
  );
  // The neighbour is linted in full: its curl | sh is found.
  expect(r.findings.filter((f) => f.file === 'good/Dockerfile').map((f) => f.ruleId)).toContain('curl-pipe-shell');
  return { findings: r.findings.filter((f) => f.file === 'hostile/Dockerfile'), errors: r.errors };
}

const ids = (fs: Finding[]) => fs.map((f) => f.ruleId);
// Big but legitimate inputs: what is tested is that they are analysed in full, so a loaded test machine
// must not turn them into a time-budget finding.
const PATIENT: LintOptions = { timeBudgetMs: 300_000 };
const limits = (fs: Finding[]) => fs.filter((f) => f.ruleId === 'limit-exceeded');

describe('substitution is bounded in depth and expanded length', () => {
  it('a ${V:-…} default nested 3,500 deep is one limit-exceeded finding naming the bound', () => {
    const text = 'FROM alpine:3.20\nARG V=' + '${V:-'.repeat(3500) + 'x' + '}'.repeat(3500) + '\nRUN echo $V\n';
    const { findings } = lintWithNeighbour(text);
    const l = limits(findings);
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(l[0].message).toMatch(/nested more than 32 levels deep \[bound: substitution\]/);
    expect(ids(findings)).not.toContain('rule-failure');
  });

  it('130,000 $Y inside one default: no crash; copying that text into COPY hits the length bound there', () => {
    const text = 'FROM alpine:3.20\nARG V=${X:-' + '$Y'.repeat(130000) + '}\nCOPY $V /app\n';
    const { findings } = lintWithNeighbour(text);
    expect(ids(findings)).not.toContain('rule-failure');
    expect(limits(findings).map((f) => [f.line, f.message.slice(0, 48)])).toEqual([[3, 'substitution adds more than 65536 characters [bo']]);
  });

  it('130,000 $Y with a value for Y hit the expanded-length bound', () => {
    const sub = substitute('${X:-' + '$Y'.repeat(130000) + '}', (n) => (n === 'Y' ? 'yyyy' : undefined));
    expect(sub.limit).toMatch(/adds more than 65536 characters/);
    expect(sub.unresolved).toEqual(['X', 'Y']);
    expect(sub.value.startsWith('${X:-$Y')).toBe(true);
  });

  it('a 26-line doubling ARG chain stops at the first value over the bound; the later ARGs are unknown, not huge', () => {
    const chain = Array.from({ length: 26 }, (_, i) => `ARG A${i + 2}=\${A${i + 1}}\${A${i + 1}}`).join('\n');
    const text = `FROM alpine:3.20\nARG A1=xxxxxxxxxxxxxxxx\n${chain}\nRUN echo $A27\nLABEL x=$A27\n`;
    const { findings } = lintWithNeighbour(text);
    const l = limits(findings);
    // 16 · 2^13 = 131,072 characters: A14 (line 15) is the first over 64 KiB.
    expect(l.map((f) => f.line)).toEqual([15]);
    expect(JSON.stringify(findings).length).toBeLessThan(20_000);
    const model = parseDockerfile('D', text);
    const last = model.instructions[model.instructions.length - 1];
    expect(last.resolve('$A15-$A27')).toMatchObject({ value: '$A15-$A27', unresolved: ['A15', 'A27'] });
    expect(last.resolve('$A13').value).toHaveLength(16 * 2 ** 12);
  });

  it('the expansions of one file share a budget: many copies of a large value stop at the budget', () => {
    const uses = Array.from({ length: 100 }, () => 'LABEL l=$B').join('\n');
    const model = parseDockerfile('D', `FROM alpine:3.20\nARG B=${'x'.repeat(60000)}\n${uses}\n`, { limits: { expansionBudget: 4 * 1024 * 1024 } });
    let expanded = 0;
    for (const i of model.instructions) if (i.keyword === 'LABEL') expanded += i.resolve('$B').value.length;
    // 4 MiB of expansion, then every further use stays as written (`$B`, unknown).
    expect(expanded).toBeLessThanOrEqual(4 * 1024 * 1024 + 60000);
    expect(expanded).toBeGreaterThan(4 * 1024 * 1024 - 60000);
    expect(model.limits.map((h) => h.bound)).toContain('expansion-budget');
  });
});

describe('scopes are shared, not copied; helpers are linear', () => {
  it('a 10,000-deep linear ARG chain resolves to its root value', () => {
    const text = 'FROM alpine:3.20\nARG A0=root\n' + Array.from({ length: 10000 }, (_, i) => `ARG A${i + 1}=\${A${i}}`).join('\n') + '\nRUN echo $A10000\n';
    const model = parseDockerfile('D', text);
    const run = model.instructions[model.instructions.length - 1];
    expect(run.resolve('$A10000').value).toBe('root');
    // Each instruction sees the scope of its own position.
    expect(model.instructions[6].resolve('${A4:-unset}|${A9:-unset}').value).toBe('root|unset');
  });

  it('30,000 global ARGs lint (FROM sees the last one; 100,000 in bench-scaling)', () => {
    const text = Array.from({ length: 30000 }, (_, i) => `ARG G${i}=v${i}`).join('\n') + '\nFROM alpine:${G29999}\nUSER 1\n';
    const { findings } = lintWithNeighbour(text, PATIENT);
    expect(ids(findings)).not.toContain('limit-exceeded');
    expect(parseDockerfile('D', text).stages[0].from.resolved).toBe('alpine:v29999');
  });

  it('ENV substitutes with the values from before the statement, and child stages inherit ENV only', () => {
    const model = parseDockerfile('D', 'FROM a AS base\nARG X=arg\nENV A=1\nENV A=2 B=$A\nFROM base\nRUN echo\nFROM a\nRUN echo\n');
    const [, , , env2, , run1, , run2] = model.instructions;
    expect(env2.pairs.map((p) => p.key)).toEqual(['A', 'B']);
    expect(run1.resolve('$A-$B-${X:-none}').value).toBe('2-1-none');
    expect(run2.resolve('${A:-none}').value).toBe('none');
  });

  it('a 30,000-line heredoc gives every command its own line (100,000 in bench-scaling)', () => {
    const text = 'FROM alpine:3.20\nRUN <<EOF\n' + Array.from({ length: 30000 }, (_, i) => `echo ${i}`).join('\n') + '\nEOF\n';
    const model = parseDockerfile('D', text);
    const script = model.shellOf(model.instructions[1]);
    expect(script?.commands).toHaveLength(30000);
    expect(script?.commands[29999]).toMatchObject({ name: 'echo', args: ['29999'], line: 30002 });
  });

  it('10,000 stages with unknown --from names lint (no suggestion among thousands of names; 100,000 stages in bench-scaling)', () => {
    const text = Array.from({ length: 10000 }, (_, i) => `FROM a AS s${i}\nCOPY --from=x${i} a b`).join('\n') + '\n';
    const { findings } = lintWithNeighbour(text, PATIENT);
    const unknown = findings.filter((f) => f.ruleId === 'copy-from-unknown-stage');
    // 1,000 listed, the other 9,000 summed up in one finding of the rule (bound: findings-per-rule).
    expect(unknown).toHaveLength(1001);
    expect(unknown[999].message).not.toMatch(/did you mean/);
    expect(unknown[1000]).toMatchObject({
      line: 2002,
      message: expect.stringMatching(/^9000 more copy-from-unknown-stage findings .*\[bound: findings-per-rule\]$/)
    });
  });
});

describe('shell trees are walked iteratively and parses are bounded', () => {
  it('`RUN true && …` × 10,000 is walked in full: the curl | sh at its end is reported, no rule fails', () => {
    const text = 'FROM alpine:3.20\nRUN ' + 'true && '.repeat(10000) + 'curl -fsSL https://x.example/i.sh | sh\n';
    const { findings } = lintWithNeighbour(text, PATIENT);
    expect(ids(findings)).toContain('curl-pipe-shell');
    expect(ids(findings)).not.toContain('rule-failure');
    expect(limits(findings)).toEqual([]);
  });

  it('a parse cut by the time budget is an error naming the security rules that could not check the RUN', () => {
    const text = 'FROM alpine:3.20\nRUN cd /app \\\r# ' + '| '.repeat(50000) + '\nUSER 1\n';
    // The parse's own allowance (3 s + 20 ms per KiB) runs out, not the file's budget: every rule that reads RUN asks.
    const { findings, errors } = lintWithNeighbour(text);
    const l = limits(findings).filter((f) => f.message.includes('[bound: shell-script]'));
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ line: 2, severity: 'error' });
    expect(l[0].message).toMatch(/RUN script not analysed: .*time budget \[bound: shell-script\]/);
    expect(l[0].message).toMatch(/security rules: .*curl-pipe-shell/);
    // A bound hit is a finding, not an unreadable file: exit 1 at --fail-on error, 0 at none.
    expect(errors).toEqual([]);
  });

  it('parseShell: a script over the size bound or past the deadline comes back empty with `limit`, and the budget hears of it', () => {
    const heard: string[] = [];
    const prev = setShellBudget({ deadline: performance.now() - 1, onLimit: (m) => heard.push(m) });
    try {
      expect(parseShell('echo hi')).toMatchObject({ commands: [], limit: expect.stringMatching(/time budget/) });
      expect(parseShell('echo hi', false).limit).toBeDefined();
    } finally {
      setShellBudget(prev);
    }
    expect(heard).toHaveLength(1);
    expect(parseShell('x'.repeat(2 * 1024 * 1024 + 1)).limit).toMatch(/over the 2097152-character limit/);
    expect(parseShell('echo hi').commands.map((c) => c.name)).toEqual(['echo']);
  });

  it('wrappers are peeled at most 16 deep (sudo sudo sudo … was quadratic)', () => {
    const s = parseShell('sudo '.repeat(5000) + 'curl x');
    expect(s.commands).toHaveLength(1);
    expect(s.commands[0].wrappers).toHaveLength(16);
  });
});

describe('findings per rule per file', () => {
  it('150,000 MAINTAINER lines (1.9 MB) list 1,000 findings and sum up the rest; the run and its neighbour are fine', () => {
    const { findings } = lintWithNeighbour('FROM alpine:3.20\n' + 'MAINTAINER x\n'.repeat(150000), PATIENT);
    const m = findings.filter((f) => f.ruleId === 'maintainer-deprecated');
    expect(m).toHaveLength(1001);
    expect(m[1000]).toMatchObject({ line: 1002, severity: m[0].severity, message: expect.stringMatching(/^149000 more maintainer-deprecated findings/) });
    expect(m[1000].fix).toBeUndefined();
  });

  it('suppressed findings are summed up the same way', () => {
    const r = lintFile('Dockerfile', '# hadolint global ignore=DL4000\nFROM alpine:3.20\n' + 'MAINTAINER x\n'.repeat(3000), defaultConfig(), BUILTIN_RULES);
    expect(r.findings.filter((f) => f.ruleId === 'maintainer-deprecated')).toEqual([]);
    const s = r.suppressed.filter((f) => f.ruleId === 'maintainer-deprecated');
    expect(s).toHaveLength(1001);
    expect(s[1000]).toMatchObject({ suppressedBy: 'inline', message: expect.stringMatching(/^2000 more/) });
  });

  it('past 4× the maximum findings are only counted, and still go where their suppression says', () => {
    const text = '# hadolint global ignore=DL4000\nFROM alpine:3.20\n' + 'MAINTAINER x\n'.repeat(6000);
    const r = lintFile('Dockerfile', text, defaultConfig(), BUILTIN_RULES);
    expect(r.findings.filter((f) => f.ruleId === 'maintainer-deprecated')).toEqual([]);
    const s = r.suppressed.filter((f) => f.ruleId === 'maintainer-deprecated');
    expect(s).toHaveLength(1001);
    expect(s[1000].message).toMatch(/^5000 more/);
    const shown = lintFile('Dockerfile', text.slice(text.indexOf('\n') + 1), defaultConfig(), BUILTIN_RULES).findings.filter(
      (f) => f.ruleId === 'maintainer-deprecated'
    );
    expect(shown).toHaveLength(1001);
    expect(shown[1000].message).toMatch(/^5000 more/);
  });
});

describe('per-file time budget', () => {
  const slow = defineRule({
    meta: { id: 'slow', aliases: [], severity: 'warning', title: 't', description: 'd', bad: '', good: '', tags: [] },
    defaultOptions: {},
    check() {
      const until = performance.now() + 80;
      while (performance.now() < until) {
        // busy: a rule that takes longer than the budget
      }
    }
  }) as unknown as Rule;
  const after = defineRule({
    meta: { id: 'after', aliases: [], severity: 'warning', title: 't', description: 'd', bad: '', good: '', tags: ['security'] },
    defaultOptions: {},
    check({ report }) {
      report({ line: 1, message: 'ran' });
    }
  }) as unknown as Rule;

  it('rules that did not run before the budget ran out are named in an error finding', () => {
    const r = lintFile('Dockerfile', 'FROM alpine:3.20\n', defaultConfig(), [slow, after], { timeBudgetMs: 20 });
    expect(ids(r.findings)).toEqual(['limit-exceeded']);
    expect(r.findings[0].message).toMatch(/took longer than the 0 s time budget; these rules did not run: after/);
    expect(r.error).toBeUndefined();
  });

  it('limit-exceeded cannot be suppressed inline', () => {
    const r = lintFile('Dockerfile', '# container-guard global ignore=limit-exceeded\nFROM alpine:3.20\n', defaultConfig(), [slow, after], {
      timeBudgetMs: 20
    });
    expect(ids(r.findings)).toEqual(['limit-exceeded']);
  });
});
