/**
 * Every bundled entry point on every runtime it is meant for: the actions declare `node24`, and the
 * CLI supports Node 20 (package.json engines). Each runs as the runner runs it and must give the
 * same results on both — including the ShellCheck pass and the tree-sitter grammar, whose V8 flags
 * differ between the two (src/io/wasm.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from './helpers/actions.js';
import { REPO_ROOT } from './helpers/corpus.js';
import { FAKE_TOKEN, makeTree } from './helpers/fixtures.js';
import { NODE24, RUNTIMES } from './helpers/node-runtimes.js';

const DOCKERFILE = `FROM ubuntu\nENV GITHUB_TOKEN=${FAKE_TOKEN}\nRUN cd /src; curl -fsSL https://x.example/i.sh | sh\n`;

it('the Node 24 runtime is what the actions declare', () => {
  expect(spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./);
  for (const dir of ['.', 'lint', 'gate', 'verify', 'comment']) {
    expect(fs.readFileSync(path.join(REPO_ROOT, dir, 'action.yml'), 'utf8')).toMatch(/using: ['"]?node24/);
  }
});

describe.each(RUNTIMES)('%s', (_label, node) => {
  it('lint action: findings, outputs and the ShellCheck pass', () => {
    const ws = makeTree({ 'app/Dockerfile': DOCKERFILE });
    const r = runAction(
      'lint',
      ws,
      { 'fail-on': 'none', shellcheck: 'on', 'findings-file': 'findings.json' },
      { node, env: { CONTAINER_GUARD_CACHE_DIR: 'off' } }
    );
    expect(r.code).toBe(0);
    expect(r.outputs.files).toBe('1');
    const ids = (JSON.parse(fs.readFileSync(path.join(ws, 'findings.json'), 'utf8')) as { findings: { ruleId: string; line: number }[] }).findings.map(
      (f) => `${f.ruleId}@${f.line}`
    );
    expect(ids).toEqual(expect.arrayContaining(['secret-in-env@2', 'curl-pipe-shell@3', 'SC2164@3']));
    expect(r.stdout).not.toContain(FAKE_TOKEN);
  });

  it('gate action on the bundled example report', () => {
    const ws = makeTree({});
    fs.cpSync(path.join(REPO_ROOT, 'examples', 'gate'), path.join(ws, 'gate'), { recursive: true });
    const r = runAction('gate', ws, { reports: 'gate/trivy-api.json', 'fail-on': 'critical' }, { node });
    expect(r.outputs.passed).toMatch(/^(true|false)$/);
    expect(r.code).toBe(r.outputs.passed === 'true' ? 0 : 1);
    expect(Number(r.outputs.critical) + Number(r.outputs.high)).toBeGreaterThan(0);
  });

  it('CLI: rules and verify-bundle on the offline Sigstore example', () => {
    const cli = path.join(REPO_ROOT, 'dist', 'cli', 'index.js');
    const rules = spawnSync(node, [cli, 'rules', '--format', 'json'], { encoding: 'utf8' });
    expect(rules.status).toBe(0);
    expect((JSON.parse(rules.stdout) as unknown[]).length).toBeGreaterThan(40);
    const v = path.join(REPO_ROOT, 'examples', 'verify');
    const args = [
      '--certificate-oidc-issuer',
      'https://token.actions.githubusercontent.com',
      '--trusted-root',
      path.join(v, 'trusted_root.json'),
      path.join(v, 'release.txt')
    ];
    const bundle = ['verify-bundle', '--bundle', path.join(v, 'release.txt.sigstore.json')];
    const good = 'https://github.com/acme/api/.github/workflows/release.yml@refs/heads/main';
    expect(spawnSync(node, [cli, ...bundle, '--certificate-identity', good, ...args], { encoding: 'utf8' }).status).toBe(0);
    expect(spawnSync(node, [cli, ...bundle, '--certificate-identity', good.replace('acme', 'evil'), ...args], { encoding: 'utf8' }).status).toBe(1);
  });
});
