/** The bundled action entry points run as GitHub runs them: INPUT_* env, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { runAction } from './helpers/actions.js';
import { FAKE_TOKEN, makeTree } from './helpers/fixtures.js';

const INSECURE = `FROM ubuntu\nENV GITHUB_TOKEN=${FAKE_TOKEN}\nRUN curl -fsSL https://x.example/i.sh | sh\n`;

describe('lint action', () => {
  it('annotates, writes outputs, SARIF, findings and summary, and fails on errors', () => {
    const ws = makeTree({ 'app/Dockerfile': INSECURE, 'ok/Dockerfile': 'FROM alpine:3.20\nUSER 1\nCMD ["x"]\n' });
    const r = runAction('lint', ws, { paths: '', 'fail-on': 'error', 'sarif-file': 'out/cg.sarif', 'findings-file': 'out/findings.json' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error title=[^,]*\(secret-in-env\),file=app\/Dockerfile,line=2,/);
    expect(r.stdout).toMatch(/::error::\d+ finding\(s\) at or above "error"/);
    expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(2);
    expect(Number(r.outputs.files)).toBe(2);
    expect(r.outputs['sarif-file']).toBe('out/cg.sarif');
    const findings = JSON.parse(fs.readFileSync(path.join(ws, 'out/findings.json'), 'utf8')) as { findings: { ruleId: string }[] };
    expect(findings.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(['secret-in-env', 'curl-pipe-shell', 'unpinned-base-image']));
    expect(JSON.parse(fs.readFileSync(path.join(ws, 'out/cg.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(r.summary).toMatch(/\| *error *\|/i);
    // The secret is masked everywhere the action writes.
    for (const text of [
      r.stdout,
      r.summary,
      fs.readFileSync(path.join(ws, 'out/cg.sarif'), 'utf8'),
      fs.readFileSync(path.join(ws, 'out/findings.json'), 'utf8')
    ]) {
      expect(text).not.toContain(FAKE_TOKEN);
    }
  });

  it('passes with fail-on none and lints only its shard', () => {
    const ws = makeTree({ 'a/Dockerfile': INSECURE, 'b/Dockerfile': INSECURE, 'c/Dockerfile': INSECURE });
    const r = runAction('lint', ws, { shard: '2/3', 'fail-on': 'none' });
    expect(r.code).toBe(0);
    expect(r.outputs.files).toBe('1');
    expect(r.stdout).toMatch(/file=b\/Dockerfile/);
    expect(r.stdout).not.toMatch(/file=a\/Dockerfile/);
  });

  it('a bad config fails the step with file:line and no stack trace', () => {
    const ws = makeTree({ Dockerfile: 'FROM alpine:3.20\n', 'ci/cg.yml': 'rules:\n  no-such-rule: off\n' });
    const r = runAction('lint', ws, { config: 'ci/cg.yml' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::ci\/cg\.yml:2: unknown rule "no-such-rule"/);
    expect(r.stdout).not.toMatch(/\n\s+at /);
  });

  it('build-args input resolves FROM ARGs', () => {
    const ws = makeTree({ Dockerfile: 'ARG BASE\nFROM ${BASE}\nUSER 1\nCMD ["x"]\n' });
    const r = runAction('lint', ws, { 'build-args': 'BASE=nginx', 'fail-on': 'none', 'findings-file': 'f.json' });
    const msgs = (JSON.parse(fs.readFileSync(path.join(ws, 'f.json'), 'utf8')) as { findings: { message: string }[] }).findings
      .map((f) => f.message)
      .join('\n');
    expect(r.code).toBe(0);
    expect(msgs).toMatch(/Base image nginx \(from \$\{BASE\}\) has no tag/);
  });
});

describe('umbrella action', () => {
  it('runs lint by default', () => {
    const ws = makeTree({ Dockerfile: INSECURE });
    const r = runAction('main', ws, { 'fail-on': 'none' });
    expect(r.code).toBe(0);
    expect(Number(r.outputs.total)).toBeGreaterThan(0);
  });
  it.each([
    ['verify', /nothing to verify: set images, images-file or dockerfiles/],
    ['deploy', /::error::input command: "deploy" is not one of lint, verify, gate, comment/]
  ])('command %s without what it needs fails clearly', (command, message) => {
    const r = runAction('main', makeTree({ Dockerfile: 'FROM alpine:3.20\n' }), { command });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(message);
  });
});
