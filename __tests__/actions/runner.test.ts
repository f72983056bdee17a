/**
 * What the runner shows: annotations point only at real files, the umbrella action declares every output
 * a command writes, and the recommended lint → gate → comment job stays under GitHub's 50 annotations per
 * job with no duplicate. Bundled entry points, runner emulation, real webhook payloads, the GitHub stand-in.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import { REPO_ROOT } from '../helpers/corpus.js';
import { makeTree } from '../helpers/fixtures.js';
import { loadWebhookExample, pullRequestSeedFromEvent, startGitHubApi, type GitHubApi } from '../helpers/github-api.js';
import { RUNTIMES } from '../helpers/node-runtimes.js';
import { runEntry, type Annotation } from './run.js';

const TRIVY = fs.readFileSync(path.join(REPO_ROOT, 'examples/gate/trivy-api.json'), 'utf8');

/** The example Trivy report with `n` distinct vulnerabilities (copies of its own, renumbered). */
function bigTrivy(n: number): string {
  const doc = JSON.parse(TRIVY) as { Results: { Vulnerabilities: Record<string, unknown>[] }[] };
  const vulns = doc.Results[0]!.Vulnerabilities;
  doc.Results[0]!.Vulnerabilities = Array.from({ length: n }, (_, i) => ({
    ...vulns[i % vulns.length]!,
    VulnerabilityID: `CVE-2099-${1000 + i}`,
    PkgName: `pkg${i}`
  }));
  return JSON.stringify(doc);
}

/** A Dockerfile with many findings of every level. */
const NOISY = (i: number) =>
  `FROM ubuntu\nMAINTAINER ops${i}@example.com\nRUN apt-get update\nRUN apt-get install curl\nRUN cd /tmp && curl -fsSL https://x.example/i.sh | sh\nRUN sudo chmod 777 /tmp\nADD app.tar.gz /app\nEXPOSE 22\nCMD node server.js\n`;

const located = (a: Annotation) => a.props.file !== undefined;
const declaredOutputs = (file: string) =>
  (yaml.load(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as { outputs: Record<string, { description: string }> }).outputs;

describe.each(RUNTIMES)('the runner view (%s)', (_label, node) => {
  it('gate findings about an image carry no file=, and the message names the image', async () => {
    const ws = makeTree({ 'trivy.json': TRIVY });
    const r = await runEntry('gate', ws, { reports: 'trivy.json', 'fail-on': 'none' }, { node });
    expect(r.code).toBe(0);
    const findings = r.annotations.filter((a) => a.props.title?.startsWith('container-guard gate: CVE-'));
    expect(findings.length).toBeGreaterThan(0);
    for (const a of findings) {
      expect(located(a)).toBe(false);
      expect(a.message.startsWith('ghcr.io/acme/api:1.4.2 (debian 12.7): ')).toBe(true);
    }
    expect(r.stdout).not.toMatch(/file=ghcr\.io/);
  });

  it.each([
    ['without a config file', {}],
    ['with a .container-guard.yml', { '.container-guard.yml': 'verify:\n  default: { require: [digest] }\n' }]
  ])('verify: references from the images input are not annotated against a file (%s)', async (_name, extra) => {
    const ws = makeTree({ ...extra, 'README.md': 'x' });
    const r = await runEntry('verify', ws, { images: '127.0.0.1:1/team/app:1.0' }, { node });
    expect(r.code).toBe(1);
    const findings = r.annotations.filter((a) => a.props.title?.startsWith('container-guard verify/'));
    expect(findings).toHaveLength(1);
    expect(located(findings[0]!)).toBe(false);
    expect(findings[0]!.message).toMatch(/^images input: 127\.0\.0\.1:1\/team\/app:1\.0: /);
    expect(r.stdout).not.toMatch(/file=\.container-guard\.yml/);
    expect(r.outputs).toMatchObject({ verified: '0', failed: '1' });
  });

  it('the comment action annotates findings without a real file with no file=', async () => {
    const ws = makeTree({
      'app/Dockerfile': 'FROM ubuntu\n',
      'f.json': JSON.stringify({
        findings: [
          { ruleId: 'root-user', severity: 'error', file: 'app/Dockerfile', line: 1, message: 'real file', help: '' },
          { ruleId: 'CVE-1', severity: 'error', file: 'ghcr.io/acme/api:1 (debian 12)', line: 1, message: 'an image', help: '' },
          { ruleId: 'x', severity: 'warning', file: 'gone/Dockerfile', line: 3, message: 'a file that is not there', help: '' },
          { ruleId: 'y', severity: 'warning', file: '../../etc/passwd', line: 1, message: 'outside', help: 'https://evil.example/x' }
        ]
      })
    });
    const r = await runEntry('comment', ws, { 'findings-files': 'f.json', 'github-token': '' }, { node });
    expect(r.code).toBe(0);
    const get = (text: string) => r.annotations.find((a) => a.message.includes(text))!;
    expect(get('real file').props).toMatchObject({ file: 'app/Dockerfile', line: '1' });
    expect(get('real file').message).toBe('real file');
    for (const [text, label] of [
      ['an image', 'ghcr.io/acme/api:1 (debian 12)'],
      ['a file that is not there', 'gone/Dockerfile'],
      ['outside', '../../etc/passwd']
    ]) {
      expect(located(get(text!))).toBe(false);
      expect(get(text!).message).toBe(`${label}: ${text}`);
    }
    expect(r.stdout).not.toContain('evil.example');
  });

  it('the umbrella action declares every output a command writes, as the command action.yml does', async () => {
    const umbrella = declaredOutputs('action.yml');
    const ws = makeTree({ Dockerfile: 'FROM alpine:3.20\nUSER 1\n', 'trivy.json': TRIVY, 'f.json': '{"findings": []}' });
    const runs = {
      lint: await runEntry('main', ws, { command: 'lint', 'fail-on': 'none', 'findings-file': 'l.json', 'sarif-file': 'l.sarif' }, { node }),
      gate: await runEntry(
        'main',
        ws,
        { command: 'gate', reports: 'trivy.json', 'fail-on': 'none', 'findings-file': 'g.json', 'sarif-file': 'g.sarif' },
        { node }
      ),
      verify: await runEntry('main', ws, { command: 'verify', images: '127.0.0.1:1/a:1', 'findings-file': 'v.json' }, { node }),
      comment: await runEntry('main', ws, { command: 'comment', 'findings-files': 'f.json', 'github-token': '' }, { node })
    };
    for (const [command, r] of Object.entries(runs)) {
      const own = declaredOutputs(`${command}/action.yml`);
      expect([command, Object.keys(r.outputs).sort()]).toEqual([command, Object.keys(own).sort()]);
      for (const name of Object.keys(r.outputs)) expect([command, name, name in umbrella]).toEqual([command, name, true]);
    }
    // Counts are numbers, and the descriptions say so.
    expect(runs.verify.outputs).toMatchObject({ verified: '0', failed: '1' });
    expect(umbrella.verified!.description).toMatch(/number of image references/i);
    expect(umbrella.failed!.description).toMatch(/number of image references/i);
    for (const s of ['critical', 'high', 'medium', 'low', 'unknown']) expect(runs.gate.outputs[s]).toMatch(/^\d+$/);
    expect(runs.comment.outputs.findings).toBe('0');
  });

  it('every output set in src/actions is declared by the umbrella action', () => {
    const umbrella = declaredOutputs('action.yml');
    const dir = path.join(REPO_ROOT, 'src/actions');
    const names = fs.readdirSync(dir).flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/setOutput\('([\w-]+)'/g)].map((m) => m[1]!));
    expect(names.length).toBeGreaterThan(15);
    for (const n of names) expect([n, n in umbrella]).toEqual([n, true]);
  });
});

