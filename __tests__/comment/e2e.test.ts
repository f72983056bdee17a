/**
 * End to end: the bundled lint, gate and comment entry points run as child processes
 * with the environment GitHub sets, against a local GitHub API that validates every
 * request and response against GitHub's OpenAPI description, with real recorded
 * webhook payloads. Assertions are on what the server holds afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';
import { makeTree } from '../helpers/fixtures.js';
import { loadWebhookExample, pullRequestSeedFromEvent, startGitHubApi, type GitHubApi } from '../helpers/github-api.js';

const DOCKERFILE = 'FROM ubuntu\nRUN apt-get update\nRUN curl -fsSL https://x.example/i.sh | sh\nMAINTAINER ops@example.com\n';
const PATCH = '@@ -0,0 +1,4 @@\n+FROM ubuntu\n+RUN apt-get update\n+RUN curl -fsSL https://x.example/i.sh | sh\n+MAINTAINER ops@example.com';
const TOKEN = 'ghs_e2eTestToken';

interface Run {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

function runEntry(entry: string, ws: string, env: Record<string, string>, inputs: Record<string, string>): Promise<Run> {
  const output = fs.mkdtempSync(path.join(ws, '.out-'));
  const outFile = path.join(output, 'output');
  const summary = path.join(output, 'summary');
  fs.writeFileSync(outFile, '');
  fs.writeFileSync(summary, '');
  const full: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: ws, GITHUB_OUTPUT: outFile, GITHUB_STEP_SUMMARY: summary, ...env };
  for (const [k, v] of Object.entries(inputs)) full[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', entry, 'index.js')], { cwd: ws, env: full });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('close', (code) => {
      const outputs: Record<string, string> = {};
      for (const m of fs.readFileSync(outFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]] = m[3];
      resolve({ code, stdout, outputs, summary: fs.readFileSync(summary, 'utf8') });
    });
  });
}

describe('lint → gate → comment on a pull request', () => {
  let api: GitHubApi;
  let ws: string;
  let env: Record<string, string>;
  let pr: ReturnType<typeof pullRequestSeedFromEvent>;

  async function setup(options: { readOnly?: boolean } = {}) {
    api = await startGitHubApi({ token: TOKEN, readOnly: options.readOnly });
    const payload = loadWebhookExample('pull_request.opened');
    pr = pullRequestSeedFromEvent(payload);
    api.addPullRequest({ ...pr, files: [{ filename: 'app/Dockerfile', status: 'added', patch: PATCH }] });
    ws = makeTree({ 'app/Dockerfile': DOCKERFILE, 'trivy.json': fs.readFileSync(path.join(REPO_ROOT, 'examples/gate/trivy-api.json')) });
    env = { ...api.actionEnv({ payload, eventName: 'pull_request' }), HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '' };
    const lint = await runEntry('lint', ws, env, { 'fail-on': 'none', 'findings-file': 'lint.json', shellcheck: 'off' });
    expect(lint.code).toBe(0);
    const gate = await runEntry('gate', ws, env, { reports: 'trivy.json', 'findings-file': 'gate.json' });
    expect(gate.code).toBe(1);
  }
  const comment = (inputs: Record<string, string> = {}) =>
    runEntry('comment', ws, env, { 'findings-files': 'lint.json gate.json', 'github-token': TOKEN, 'sarif-file': 'merged.sarif', ...inputs });
  const held = () => api.pullRequest(pr.owner, pr.repo, pr.number);

  afterEach(async () => {
    expect(api.violations).toEqual([]);
    await api.close();
  });

  describe('with write permission', () => {
    beforeEach(() => setup());

    it('posts one sticky comment, review comments on added lines, annotations, summary and merged SARIF', async () => {
      const r = await comment();
      expect(r.code).toBe(0);
      const state = held();
      expect(state.comments).toHaveLength(1);
      const body = state.comments[0].body;
      expect(body.split('\n')[0]).toBe('<!-- container-guard:sticky:container-guard -->');
      expect(body).toMatch(/\| lint \|/);
      expect(body).toMatch(/\| gate \|/);
      expect(body).toContain('CVE-2024-45490');
      expect(r.outputs['comment-id']).toBe(String(state.comments[0].id));
      const reviewLines = state.reviewComments.map((c) => `${c.path}:${c.line}`).sort();
      expect(reviewLines).toEqual(expect.arrayContaining(['app/Dockerfile:1', 'app/Dockerfile:2', 'app/Dockerfile:3', 'app/Dockerfile:4']));
      expect(Number(r.outputs['posted-review-comments'])).toBe(state.reviewComments.length);
      expect(state.reviews).toHaveLength(1);
      expect(r.stdout).toMatch(/::error title=[^:]*curl-pipe-shell[^:]*,file=app\/Dockerfile,line=3/);
      expect(r.summary).toMatch(/container-guard/);
      const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'merged.sarif'), 'utf8')) as { runs: { automationDetails?: { id?: string } }[] };
      expect(sarif.runs.map((run) => run.automationDetails?.id).sort()).toEqual(['container-guard/gate/', 'container-guard/lint/']);
    });

    it('a findings file whose tool is "lint/" shares its SARIF run with "lint" instead of failing the merge', async () => {
      const slash = { findings: [{ ruleId: 'x', severity: 'note', file: 'app/Dockerfile', line: 1, column: 1, message: 'm', tool: 'lint/' }] };
      fs.writeFileSync(path.join(ws, 'slash.json'), JSON.stringify(slash));
      const r = await comment({ 'findings-files': 'lint.json gate.json slash.json' });
      expect(r.stdout).not.toMatch(/internal error|mergeSarif/);
      expect(r.code).toBe(0);
      const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'merged.sarif'), 'utf8')) as { runs: { automationDetails?: { id?: string } }[] };
      expect(sarif.runs.map((run) => run.automationDetails?.id).sort()).toEqual(['container-guard/gate/', 'container-guard/lint/']);
    });

    it('a re-run updates in place and posts no duplicate review comment', async () => {
      await comment();
      const first = held();
      const reviewCount = first.reviewComments.length;
      const id = first.comments[0].id;
      const again = await comment();
      expect(again.code).toBe(0);
      const state = held();
      expect(state.comments.map((c) => c.id)).toEqual([id]);
      expect(state.reviewComments).toHaveLength(reviewCount);
      expect(again.outputs['posted-review-comments']).toBe('0');
    });

    it('two runs racing leave exactly one sticky comment', async () => {
      api.setLatency(({ method }) => (method === 'GET' ? 150 : 10));
      await Promise.all([comment({ mode: 'summary' }), comment({ mode: 'summary' })]);
      api.setLatency(0);
      // A third run cleans up whatever the race left: one comment, whatever happened.
      await comment({ mode: 'summary' });
      expect(held().comments.filter((c) => c.body.startsWith('<!-- container-guard:sticky:container-guard -->'))).toHaveLength(1);
    });

    it('retries a secondary rate limit honouring retry-after', async () => {
      api.failNext(1, { status: 403, retryAfter: 1, rateLimit: 'secondary', match: { method: 'POST' } });
      const r = await comment({ mode: 'summary' });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/retrying in 1s/);
      expect(held().comments).toHaveLength(1);
    });

    it('with nothing left, updates the sticky comment to all clear (or deletes it)', async () => {
      await comment({ mode: 'summary' });
      fs.writeFileSync(path.join(ws, 'empty.json'), JSON.stringify({ findings: [], summary: {} }));
      const cleared = await runEntry('comment', ws, env, { 'findings-files': 'empty.json', 'github-token': TOKEN, mode: 'summary' });
      expect(cleared.code).toBe(0);
      expect(held().comments).toHaveLength(1);
      expect(held().comments[0].body).toMatch(/all clear/i);
      await runEntry('comment', ws, env, { 'findings-files': 'empty.json', 'github-token': TOKEN, mode: 'summary', 'all-clear': 'delete' });
      expect(held().comments).toHaveLength(0);
    });

    it('fail-on makes the comment step the single gate', async () => {
      const r = await comment({ 'fail-on': 'error', mode: 'summary' });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/::error::\d+ finding\(s\) at or above "error"/);
    });
  });

  describe('workflow_run (the fork PR pattern)', () => {
    beforeEach(() => setup());
    it('comments on the PR whose number was handed over', async () => {
      const run = loadWebhookExample('workflow_run.completed');
      const wrEnv = {
        ...env,
        ...api.actionEnv({
          payload: {
            ...run,
            // The triggering run built this PR's head (same repository).
            workflow_run: {
              ...run.workflow_run,
              event: 'pull_request',
              head_sha: pr.headSha,
              head_branch: pr.headRef ?? '',
              head_repository: { ...run.workflow_run.head_repository, full_name: `${pr.owner}/${pr.repo}` }
            },
            repository: { ...run.repository, name: pr.repo, full_name: `${pr.owner}/${pr.repo}`, owner: { ...run.repository.owner, login: pr.owner } }
          },
          eventName: 'workflow_run'
        })
      };
      const r = await runEntry('comment', ws, wrEnv, {
        'findings-files': 'lint.json gate.json',
        'github-token': TOKEN,
        mode: 'summary',
        'pr-number': String(pr.number)
      });
      expect(r.code).toBe(0);
      expect(held().comments).toHaveLength(1);
    });
  });

  describe('fork PR: read-only token', () => {
    beforeEach(() => setup({ readOnly: true }));
    it('does not fail the job; writes annotations and the summary and says how to get comments', async () => {
      const r = await comment();
      expect(r.code).toBe(0);
      expect(held().comments).toHaveLength(0);
      expect(r.stdout).toMatch(/::warning::container-guard: this token cannot write to the pull request.*workflow_run/);
      expect(r.stdout).toMatch(/::error title=[^:]*curl-pipe-shell/);
      expect(r.summary.length).toBeGreaterThan(0);
    });
  });
});
