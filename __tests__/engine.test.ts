import { beforeAll, describe, expect, it } from '@jest/globals';
import { defaultConfig, type Config } from '../src/core/config/types.js';
import { lintFile } from '../src/core/lint.js';
import maintainer from '../src/core/rules/maintainer-deprecated.js';
import unused from '../src/core/rules/unused-suppression.js';
import { defineRule, type Rule } from '../src/core/rules/types.js';
import { lintAll } from '../src/core/run.js';
import { loadShellParser } from '../src/io/wasm.js';

beforeAll(loadShellParser);

// A test rule that reports every RUN, so suppression scopes are easy to see.
const everyRun = defineRule({
  meta: { id: 'every-run', aliases: ['DL9001', 'EveryRun'], severity: 'warning', title: 't', description: 'd', bad: 'RUN x', good: '', tags: [] },
  defaultOptions: {},
  check({ model, report }) {
    for (const i of model.instructions) if (i.keyword === 'RUN') report({ line: i.line, message: `run at ${i.line}` });
  }
}) as unknown as Rule;
const boom = defineRule({
  meta: { id: 'boom', aliases: [], severity: 'error', title: 't', description: 'd', bad: '', good: '', tags: [] },
  defaultOptions: {},
  check() {
    throw new Error('kaput');
  }
}) as unknown as Rule;

const RULES: Rule[] = [everyRun, maintainer as unknown as Rule, unused as unknown as Rule];
const lines = (code: string, config: Config = defaultConfig(), rules = RULES) =>
  lintFile('Dockerfile', code, config, rules).findings.map((f) => `${f.ruleId}@${f.line}`);

describe('inline suppressions', () => {
  it.each([
    ['next instruction only', 'FROM a:1\n# container-guard ignore=every-run -- flaky\nRUN a\nRUN b', ['every-run@4']],
    ['by alias, hadolint syntax', 'FROM a:1\n# hadolint ignore=DL9001\nRUN a\nRUN b', ['every-run@4']],
    ['comment lines between pragma and instruction', 'FROM a:1\n# container-guard ignore=every-run\n# another comment\nRUN a', []],
    ['continuation lines are covered', 'FROM a:1\n# container-guard ignore=every-run\nRUN a \\\n  && b\nRUN c', ['every-run@5']],
    ['stage scope ends at the next FROM', 'FROM a:1\n# container-guard stage ignore=every-run\nRUN a\nRUN b\nFROM b:1\nRUN c', ['every-run@6']],
    ['global scope', '# container-guard global ignore=every-run\nFROM a:1\nRUN a\nFROM b:1\nRUN c', []],
    ['hadolint global', '# hadolint global ignore=DL9001,DL4000\nFROM a:1\nRUN a\nMAINTAINER x', []],
    ['BuildKit check=skip directive', '# check=skip=EveryRun\nFROM a:1\nRUN a', []],
    ['check=skip=all', '# check=skip=all;error=true\nFROM a:1\nRUN a\nMAINTAINER x', []],
    ['other rules are not hidden', 'FROM a:1\n# container-guard ignore=every-run\nMAINTAINER x\nRUN a', ['maintainer-deprecated@3', 'every-run@4']],
    ['unknown ids hide nothing', 'FROM a:1\n# container-guard ignore=nope\nRUN a', ['every-run@3']]
  ])('%s', (_n, code, expected) => {
    expect(lines(code)).toEqual(expected);
  });

  it('reports unused suppressions when enabled', () => {
    const config = defaultConfig();
    config.rules['unused-suppression'] = { enabled: true };
    expect(lines('FROM a:1\n# container-guard ignore=every-run,maintainer-deprecated\nRUN a', config)).toEqual(['unused-suppression@2']);
  });
});

