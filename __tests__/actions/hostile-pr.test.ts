/**
 * The two attacks on the comment action, run as the runner runs the bundled entry point (INPUT_*,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, real webhook payloads) against the OpenAPI-validating GitHub
 * stand-in on 127.0.0.1, on both Node runtimes:
 *   1. a contributor's comment that carries our marker and forged fingerprints is never found, edited
 *      or deleted; the bot's own comment is the one updated;
 *   2. a fork's artifact that names another PR (pr-number) is refused and that PR's comment is untouched;
 *      without pr-number the PR is found from the triggering run itself.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { makeTree } from '../helpers/fixtures.js';
import { loadWebhookExample, pullRequestSeedFromEvent, startGitHubApi, type GitHubApi, type IssueCommentState } from '../helpers/github-api.js';
import { RUNTIMES } from '../helpers/node-runtimes.js';
import { runEntry } from './run.js';

const TOKEN = 'ghs_hostileTestToken';
const MARKER = '<!-- container-guard:sticky:container-guard -->';

const finding = (ruleId: string, line: number, severity = 'error') => ({
  ruleId,
  aliases: [],
  severity,
  file: 'app/Dockerfile',
  line,
  column: 1,
  endLine: line,
  message: `${ruleId} at line ${line}`,
  help: 'https://github.com/container-guard/container-guard/blob/main/docs/rules/root-user.md',
  tool: 'lint'
});

function workspace(findings: unknown[]): string {
  return makeTree({
    'app/Dockerfile': 'FROM ubuntu\nUSER root\nRUN curl x | sh\n',
    'lint.json': JSON.stringify({ findings, summary: { files: 1, counts: {}, suppressed: 0, errors: [] } })
  });
}

const writes = (api: GitHubApi) => api.requests.filter((r) => r.method !== 'GET');
const snapshot = (c: IssueCommentState) => ({ ...c });

describe.each(RUNTIMES)('hostile pull requests (%s)', (_label, node) => {
  let api: GitHubApi;
  afterEach(async () => {
    expect(api.violations).toEqual([]);
    await api.close();
  });

  describe('sticky comment hijack', () => {
    it('a contributor comment with the marker and forged fingerprints is left untouched; the bot updates its own', async () => {
      api = await startGitHubApi({ token: TOKEN });
      const payload = loadWebhookExample('pull_request.opened');
      const pr = pullRequestSeedFromEvent(payload);
      api.addPullRequest({ ...pr, files: [{ filename: 'app/Dockerfile', patch: '@@ -0,0 +1,3 @@\n+FROM ubuntu\n+USER root\n+RUN curl x | sh' }] });
      const env = api.actionEnv({ payload, eventName: 'pull_request' });
      // Before the first run, a contributor posts a comment that looks like ours, claiming every finding is old.
      const forged = `${MARKER}\n## container-guard\nNo new findings. All clear.\n<!-- container-guard:fingerprints:${Buffer.from('{"v":1,"sha":"x","fps":["a","b"]}').toString('base64')} -->`;
      const victim = api.addIssueComment({
        owner: pr.owner,
        repo: pr.repo,
        number: pr.number,
        body: forged,
        user: 'mallory',
        authorAssociation: 'CONTRIBUTOR'
      });
      const before = snapshot(victim);

      const ws = workspace([finding('root-user', 2), finding('curl-pipe-shell', 3)]);
      const first = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary' }, { node, env });
      expect(first.code).toBe(0);
      let comments = api.pullRequest(pr.owner, pr.repo, pr.number).comments;
      const bot = comments.filter((c) => c.user === 'github-actions[bot]').map(snapshot);
      expect(bot).toHaveLength(1);
      expect(first.outputs['comment-id']).toBe(String(bot[0]!.id));
      expect(comments.find((c) => c.id === victim.id)).toEqual(before);
      expect(first.stdout).toMatch(/writing as github-actions\[bot\] \(installation token/);

      // A second forgery: a copy of the bot's own body (marker and real fingerprints) under the contributor's name.
      const copy = api.addIssueComment({ owner: pr.owner, repo: pr.repo, number: pr.number, body: bot[0]!.body, user: 'mallory' });
      const copyBefore = snapshot(copy);
      fs.writeFileSync(path.join(ws, 'lint.json'), JSON.stringify({ findings: [finding('root-user', 2)], summary: { files: 1 } }));
      const second = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary' }, { node, env });
      expect(second.code).toBe(0);
      comments = api.pullRequest(pr.owner, pr.repo, pr.number).comments;
      expect(comments.find((c) => c.id === victim.id)).toEqual(before);
      expect(comments.find((c) => c.id === copy.id)).toEqual(copyBefore);
      const updated = comments.find((c) => c.id === bot[0]!.id)!;
      expect(updated.body).not.toBe(bot[0]!.body);
      expect(updated.body).toContain('root-user');
      expect(updated.body).not.toContain('curl-pipe-shell at line 3');
      // Every write went to the bot's own comment.
      for (const w of writes(api)) expect(w.path).toMatch(new RegExp(`/(issues/comments/${bot[0]!.id}|issues/${pr.number}/comments)$`));
      // Unchanged re-run: nothing written, the outputs still name the comment.
      const n = writes(api).length;
      const third = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary' }, { node, env });
      expect(third.code).toBe(0);
      expect(writes(api)).toHaveLength(n);
      expect(third.outputs['comment-id']).toBe(String(bot[0]!.id));
      expect(third.outputs['comment-url']).toMatch(new RegExp(`^https://github\\.com/${pr.owner}/${pr.repo}/pull/${pr.number}#issuecomment-${bot[0]!.id}$`));
    });

    it('a user token: the login comes from GET /user, and a github-actions[bot] comment with the marker is not ours', async () => {
      api = await startGitHubApi({ token: TOKEN, login: 'cg-maintainer' });
      const payload = loadWebhookExample('pull_request.opened');
      const pr = pullRequestSeedFromEvent(payload);
      api.addPullRequest({ ...pr, files: [] });
      const other = api.addIssueComment({ owner: pr.owner, repo: pr.repo, number: pr.number, body: `${MARKER}\nold`, user: 'github-actions[bot]' });
      const before = snapshot(other);
      const ws = workspace([finding('root-user', 2)]);
      const env = api.actionEnv({ payload, eventName: 'pull_request' });
      const r = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary', 'all-clear': 'delete' }, { node, env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/writing as cg-maintainer \(GET \/user\)/);
      const comments = api.pullRequest(pr.owner, pr.repo, pr.number).comments;
      expect(comments.find((c) => c.id === other.id)).toEqual(before);
      expect(comments.filter((c) => c.user === 'cg-maintainer')).toHaveLength(1);
      expect(api.requests.filter((q) => q.operationId === 'users/get-authenticated')).toHaveLength(1);
    });
  });

  it('a GitHub App token: bot-login names the bot; without it nothing of the App is touched either', async () => {
    api = await startGitHubApi({ token: TOKEN, login: 'guard-app[bot]' });
    const payload = loadWebhookExample('pull_request.opened');
    const pr = pullRequestSeedFromEvent(payload);
    api.addPullRequest({ ...pr, files: [] });
    const actionsBot = api.addIssueComment({ owner: pr.owner, repo: pr.repo, number: pr.number, body: `${MARKER}\nold`, user: 'github-actions[bot]' });
    const before = snapshot(actionsBot);
    const ws = workspace([finding('root-user', 2)]);
    const env = api.actionEnv({ payload, eventName: 'pull_request' });
    const inputs = { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary', 'bot-login': 'guard-app[bot]' };
    const first = await runEntry('comment', ws, inputs, { node, env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/writing as guard-app\[bot\] \(the bot-login input\)/);
    fs.writeFileSync(path.join(ws, 'lint.json'), JSON.stringify({ findings: [finding('root-user', 2), finding('sudo', 3)] }));
    const second = await runEntry('comment', ws, inputs, { node, env });
    expect(second.code).toBe(0);
    const comments = api.pullRequest(pr.owner, pr.repo, pr.number).comments;
    expect(comments.find((c) => c.id === actionsBot.id)).toEqual(before);
    const app = comments.filter((c) => c.user === 'guard-app[bot]');
    expect(app).toHaveLength(1);
    expect(app[0]!.body).toContain('sudo at line 3');
    expect(api.requests.filter((q) => q.operationId === 'users/get-authenticated')).toHaveLength(0);
  });

  describe('fork artifacts choose the PR', () => {
    async function twoPullRequests() {
      api = await startGitHubApi({ token: TOKEN });
      const opened = loadWebhookExample('pull_request.opened');
      const victimPr = pullRequestSeedFromEvent(opened);
      api.addPullRequest({ ...victimPr, files: [{ filename: 'app/Dockerfile', patch: '@@ -0,0 +1,1 @@\n+FROM ubuntu' }] });
      // The attacker's PR comes from a fork.
      const attacker = api.addPullRequest({
        owner: victimPr.owner,
        repo: victimPr.repo,
        number: victimPr.number + 40,
        headSha: 'f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0',
        headRef: 'evil',
        headRepo: `mallory/${victimPr.repo}`,
        author: 'mallory',
        files: [{ filename: 'app/Dockerfile', patch: '@@ -0,0 +1,1 @@\n+FROM ubuntu' }]
      });
      // The victim PR already has the bot's sticky comment, with findings.
      const ws = workspace([finding('root-user', 1)]);
      const pre = await runEntry(
        'comment',
        ws,
        { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary' },
        { env: api.actionEnv({ payload: opened, eventName: 'pull_request' }) }
      );
      expect(pre.code).toBe(0);
      const victimComment = snapshot(api.pullRequest(victimPr.owner, victimPr.repo, victimPr.number).comments[0]!);
      expect(victimComment.body).toContain('root-user');
      // The fork's run completed; its artifact says "all clear" for the victim's PR number.
      const completed = loadWebhookExample('workflow_run.completed');
      const runPayload = {
        ...completed,
        workflow_run: {
          ...completed.workflow_run,
          event: 'pull_request',
          head_sha: attacker.headSha,
          head_branch: attacker.headRef,
          head_repository: { ...completed.workflow_run.head_repository, full_name: attacker.headRepo },
          pull_requests: []
        },
        repository: {
          ...completed.repository,
          name: victimPr.repo,
          full_name: `${victimPr.owner}/${victimPr.repo}`,
          owner: { ...completed.repository.owner, login: victimPr.owner }
        }
      };
      fs.writeFileSync(path.join(ws, 'lint.json'), JSON.stringify({ findings: [], summary: { files: 1 } }));
      const env = api.actionEnv({ payload: runPayload, eventName: 'workflow_run' });
      return { ws, env, victimPr, attacker, victimComment, runPayload };
    }

    it('a pr-number naming another PR is refused with a clear error and that PR is untouched', async () => {
      const { ws, env, victimPr, victimComment } = await twoPullRequests();
      const n = writes(api).length;
      const r = await runEntry(
        'comment',
        ws,
        { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'both', 'all-clear': 'delete', 'pr-number': String(victimPr.number) },
        { node, env }
      );
      expect(r.code).toBe(1);
      const errors = r.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(
        new RegExp(
          `^input pr-number: #${victimPr.number} does not belong to the triggering run: the run built mallory/${victimPr.repo}@f0f0f0f, #${victimPr.number} is ${victimPr.owner}/${victimPr.repo}@`
        )
      );
      expect(r.stdout).not.toMatch(/internal error|\n\s+at /);
      expect(writes(api)).toHaveLength(n);
      expect(api.pullRequest(victimPr.owner, victimPr.repo, victimPr.number).comments).toEqual([victimComment]);
    });

    it('without pr-number the PR is found from the triggering run (head commit and repository)', async () => {
      const { ws, env, victimPr, attacker, victimComment } = await twoPullRequests();
      fs.writeFileSync(path.join(ws, 'lint.json'), JSON.stringify({ findings: [finding('curl-pipe-shell', 1)], summary: { files: 1 } }));
      const r = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary' }, { node, env });
      expect(r.code).toBe(0);
      expect(api.pullRequest(victimPr.owner, victimPr.repo, victimPr.number).comments).toEqual([victimComment]);
      const own = api.pullRequest(victimPr.owner, victimPr.repo, attacker.number).comments;
      expect(own).toHaveLength(1);
      expect(r.outputs['comment-id']).toBe(String(own[0]!.id));
      // The right pr-number is accepted.
      const again = await runEntry(
        'comment',
        ws,
        { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary', 'pr-number': String(attacker.number) },
        { node, env }
      );
      expect(again.code).toBe(0);
      expect(again.outputs['comment-id']).toBe(String(own[0]!.id));
    });

    it('a PR that moved on since the run is not written to, and does not fail', async () => {
      const { ws, env, attacker, victimPr } = await twoPullRequests();
      api.pushCommit({ owner: victimPr.owner, repo: victimPr.repo, number: attacker.number, headSha: 'a1'.repeat(20), files: [] });
      const n = writes(api).length;
      const r = await runEntry(
        'comment',
        ws,
        { 'findings-files': 'lint.json', 'github-token': TOKEN, mode: 'summary', 'pr-number': String(attacker.number) },
        { node, env }
      );
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/has moved on to a1a1a1a since the triggering run built f0f0f0f/);
      expect(writes(api)).toHaveLength(n);
    });

    it("in a pull_request run a pr-number other than the event's PR is refused", async () => {
      const { ws, victimPr, attacker } = await twoPullRequests();
      const env = api.actionEnv({ payload: loadWebhookExample('pull_request.opened'), eventName: 'pull_request' });
      const n = writes(api).length;
      const r = await runEntry('comment', ws, { 'findings-files': 'lint.json', 'github-token': TOKEN, 'pr-number': String(attacker.number) }, { node, env });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(`::error::input pr-number: ${attacker.number} is not the pull request of this pull_request event \\(#${victimPr.number}\\)`)
      );
      expect(writes(api)).toHaveLength(n);
    });
  });
});

describe('an oversized findings file from an artifact', () => {
  it('is one error naming the file, and is not read', async () => {
    const ws = workspace([finding('root-user', 2)]);
    const fd = fs.openSync(path.join(ws, 'huge.json'), 'w');
    fs.ftruncateSync(fd, 129 * 1024 * 1024); // sparse: costs no disk
    fs.closeSync(fd);
    const r = await runEntry('comment', ws, { 'findings-files': 'lint.json huge.json', 'github-token': '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::huge\.json: 129 MB is more than a findings file can be \(128 MB\); not read$/m);
    expect(r.stdout).not.toMatch(/internal error/);
  });
});
