/**
 * The ShellCheck relay: pure mapping of scripts and positions, then the real
 * `shellcheck` binary (installed by scripts/install-test-deps.sh in CI).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig } from '../../src/core/config/types.js';
import { parseDockerfile } from '../../src/core/dockerfile/model.js';
import { lintFile } from '../../src/core/lint.js';
import rule from '../../src/core/rules/shellcheck.js';
import type { Rule } from '../../src/core/rules/types.js';
import { mapComments, shellcheckInputs } from '../../src/core/shellcheck.js';
import { balancedBatches, defaultCacheDir, runShellcheck, shellcheckAvailable } from '../../src/io/shellcheck.js';
import { loadShellParser } from '../../src/io/wasm.js';

beforeAll(loadShellParser);
const model = (code: string) => parseDockerfile('Dockerfile', code);

describe('which scripts ShellCheck sees', () => {
  it.each([
    ['shell-form RUN in sh', 'FROM a:1\nRUN echo hi', [['sh', 'echo hi']]],
    ['bash SHELL picks the dialect', 'FROM a:1\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN echo hi', [['bash', 'echo hi']]],
    ['exec form is skipped', 'FROM a:1\nRUN ["echo", "hi"]', []],
    ['powershell is skipped', 'FROM a:1\nSHELL ["pwsh", "-c"]\nRUN Get-Item x', []],
    ['heredoc body is the script', 'FROM a:1\nRUN <<EOF\nset -e\necho hi\nEOF', [['sh', 'set -e\necho hi\n']]],
    ['python heredoc is skipped', 'FROM a:1\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF', []]
  ])('%s', (_n, code, expected) => {
    expect(shellcheckInputs(model(code)).map((i) => [i.dialect, i.script.slice(i.script.indexOf('\n') + 1)])).toEqual(expected);
  });

  it('declares the ARG and ENV names the script uses, so they are not "unassigned"', () => {
    const [input] = shellcheckInputs(model('FROM a:1\nARG VERSION=1\nENV APP_HOME=/app OTHER=x\nRUN echo $VERSION ${APP_HOME}/bin'));
    expect(input.script.split('\n')[0]).toBe('export VERSION APP_HOME');
  });

  it('gives the same RUN body the same script whatever else the file declares (so it is checked once)', () => {
    const a = shellcheckInputs(model('FROM a:1\nARG V=1\nRUN make V=$V'))[0];
    const b = shellcheckInputs(model('FROM b:2\nARG UNRELATED=1\nENV X=2\nARG V=3\nRUN make V=$V'))[0];
    expect(a.script).toBe(b.script);
  });

  it.each([
    ['continuation: column picks the source line', 'FROM a:1\nRUN echo one && \\\n    cd /x', 2, 18, 3],
    ['continuation: first line', 'FROM a:1\nRUN echo one && \\\n    cd /x', 2, 1, 2],
    ['heredoc: body lines', 'FROM a:1\nRUN <<EOF\nset -e\ncd /x\nEOF', 3, 1, 4]
  ])('maps positions back to the Dockerfile: %s', (_n, code, scLine, scColumn, line) => {
    const m = model(code);
    const [input] = shellcheckInputs(m);
    const [c] = mapComments(m, input, [{ line: scLine, endLine: scLine, column: scColumn, level: 'warning', code: 2164, message: 'm' }]);
    expect(c.line).toBe(line);
  });
});

describe('relay into findings', () => {
  const external = (line: number, level: 'error' | 'warning' | 'info' | 'style') =>
    new Map([['Dockerfile', { shellcheck: new Map([[1, [{ line, endLine: line, column: 1, level, code: 2164, message: 'Use cd ... || exit' }]]]) }]]);
  const code = 'FROM a:1\nRUN cd /app; make';

  it.each([
    ['warning', 'warning'],
    ['error', 'error'],
    ['info', 'note'],
    ['style', 'note']
  ] as const)('level %s becomes severity %s with an SC rule id', (level, severity) => {
    const [f] = lintFile('Dockerfile', code, defaultConfig(), [rule as unknown as Rule], { external: external(2, level) }).findings;
    expect(f).toMatchObject({ ruleId: 'SC2164', severity, line: 2, help: 'https://www.shellcheck.net/wiki/SC2164', aliases: ['shellcheck'] });
  });

  it('a configured severity wins over ShellCheck level', () => {
    const config = defaultConfig();
    config.rules.shellcheck = { severity: 'error' };
    expect(lintFile('Dockerfile', code, config, [rule as unknown as Rule], { external: external(2, 'info') }).findings[0].severity).toBe('error');
  });

  it.each([
    ['# hadolint ignore=SC2164', 0],
    ['# container-guard ignore=shellcheck', 0],
    ['# container-guard ignore=SC2086', 1]
  ])('suppressed with %s', (pragma, count) => {
    const r = lintFile('Dockerfile', `FROM a:1\n${pragma}\nRUN cd /app; make`, defaultConfig(), [rule as unknown as Rule], {
      external: external(3, 'warning')
    });
    expect(r.findings).toHaveLength(count);
  });
});

describe('with the real shellcheck binary', () => {
  let available = false;
  beforeAll(async () => {
    available = await shellcheckAvailable();
    // CI installs shellcheck (scripts/install-test-deps.sh): there a missing binary is a failure, not a skip.
    if (!available && process.env.CI) throw new Error('shellcheck is not on PATH: run scripts/install-test-deps.sh');
  });

  it('finds SC2164 on the right Dockerfile line of a continued RUN and a heredoc, in one batch', async () => {
    if (!available) return console.warn('shellcheck not installed: skipped locally');
    const models = [
      parseDockerfile('a/Dockerfile', 'FROM alpine:3.20\nRUN apk add --no-cache make && \\\n    cd /src; make'),
      parseDockerfile('b/Dockerfile', 'FROM alpine:3.20\nRUN <<EOF\necho build\ncd /src\nmake\nEOF'),
      parseDockerfile('c/Dockerfile', 'FROM alpine:3.20\nARG VERSION=1\nRUN echo "$VERSION"')
    ];
    const results = await runShellcheck(models, { cacheDir: null });
    const codes = (file: string) => [...(results.get(file)?.shellcheck?.values() ?? [])].flat().map((c) => `SC${c.code}@${c.line}`);
    expect(codes('a/Dockerfile')).toEqual(['SC2164@3']);
    expect(codes('b/Dockerfile')).toEqual(['SC2164@4']);
    // $VERSION is declared by ARG, so no SC2154; the quoted use needs no SC2086.
    expect(results.has('c/Dockerfile')).toBe(false);
  });

  it("checks an identical script once and reports it in every file and instruction that has it, at each one's line", async () => {
    if (!available) return console.warn('shellcheck not installed: skipped locally');
    const body = 'RUN cd /src; make';
    const models = [
      parseDockerfile('x/Dockerfile', `FROM alpine:3.20\n${body}\nRUN echo ok\n${body}`),
      parseDockerfile('y/Dockerfile', `FROM alpine:3.20\nLABEL a=b\nARG UNUSED=1\n${body}`)
    ];
    const results = await runShellcheck(models, { cacheDir: null });
    const codes = (file: string) => [...(results.get(file)?.shellcheck?.values() ?? [])].flat().map((c) => `SC${c.code}@${c.line}`);
    expect(codes('x/Dockerfile')).toEqual(['SC2164@2', 'SC2164@4']);
    expect(codes('y/Dockerfile')).toEqual(['SC2164@4']);
  });
});

describe('the ShellCheck cache (by script hash, across runs)', () => {
  const models = () => [parseDockerfile('a/Dockerfile', 'FROM alpine:3.20\nRUN cd /src; make')];
  const codes = (r: Awaited<ReturnType<typeof runShellcheck>>) =>
    [...(r.get('a/Dockerfile')?.shellcheck?.values() ?? [])].flat().map((c) => `SC${c.code}:${c.message}`);
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-sc-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entries = () => fs.readdirSync(path.join(dir, 'shellcheck')).map((f) => path.join(dir, 'shellcheck', f));

  it('writes one entry per distinct script and answers the next run from it', async () => {
    if (!(await shellcheckAvailable())) return console.warn('shellcheck not installed: skipped locally');
    const first = codes(await runShellcheck(models(), { cacheDir: dir }));
    expect(first).toEqual([expect.stringMatching(/^SC2164:/)]);
    const [entry] = entries();
    expect(entries()).toHaveLength(1);
    // An entry with another message proves the second run read it instead of running ShellCheck.
    const stored = JSON.parse(fs.readFileSync(entry, 'utf8'));
    fs.writeFileSync(entry, JSON.stringify([{ ...stored[0], message: 'from the cache' }]));
    expect(codes(await runShellcheck(models(), { cacheDir: dir }))).toEqual(['SC2164:from the cache']);
  });

  it.each([
    ['not JSON', '{'],
    ['not a list of comments', '{"comments":[]}'],
    ['a comment of the wrong shape', '[{"line":"2","code":2164}]']
  ])('ignores a damaged entry (%s) and checks the script again', async (_n, damaged) => {
    if (!(await shellcheckAvailable())) return console.warn('shellcheck not installed: skipped locally');
    await runShellcheck(models(), { cacheDir: dir });
    fs.writeFileSync(entries()[0], damaged);
    expect(codes(await runShellcheck(models(), { cacheDir: dir }))).toEqual([expect.stringMatching(/^SC2164:Use 'cd/)]);
  });

  it.each([
    [{ CONTAINER_GUARD_CACHE_DIR: '/c' }, '/c'],
    [{ CONTAINER_GUARD_CACHE_DIR: 'off', HOME: '/h' }, undefined],
    [{ CONTAINER_GUARD_CACHE_DIR: '', HOME: '/h' }, undefined],
    [{ XDG_CACHE_HOME: '/x', HOME: '/h' }, '/x/container-guard'],
    [{ HOME: '/h' }, '/h/.cache/container-guard'],
    [{}, undefined]
  ])('cache directory from %j', (env, expected) => {
    expect(defaultCacheDir(env)).toBe(expected);
  });
});

describe('balancedBatches', () => {
  const item = (n: number) => ({ script: 'x'.repeat(n) });
  it.each([
    ['more cores than scripts', [5, 1], 4, [[5], [1]]],
    [
      'largest first onto the lightest batch',
      [1, 9, 4, 4, 2],
      2,
      [
        [9, 1],
        [4, 4, 2]
      ]
    ],
    ['one core', [3, 1, 2], 1, [[3, 2, 1]]],
    ['nothing to check', [], 2, []]
  ])('%s', (_n, sizes, cores, expected) => {
    expect(balancedBatches(sizes.map(item), cores).map((b) => b.map((i) => i.script.length))).toEqual(expected);
  });
});