describe('config ignores, overrides and severities', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('an ignore hides until its day ends, then stops hiding and says so', () => {
    const config = defaultConfig();
    config.file = '.container-guard.yml';
    config.ignores = [{ rules: ['DL9001'], until: '2026-06-01', reason: 'upstream fix pending', source: { file: '.container-guard.yml', line: 7 } }];
    const inputs = [{ file: 'Dockerfile', content: 'FROM a:1\nRUN a' }];
    const valid = lintAll(inputs, config, RULES, { now });
    expect(valid.findings).toEqual([]);
    expect(valid.suppressed.map((f) => f.ruleId)).toEqual(['every-run']);
    const later = lintAll(inputs, config, RULES, { now: new Date('2026-06-02T00:00:01Z') });
    expect(later.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['.container-guard.yml:7 expired-ignore', 'Dockerfile:2 every-run']);
    expect(later.findings[0].message).toMatch(/expired on 2026-06-01.*upstream fix pending/);
  });
  it('ignores and overrides match files relative to the config directory', () => {
    const config = defaultConfig();
    config.baseDir = 'examples';
    config.ignores = [{ rules: ['every-run'], files: ['legacy/**'], reason: 'r' }];
    config.overrides = [{ files: ['strict/**'], rules: { 'every-run': { severity: 'error' } } }];
    const r = lintAll(
      [
        { file: 'examples/legacy/Dockerfile', content: 'FROM a:1\nRUN a' },
        { file: 'examples/strict/Dockerfile', content: 'FROM a:1\nRUN a' },
        { file: 'examples/other/Dockerfile', content: 'FROM a:1\nRUN a' }
      ],
      config,
      RULES,
      { now }
    );
    expect(r.findings.map((f) => `${f.file} ${f.severity}`)).toEqual(['examples/other/Dockerfile warning', 'examples/strict/Dockerfile error']);
  });
  it('rules can be turned off, and off-by-default rules on', () => {
    const config = defaultConfig();
    config.rules['every-run'] = { enabled: false };
    expect(lines('FROM a:1\nRUN a\nMAINTAINER x', config)).toEqual(['maintainer-deprecated@3']);
  });
});

describe('bad input gives a clear per-file error; other files are still linted', () => {
  const config = defaultConfig();
  const big = 'FROM a:1\n' + 'RUN echo x\n'.repeat((5 * 1024 * 1024) / 11);
  // `unreadable`: the file's text could not be had, the only case that makes the run exit 2.
  it.each([
    ['binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]), 'parse-error', /binary file/, 1, true],
    ['empty file', new Uint8Array(), 'parse-error', /file with no instructions/, 1, false],
    ['comment-only file', new TextEncoder().encode('# syntax=docker/dockerfile:1\n\n# nothing here\n'), 'parse-error', /file with no instructions/, 1, false],
    ['5 MB file', new TextEncoder().encode(big), 'limit-exceeded', /MiB, over the 2\.0 MiB limit/, 1, true],
    ['invalid UTF-8', new Uint8Array([...new TextEncoder().encode('FROM a:1\nRUN echo '), 0xc3, 0x28, 10]), 'parse-error', /invalid UTF-8 at line 2/, 2, true],
    ['unterminated heredoc', new TextEncoder().encode('FROM a:1\nRUN <<EOF\necho hi\n'), 'parse-error', /unterminated heredoc <<EOF/, 2, false]
  ])('%s', (_n, content, ruleId, message, line, unreadable) => {
    const r = lintAll(
      [
        { file: 'bad/Dockerfile', content },
        { file: 'good/Dockerfile', content: 'FROM a:1\nRUN a' }
      ],
      config,
      RULES
    );
    const bad = r.findings.filter((f) => f.file === 'bad/Dockerfile' && f.ruleId === ruleId);
    expect(bad).toHaveLength(1);
    expect(bad[0].severity).toBe('error');
    expect(bad[0].message).toMatch(message);
    expect(bad[0].line).toBe(line);
    expect(r.errors.map((e) => e.file)).toEqual(unreadable ? ['bad/Dockerfile'] : []);
    expect(r.findings.filter((f) => f.file === 'good/Dockerfile').map((f) => f.ruleId)).toEqual(['every-run']);
  });
  it('an unknown instruction is a finding, not a crash', () => {
    const r = lintFile('Dockerfile', 'FROM a:1\nRUNN echo\nRUN a', config, RULES);
    expect(r.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['unknown-instruction@2', 'every-run@3']);
    expect(r.findings[0].message).toContain('"RUNN"');
    expect(r.error).toBeUndefined();
  });
  it('a rule that throws is reported against the rule; the others still run', () => {
    const r = lintFile('Dockerfile', 'FROM a:1\nRUN a', config, [boom, everyRun]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['rule-failure', 'every-run']);
    expect(r.findings[0].message).toMatch(/rule boom failed on this file: kaput/);
  });
});

describe('secrets never reach findings', () => {
  it('masks secret values in snippets and messages of any rule', () => {
    const code =
      'FROM a:1\nENV GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nRUN curl -u admin:s3cretpass@ https://user:hunter22@example.com/ && echo ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const leak = defineRule({
      meta: { id: 'leak', aliases: [], severity: 'error', title: 't', description: 'd', bad: '', good: '', tags: [] },
      defaultOptions: {},
      check({ model, report }) {
        for (const i of model.instructions) report({ line: i.line, message: `saw ${i.args}`, fix: { line: i.line, endLine: i.line, replacement: i.args } });
      }
    }) as unknown as Rule;
    const out = JSON.stringify(lintFile('Dockerfile', code, defaultConfig(), [leak]).findings);
    expect(out).not.toContain('ghp_0123456789abcdefghijABCDEFGHIJ012345');
    expect(out).not.toContain('hunter22');
    expect(out).toContain('ghp_****');
  });
});

