/** The bundled CLI (dist/cli/index.js) as users run it: exit codes, formats, errors, secrets. */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './helpers/corpus.js';
import { FAKE_TOKEN, makeTree } from './helpers/fixtures.js';

const CLI = path.join(REPO_ROOT, 'dist/cli/index.js');

function cli(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CLEAN = 'FROM alpine:3.20\nRUN apk add --no-cache curl=8.9.1-r0\nUSER 10001\nCMD ["sh"]\n';
const WARN_ONLY = 'FROM alpine:3.20\nUSER 10001\nCMD ["sh"]\nMAINTAINER x\nEXPOSE 8080\nFROM alpine\nUSER 1\nCMD ["x"]\n';
const WITH_ERROR = `FROM alpine:3.20\nENV GITHUB_TOKEN=${FAKE_TOKEN}\nUSER 1\nCMD ["sh"]\n`;

describe('container-guard lint exit codes', () => {
  it.each([
    ['clean file', { Dockerfile: CLEAN }, [], 0],
    ['error finding', { Dockerfile: WITH_ERROR }, [], 1],
    ['warnings below the default threshold', { Dockerfile: WARN_ONLY }, [], 0],
    ['warnings with --fail-on warning', { Dockerfile: WARN_ONLY }, ['--fail-on', 'warning'], 1],
    ['errors with --fail-on none', { Dockerfile: WITH_ERROR }, ['--fail-on', 'none'], 0],
    ['unreadable file among good ones', { Dockerfile: CLEAN, 'bin/Dockerfile': new Uint8Array([0, 1, 2, 3]) }, [], 2]
  ])('%s', (_n, files, args, code) => {
    const dir = makeTree(files as Record<string, string | Uint8Array>);
    expect(cli(dir, 'lint', ...(args as string[])).code).toBe(code);
  });
});

describe('usage and config errors: one clear line, exit 2, no stack trace', () => {
  it.each([
    ['bad config key', { Dockerfile: CLEAN, '.container-guard.yml': 'rules: {}\nlnit: {}\n' }, [], /\.container-guard\.yml:2: unknown key "lnit"/],
    ['unknown format', { Dockerfile: CLEAN }, ['--format', 'xml'], /unknown --format "xml"/],
    ['bad --fail-on', { Dockerfile: CLEAN }, ['--fail-on', 'critical'], /--fail-on: unknown severity "critical"/],
    ['missing path', { Dockerfile: CLEAN }, ['nope/Dockerfile'], /no such file or no match: nope\/Dockerfile/],
    ['bad shard', { Dockerfile: CLEAN }, ['--shard', '3/2'], /invalid shard "3\/2"/],
    ['missing config file', { Dockerfile: CLEAN }, ['--config', 'missing.yml'], /missing\.yml:1: cannot read config: ENOENT/],
    ['unknown option', { Dockerfile: CLEAN }, ['--frmat', 'json'], /Unknown option '--frmat'/]
  ])('%s', (_n, files, args, message) => {
    const r = cli(makeTree(files as Record<string, string>), 'lint', ...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('outputs', () => {
  const files = { 'a/Dockerfile': WITH_ERROR, 'b/Containerfile': WARN_ONLY, 'node_modules/x/Dockerfile': 'FROM x' };
  it('json is sorted by file, line, rule and skips node_modules', () => {
    const r = cli(makeTree(files), 'lint', '--format', 'json', '--fail-on', 'none');
    const out = JSON.parse(r.stdout) as { findings: { file: string; line: number; ruleId: string }[]; summary: { files: number } };
    expect(out.summary.files).toBe(2);
    const keys = out.findings.map((f) => [f.file, f.line, f.ruleId] as const);
    const sorted = [...keys].sort((x, y) => (x[0] !== y[0] ? (x[0] < y[0] ? -1 : 1) : x[1] !== y[1] ? x[1] - y[1] : x[2] < y[2] ? -1 : 1));
    expect(keys).toEqual(sorted);
    expect(new Set(out.findings.map((f) => f.file))).toEqual(new Set(['a/Dockerfile', 'b/Containerfile']));
  });
  it('no output format ever contains the secret', () => {
    const dir = makeTree(files);
    for (const format of ['text', 'json', 'sarif']) {
      const r = cli(dir, 'lint', '--format', format, '--fail-on', 'none');
      expect(r.stdout).toContain('ghp_****');
      expect(r.stdout + r.stderr).not.toContain(FAKE_TOKEN);
    }
  });
  it('--output writes the report and prints a one-line note', () => {
    const dir = makeTree(files);
    const r = cli(dir, 'lint', '--format', 'sarif', '-o', 'out/report.sarif', '--fail-on', 'none');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/wrote out\/report\.sarif/);
    const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'out/report.sarif'), 'utf8')) as { version: string; runs: unknown[] };
    expect(sarif.version).toBe('2.1.0');
    expect(fs.readdirSync(path.join(dir, 'out'))).toEqual(['report.sarif']);
  });
  it('--build-arg resolves ARG in FROM', () => {
    const dir = makeTree({ Dockerfile: 'ARG BASE\nFROM ${BASE}\nUSER 1\nCMD ["x"]\n' });
    const unresolved = JSON.parse(cli(dir, 'lint', '--format', 'json', '--fail-on', 'none').stdout) as { findings: { message: string }[] };
    expect(unresolved.findings.map((f) => f.message).join('\n')).toMatch(/FROM \$\{BASE\}: the base image is supplied by the build system/);
    const resolved = JSON.parse(cli(dir, 'lint', '--format', 'json', '--build-arg', 'BASE=alpine:latest', '--fail-on', 'none').stdout) as {
      findings: { message: string }[];
    };
    expect(resolved.findings.map((f) => f.message).join('\n')).toMatch(/alpine:latest/);
  });
});

describe('--shard K/N', () => {
  it('splits the files into disjoint shards that cover them all', () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 7; i++) tree[`svc${i}/Dockerfile`] = 'FROM alpine\n';
    const dir = makeTree(tree);
    const shards = [1, 2, 3].map((k) =>
      (JSON.parse(cli(dir, 'lint', '--shard', `${k}/3`, '--format', 'json', '--fail-on', 'none').stdout) as { findings: { file: string }[] }).findings.map(
        (f) => f.file
      )
    );
    const sets = shards.map((s) => [...new Set(s)].sort());
    expect(sets.map((s) => s.length).sort()).toEqual([2, 2, 3]);
    expect(sets.flat().sort()).toEqual(Object.keys(tree).sort());
  });
});

