// `--fail-on none` means findings never change the exit code (issue 10 item 5): parse errors and bounds hit are
// findings; exit 2 is left for usage, config and files whose text could not be had. The CLI runs in-process
// from the sources (the bundled CLI is tested in cli.test.ts).
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli.js';
import { makeTree } from '../helpers/fixtures.js';

const CLEAN = 'FROM alpine:3.20\nUSER 10001\nCMD ["sh"]\n';
// Linted in every run next to the bad file: its one finding proves it was.
const WARN = 'FROM alpine:3.20\nUSER 10001\nMAINTAINER me\nCMD ["sh"]\n';
const NESTED = 'FROM alpine:3.20\nARG V=' + '${V:-'.repeat(3500) + 'x' + '}'.repeat(3500) + '\nUSER 1\nCMD ["sh"]\n';

let out: jest.SpiedFunction<typeof process.stdout.write>;
let err: jest.SpiedFunction<typeof process.stderr.write>;
const cwd = process.cwd();
beforeAll(() => {
  out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  out.mockRestore();
  err.mockRestore();
  process.chdir(cwd);
});

async function lint(files: Record<string, string | Uint8Array>, ...args: string[]): Promise<{ code: number; ruleIds: string[]; files: string[] }> {
  process.chdir(makeTree({ '.container-guard.yml': 'lint:\n  shellcheck: off\n', ...files }));
  out.mockClear();
  const code = await main(['lint', '--format', 'json', ...args]);
  const report = JSON.parse(out.mock.calls.map((c: unknown[]) => String(c[0])).join('')) as { findings: { ruleId: string; file: string }[]; files: string[] };
  return { code, ruleIds: report.findings.map((f) => f.ruleId), files: [...new Set(report.findings.map((f) => f.file))] };
}

describe('exit codes of lint', () => {
  it.each([
    ['an unknown flag (parse-error)', 'FROM alpine:3.20\nCOPY --chmodd=755 a /a\nUSER 1\nCMD ["sh"]\n', 'parse-error'],
    ['ENV with no value (parse-error)', 'FROM alpine:3.20\nENV DEBUG\nUSER 1\nCMD ["sh"]\n', 'parse-error'],
    ['an empty file (parse-error)', '', 'parse-error'],
    ['a bound hit (limit-exceeded)', NESTED, 'limit-exceeded']
  ])('%s: exit 1 at --fail-on error, 0 at --fail-on none, and the other file is still linted', async (_n, text, ruleId) => {
    const files = { 'bad/Dockerfile': text, 'good/Dockerfile': WARN };
    const strict = await lint(files);
    expect(strict.code).toBe(1);
    expect(strict.ruleIds).toContain(ruleId);
    expect(strict.files).toEqual(['bad/Dockerfile', 'good/Dockerfile']);
    const none = await lint(files, '--fail-on', 'none');
    expect(none.code).toBe(0);
    expect(none.ruleIds).toContain(ruleId);
  });

  it.each([
    ['a binary file', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])],
    ['invalid UTF-8', new Uint8Array([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xc3, 0x28, 10])],
    ['a file over the size limit', new TextEncoder().encode('FROM a:1\n' + '#'.repeat(3 * 1024 * 1024))]
  ])('%s could not be read as a Dockerfile: exit 2 even at --fail-on none', async (_n, content) => {
    const r = await lint({ 'bad/Dockerfile': content, 'good/Dockerfile': CLEAN }, '--fail-on', 'none');
    expect(r.code).toBe(2);
  });

  it('a file over the size limit is not read; it is named in a limit-exceeded finding with its size', async () => {
    const r = await lint(
      { 'big/Dockerfile': new TextEncoder().encode('FROM a:1\n' + '#'.repeat(5 * 1024 * 1024)), 'good/Dockerfile': WARN },
      '--fail-on',
      'none'
    );
    expect(r.code).toBe(2);
    expect(r.ruleIds).toContain('limit-exceeded');
    expect(r.files).toEqual(['big/Dockerfile', 'good/Dockerfile']);
  });

  it('a FIFO named Dockerfile is unreadable (exit 2), never waited on', async () => {
    const dir = makeTree({ '.container-guard.yml': 'lint:\n  shellcheck: off\n', 'good/Dockerfile': WARN });
    fs.mkdirSync(path.join(dir, 'pipe'));
    expect(spawnSync('mkfifo', [path.join(dir, 'pipe', 'Dockerfile')]).status).toBe(0);
    process.chdir(dir);
    err.mockClear();
    expect(await main(['lint', '--format', 'json', '--fail-on', 'none', 'pipe/Dockerfile', 'good/Dockerfile'])).toBe(2);
    expect(err.mock.calls.map((c: unknown[]) => String(c[0])).join('')).not.toMatch(/\n\s+at /);
  });

  it('a clean run exits 0', async () => {
    expect((await lint({ Dockerfile: CLEAN })).code).toBe(0);
  });
});
