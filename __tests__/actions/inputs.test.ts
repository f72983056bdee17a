/**
 * Every input of every action.yml, read from the files themselves: each one is either free text or has a
 * constrained type, and each constrained one, given a bad value, fails the bundled entry point with exactly
 * one line that names the input and the values it accepts — exit 1, no "internal error", no stack frames.
 * A new input must be classified here, or this test fails.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import { makeTree } from '../helpers/fixtures.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { RUNTIMES } from '../helpers/node-runtimes.js';
import { runEntry } from './run.js';

type Entry = 'lint' | 'gate' | 'verify' | 'comment';
const ENTRIES: Entry[] = ['lint', 'gate', 'verify', 'comment'];
const inputsOf = (file: string) => Object.keys((yaml.load(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as { inputs: Record<string, unknown> }).inputs);

const BOOLEAN = /is not a boolean: use true or false \(true, True, TRUE, false, False, FALSE\)$/;
const LINT_LEVELS = /is not one of error, warning, note, none$/;

/** input → [bad value, what the line must say after `input <name>: "<value>"`] (per action where they differ). */
const CONSTRAINED: Record<string, Partial<Record<Entry | 'main', [string, RegExp]>> & { any?: [string, RegExp] }> = {
  command: { main: ['deploy', /is not one of lint, verify, gate, comment$/] },
  'fail-on': {
    lint: ['critical', LINT_LEVELS],
    verify: ['critical', LINT_LEVELS],
    comment: ['critical', LINT_LEVELS],
    gate: ['error', /is not one of critical, high, medium, low, none$/]
  },
  shellcheck: { any: ['maybe', /is not one of auto, on, off$/] },
  'suggest-pins': { any: ['yes', BOOLEAN] },
  'fail-on-empty': { any: ['1', BOOLEAN] },
  inspect: { any: ['yes', BOOLEAN] },
  'only-fixable': { any: ['yes', BOOLEAN] },
  'new-only': { any: ['on', BOOLEAN] },
  shard: { any: ['4/3', /is not K\/N with 1 <= K <= N \(e\.g\. 2\/3\)$/] },
  'build-args': { any: ['BASE', /^input build-args: line 1 is not KEY=value/] },
  'max-cvss': { any: ['11', /is not a number from 0 to 10$/] },
  max: { any: ['critical', /is not severity=count \(e\.g\. critical=0,high=5\)$/] },
  mode: { any: ['all', /is not one of summary, review, both$/] },
  'filter-mode': { any: ['lines', /is not one of added, diff_context, file, nofilter$/] },
  'max-comments': { any: ['ten', /is not a whole number$/] },
  'all-clear': { any: ['remove', /is not one of update, delete$/] },
  'pr-number': { any: ['abc', /is not a pull request number \(a whole number from 1\)$/] },
  annotations: { any: ['some', /is not one of auto, all, none$/] },
  'bot-login': { any: ['not a login', /is not a GitHub login \(e\.g\. my-app\[bot\]\)$/] },
  'registry-timeout': { any: ['soon', /is not a duration such as 30 \(seconds\), 30s, 500ms or 10m \(at most 24 h\)$/] },
  deadline: { any: ['0', /is not a duration such as 30 \(seconds\), 30s, 500ms or 10m \(at most 24 h\)$/] },
  'insecure-registries': { any: ['http://registry.local/x', /is not a host\[:port\] such as registry\.local:5000 \(no scheme, no path\)$/] }
};
/** Paths, globs, names and secrets: any text is a value (a file that does not exist is reported by the action that reads it). */
const FREE_TEXT = new Set([
  'paths',
  'config',
  'sarif-file',
  'findings-file',
  'reports',
  'vex',
  'baseline',
  'ignore-files',
  'result-file',
  'images',
  'images-file',
  'dockerfiles',
  'registry',
  'registry-username',
  'registry-password',
  'docker-config',
  'trusted-root',
  'attestation-bundles',
  'findings-files',
  'github-token',
  'header'
]);

const perAction = Object.fromEntries(ENTRIES.map((e) => [e, inputsOf(`${e}/action.yml`)])) as Record<Entry, string[]>;
const umbrella = inputsOf('action.yml');
/** The command of the umbrella that reads an input: the first action that declares it. */
const commandOf = (input: string): Entry => ENTRIES.find((e) => perAction[e].includes(input)) ?? 'lint';

function badValue(entry: Entry | 'main', input: string, command: Entry): [string, RegExp] | undefined {
  const c = CONSTRAINED[input];
  if (!c) return undefined;
  return c[entry] ?? (entry === 'main' ? c[command] : undefined) ?? c.any;
}