describe('rules', () => {
  it('lists every rule with aliases', () => {
    const r = cli(REPO_ROOT, 'rules', '--format', 'json');
    const rules = JSON.parse(r.stdout) as { id: string; aliases: string[] }[];
    expect(rules.find((x) => x.id === 'unpinned-base-image')?.aliases).toEqual(expect.arrayContaining(['DL3006', 'DL3007']));
    expect(rules.length).toBeGreaterThanOrEqual(33);
  });
});

describe('rules, explain and init', () => {
  const custom =
    'rules:\n  custom:\n    - id: org/oci-source-label\n      severity: warning\n      message: "The final stage must declare org.opencontainers.image.source"\n      when: { file: true }\n      require:\n        label: org.opencontainers.image.source\n';
  it('rules lists built-in, custom and plugin rules with CIS tags', () => {
    const dir = makeTree({
      '.container-guard.yml': `plugins: ["./p/*.mjs"]\n${custom}`,
      'p/x.mjs': "export default { meta: { id: 'team/x', title: 'team rule' }, check() {} };\n"
    });
    const list = JSON.parse(cli(dir, 'rules', '--format', 'json').stdout) as { id: string; cis: string[]; source: string }[];
    expect(list.find((r) => r.id === 'root-user')).toMatchObject({ cis: ['4.1'], source: 'built-in' });
    expect(list.find((r) => r.id === 'org/oci-source-label')).toMatchObject({ source: '.container-guard.yml' });
    expect(list.find((r) => r.id === 'team/x')).toMatchObject({ source: 'p/x.mjs' });
    expect(cli(dir, 'rules', '--format', 'markdown').stdout).toMatch(/\| \[`root-user`\]\(root-user\.md\) \| .* \| 4\.1 \|/);
  });
  it('explain prints a rule page by id or alias', () => {
    const r = cli(REPO_ROOT, 'explain', 'DL3002');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# root-user/);
    expect(r.stdout).toMatch(/CIS Docker Benchmark \| 4\.1 Ensure that a user for the container has been created/);
    expect(cli(REPO_ROOT, 'explain', 'nope').stderr).toMatch(/no rule "nope"/);
  });
  it('init writes a commented config and a workflow from the repository, then refuses to overwrite', () => {
    const dir = makeTree({ 'api/Dockerfile': 'FROM ghcr.io/acme/base:1\n', 'web/Dockerfile': 'FROM node:22\nFROM gcr.io/distroless/nodejs22:nonroot\n' });
    const r = cli(dir, 'init');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 Dockerfile\(s\); registries in use: docker\.io, gcr\.io, ghcr\.io/);
    const config = fs.readFileSync(path.join(dir, '.container-guard.yml'), 'utf8');
    expect(config).toMatch(/registries: \["docker\.io", "gcr\.io", "ghcr\.io"\]/);
    expect(fs.existsSync(path.join(dir, '.github/workflows/container-guard.yml'))).toBe(true);
    // The starter config is valid: linting with it works.
    expect(cli(dir, 'lint', '--fail-on', 'none').code).toBe(0);
    const again = cli(dir, 'init');
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*--force/);
  });
});

describe('comment --dry-run', () => {
  it('prints the exact body and the review comments it would post, without a token', () => {
    const dir = makeTree({
      'app/Dockerfile': 'FROM ubuntu\nMAINTAINER ops@example.com\n',
      'pr.diff':
        'diff --git a/app/Dockerfile b/app/Dockerfile\nnew file mode 100644\n--- /dev/null\n+++ b/app/Dockerfile\n@@ -0,0 +1,2 @@\n+FROM ubuntu\n+MAINTAINER ops@example.com\n'
    });
    expect(cli(dir, 'lint', '--format', 'json', '-o', 'lint.json', '--fail-on', 'none', '--shellcheck', 'off').code).toBe(0);
    const r = cli(dir, 'comment', '--findings', 'lint.json', '--dry-run', '--diff', 'pr.diff', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { body: string; review: { comments: { path: string; line: number; body: string }[] } };
    expect(out.body.split('\n')[0]).toBe('<!-- container-guard:sticky:container-guard -->');
    expect(out.review.comments.map((c) => `${c.path}:${c.line}`)).toEqual(expect.arrayContaining(['app/Dockerfile:1', 'app/Dockerfile:2']));
    // MAINTAINER carries a fix: the review comment suggests it.
    expect(out.review.comments.find((c) => c.line === 2)?.body).toMatch(/```suggestion\nLABEL org\.opencontainers\.image\.authors="ops@/);
    expect(cli(dir, 'comment', '--findings', 'lint.json').stderr).toMatch(/use --dry-run/);
    expect(cli(dir, 'comment', '--findings', 'nope.json', '--dry-run').code).toBe(2);
  });
});