describe('parse errors BuildKit gives, on the line it names (issue 10 item 5)', () => {
  const parseErrors = (code: string) =>
    lintFile('Dockerfile', code, defaultConfig(), RULES)
      .findings.filter((f) => f.ruleId === 'parse-error')
      .map((f) => `${f.line}: ${f.message}`);
  it.each([
    [
      'unsupported modifier',
      'FROM a:1\nARG X=1\nWORKDIR /app/${X:i}\n',
      ['3: WORKDIR: BuildKit cannot expand ${X:i}: unsupported modifier (:i) in substitution (a template placeholder? fill it in before building)']
    ],
    [
      'modifier on a continuation line',
      'FROM a:1\nCOPY a \\\n  ${D/x} \\\n  ${D^^} /d/\n',
      ['4: COPY: BuildKit cannot expand ${D^^}: unsupported modifier (^) in substitution']
    ],
    ['bad substitution', 'FROM a:1\nLABEL a=${}\n', ['2: LABEL: BuildKit cannot expand ${}: syntax error: bad substitution']],
    ['missing brace', 'FROM a:1\nENV A=${B:-x\n', ["2: ENV: BuildKit cannot expand ${B:-x: syntax error: missing '}'"]],
    ['ENV with no value', 'FROM a:1\nENV DEBUG\n', ['2: ENV must have two arguments']],
    ['ENV pair without =', 'FROM a:1\nENV A=1 B\n', ['2: Syntax error - can\'t find = in "B". Must be of the form: name=value']],
    ['LABEL with no value', 'FROM a:1\nLABEL maintainer\n', ['2: LABEL must have two arguments']],
    [
      'unknown flag on COPY',
      'FROM a:1\nCOPY --chmodd=755 a /a\n',
      ['2: unknown flag: chmodd (COPY accepts --from, --chown, --chmod, --link, --parents, --exclude)']
    ],
    ['flag on an instruction that takes none', 'FROM a:1\nWORKDIR --mode=1 /a\n', ['2: unknown flag: mode (WORKDIR accepts no flags)']],
    [
      'malformed exec form',
      'FROM a:1\nCMD ["nginx", \'-g\', "daemon off;"]\n',
      [expect.stringMatching(/^2: CMD is meant as exec form but is not valid JSON \(.*\): BuildKit runs it as a shell command instead$/)]
    ],
    [
      'malformed exec form, error on its own line',
      'FROM a:1\nENTRYPOINT ["a", \\\n  "b",\\\n  ]\n',
      [expect.stringMatching(/^4: ENTRYPOINT is meant as exec form/)]
    ],
    ['comment-only file', '# syntax=docker/dockerfile:1\n# nothing\n', ['1: file with no instructions: an empty or comment-only Dockerfile cannot be built']]
  ])('%s', (_n, code, expected) => {
    expect(parseErrors(code)).toEqual(expected);
  });

  it.each([
    ['supported modifiers', 'FROM a:1\nARG V=1\nENV A=${V:-x} B=${V:+y} C=${V?m} D=${V#1} E=${V%%1} F=${V/1/2} G=${V//1/2} H=$V I=${V}\n'],
    ['single quotes are literal', "FROM a:1\nLABEL a='${x:i}'\n"],
    ['escaped dollar', 'FROM a:1\nLABEL a=\\${x:i}\n'],
    ['RUN is expanded by the shell, not BuildKit', 'FROM a:1\nRUN echo ${x:i} ${!x}\n'],
    ['legacy ENV', 'FROM a:1\nENV A hello world\n'],
    ['empty value', 'FROM a:1\nENV A= B=""\n'],
    [
      'known flags',
      'FROM --platform=$BUILDPLATFORM a:1 AS b\nCOPY --from=b --chown=1:1 --chmod=755 --link a /a\nADD --checksum=sha256:x https://x /x\nRUN --mount=type=cache,target=/c --network=none true\nHEALTHCHECK --interval=5s --retries=3 CMD true\n'
    ],
    ['test command is not exec form', 'FROM a:1\nRUN [ "$A" = "b" ] && echo\nRUN [ -f /x ]\n'],
    ['valid exec form', 'FROM a:1\nCMD ["a", "b"]\n'],
    ['ONBUILD is not judged for flags', 'FROM a:1\nONBUILD COPY --from=x a b\n']
  ])('no parse error: %s', (_n, code) => {
    expect(parseErrors(code)).toEqual([]);
  });
});