describe.each(RUNTIMES)('the recommended lint → gate → comment job (%s)', (_label, node) => {
  let api: GitHubApi;
  beforeAll(async () => {
    api = await startGitHubApi({ token: 'ghs_recipe' });
  });
  afterAll(async () => {
    expect(api.violations).toEqual([]);
    await api.close();
  });

  it('stays under 50 annotations with no duplicate; a later job annotates what it did not write itself', async () => {
    const payload = loadWebhookExample('pull_request.opened');
    const pr = pullRequestSeedFromEvent(payload);
    if (!api.state.repos.get(`${pr.owner}/${pr.repo}`.toLowerCase())?.issues.has(pr.number)) api.addPullRequest({ ...pr, files: [] });
    const files: Record<string, string> = { 'trivy.json': bigTrivy(40) };
    for (let i = 0; i < 12; i++) files[`svc${i}/Dockerfile`] = NOISY(i);
    const ws = makeTree(files);
    const job = { ...api.actionEnv({ payload, eventName: 'pull_request' }), GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_JOB: 'guard' };
    const lint = await runEntry('lint', ws, { 'findings-file': 'findings/lint.json', shellcheck: 'off' }, { node, env: job });
    const gate = await runEntry('gate', ws, { reports: 'trivy.json', 'fail-on': 'high', 'findings-file': 'findings/gate.json' }, { node, env: job });
    const comment = await runEntry(
      'comment',
      ws,
      { 'findings-files': 'findings/*.json', 'github-token': 'ghs_recipe', mode: 'summary', 'fail-on': 'error' },
      { node, env: job }
    );
    expect([lint.code, gate.code, comment.code]).toEqual([1, 1, 1]);
    const merged = Number(comment.outputs.findings);
    expect(merged).toBeGreaterThan(100);
    const all = [...lint.annotations, ...gate.annotations, ...comment.annotations];
    expect(all.length).toBeLessThan(50);
    const keys = all.map((a) => JSON.stringify([a.level, a.props.file, a.props.line, a.message]));
    expect(new Set(keys).size).toBe(keys.length);
    // GitHub's per-step limit: at most 10 per level per step.
    for (const step of [lint, gate, comment])
      for (const level of ['error', 'warning', 'notice']) expect(step.annotations.filter((a) => a.level === level).length).toBeLessThanOrEqual(10);
    // The comment step annotated nothing the earlier steps already did: only its failure line.
    expect(comment.annotations.map((a) => a.message)).toEqual([expect.stringMatching(/finding\(s\) at or above "error"$/)]);
    expect(comment.stdout).toMatch(new RegExp(`${merged} finding\\(s\\) were already annotated by an earlier step of this job`));

    // The same files in another job (a fork's artifact, a matrix's comment job): the comment step annotates them.
    const other = await runEntry('comment', ws, { 'findings-files': 'findings/*.json', 'github-token': '' }, { node, env: { ...job, GITHUB_JOB: 'comment' } });
    expect(other.code).toBe(0);
    const annotated = other.annotations.filter((a) => a.props.title !== undefined);
    expect(annotated.length).toBe(8);
    expect(other.stdout).toMatch(/more findings not shown as annotations/);
  });
});