const cases: Array<[string, Entry | 'main', string, string, RegExp]> = [];
for (const e of ENTRIES) for (const i of perAction[e]) if (CONSTRAINED[i]) cases.push([`${e}/action.yml`, e, i, ...badValue(e, i, e)!]);
for (const i of umbrella) if (CONSTRAINED[i]) cases.push(['action.yml', 'main', i, ...badValue('main', i, commandOf(i))!]);

const ws = makeTree({ Dockerfile: 'FROM alpine:3.20\nUSER 1\n', 'lint.json': '{"findings": []}', 'trivy.json': '{}' });

describe('action inputs', () => {
  it('every input of every action.yml is classified', () => {
    for (const file of ['action.yml', ...ENTRIES.map((e) => `${e}/action.yml`)])
      for (const input of inputsOf(file)) expect([file, input, CONSTRAINED[input] !== undefined || FREE_TEXT.has(input)]).toEqual([file, input, true]);
    // The umbrella declares every input of every action.
    for (const e of ENTRIES) expect(umbrella).toEqual(expect.arrayContaining(perAction[e]));
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s: %s … %s with a bad value is one line naming it', async (_file, entry, input, value, says) => {
    const inputs: Record<string, string> = { [input]: value };
    if (entry === 'main' && input !== 'command') inputs.command = commandOf(input);
    // What each action needs besides the bad input, so only that input can be at fault.
    const needs: Record<Entry, Record<string, string>> = {
      lint: {},
      gate: { reports: 'trivy.json' },
      verify: { images: '127.0.0.1:1/nothing:1' },
      comment: { 'findings-files': 'lint.json', 'github-token': '' }
    };
    const r = await runEntry(entry, ws, { ...needs[entry === 'main' ? commandOf(input) : entry], ...inputs });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    expect(errors).toHaveLength(1);
    const line = errors[0]!.replace(/^::error::/, '');
    expect(line.startsWith(`input ${input}: `)).toBe(true);
    expect(line).toMatch(says);
    if (input !== 'build-args') expect(line).toContain(`"${value}"`);
    expect(r.stdout + r.stderr).not.toMatch(/internal error|\n\s+at |TypeError|Input does not meet/);
  });

  describe.each(RUNTIMES)('on %s', (_label, node) => {
    it.each([
      ['comment', 'fail-on', 'critical'],
      ['gate', 'only-fixable', 'yes'],
      ['lint', 'suggest-pins', 'yes']
    ] as const)('%s: %s: %s', async (entry, input, value) => {
      const r = await runEntry(entry, ws, { reports: 'trivy.json', 'findings-files': 'lint.json', [input]: value }, { node });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(new RegExp(`^::error::input ${input}: "${value}" is not`, 'm'));
    });
  });

  it('booleans accept the Actions spellings', async () => {
    for (const v of ['true', 'True', 'TRUE', 'false', 'False', 'FALSE']) {
      const r = await runEntry('lint', ws, { 'fail-on-empty': v, 'suggest-pins': 'false', shellcheck: 'off' });
      expect([v, r.code]).toEqual([v, 0]);
    }
  });

  it('new-only without a baseline names the input, not a config file', async () => {
    const r = await runEntry('gate', ws, { reports: 'trivy.json', 'new-only': 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::input new-only: true needs a baseline report: set the baseline input/m);
    expect(r.stdout).not.toMatch(/\.container-guard\.yml/);
  });
});

describe('lint with no Dockerfile', () => {
  const empty = makeTree({ 'README.md': '# nothing to lint\n', 'docs/x.txt': 'x' });
  it('warns with an annotation and files: 0, and passes', async () => {
    const r = await runEntry('lint', empty, {});
    expect(r.code).toBe(0);
    expect(r.outputs.files).toBe('0');
    expect(r.annotations).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^no Dockerfile found in the repository/) })]);
  });
  it('fails with fail-on-empty: true', async () => {
    const r = await runEntry('lint', empty, { 'fail-on-empty': 'true', paths: 'docs' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::no Dockerfile found in docs .*fail-on-empty is true$/m);
    expect(r.outputs.files).toBe('0');
  });
  it('an empty shard is not "no Dockerfile"', async () => {
    const two = makeTree({ 'a/Dockerfile': 'FROM alpine:3.20\nUSER 1\n' });
    const r = await runEntry('lint', two, { shard: '2/2', 'fail-on-empty': 'true' });
    expect(r.code).toBe(0);
    expect(r.outputs.files).toBe('0');
    expect(r.annotations).toEqual([]);
    expect(r.stdout).toMatch(/shard 2\/2 has no file \(the other shards have all 1\)/);
  });
  it('a path that does not exist stays an error', async () => {
    const r = await runEntry('lint', empty, { paths: 'no/such/dir' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::no such file or no match: no\/such\/dir$/m);
  });
});
