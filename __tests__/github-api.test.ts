/**
 * The fake GitHub REST API (helpers/github-api.ts), driven by @actions/github's Octokit: every
 * operation the comment action uses, schema-checked both ways against GitHub's OpenAPI description,
 * plus auth, read-only tokens, injected rate limits / 5xx, latency, and real webhook payloads.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  loadWebhookExample,
  openApiStats,
  parsePatch,
  pullRequestSeedFromEvent,
  removeEventFiles,
  resolveAnchor,
  startGitHubApi,
  writeEventFile,
  type GitHubApi
} from './helpers/github-api.js';

// @actions/github picks its proxy dispatcher when first imported (for GITHUB_API_URL or api.github.com):
// with HTTP(S)_PROXY set, loopback requests would go through the proxy. Clear them before importing it.
for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[k];
const { getOctokit } = await import('@actions/github');
const { getClient } = await import('../src/io/github.js');
type Octokit = ReturnType<typeof getOctokit>;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TOKEN = 'ghs_' + 'Tk7'.repeat(12);
const OWNER = 'octo-org';
const REPO = 'containers';
const HEAD = 'a'.repeat(40);

/** Two hunks: RIGHT lines 1-5 and 11-13 are in the diff, LEFT lines 1-4 and 10-12. */
const DOCKERFILE_PATCH = [
  '@@ -1,4 +1,5 @@',
  ' FROM node:20',
  '-RUN apt-get update',
  '+RUN apt-get update && apt-get install -y curl',
  '+USER node',
  ' WORKDIR /app',
  ' COPY . .',
  '@@ -10,3 +11,3 @@ COPY . .',
  ' EXPOSE 8080',
  '-CMD ["node", "a.js"]',
  '+CMD ["node", "server.js"]',
  ' HEALTHCHECK NONE'
].join('\n');
const NEW_FILE_PATCH = '@@ -0,0 +1,3 @@\n+FROM alpine:3.20\n+USER 1\n+CMD ["x"]';

let api: GitHubApi;
let octokit: Octokit;

async function start(options: Parameters<typeof startGitHubApi>[0] = {}): Promise<void> {
  api = await startGitHubApi({ token: TOKEN, ...options });
  octokit = getOctokit(TOKEN, { baseUrl: api.url });
  api.addPullRequest({
    owner: OWNER,
    repo: REPO,
    number: 7,
    headSha: HEAD,
    files: [
      { filename: 'Dockerfile', status: 'modified', patch: DOCKERFILE_PATCH },
      { filename: 'images/app/Containerfile', patch: NEW_FILE_PATCH },
      { filename: 'logo.png', status: 'added' }
    ]
  });
}

/** The RequestError an Octokit call rejects with. */
async function failure(
  p: Promise<unknown>
): Promise<{ status: number; message: string; headers: Record<string, string | undefined>; data: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status: number; message: string; response?: { headers: Record<string, string | undefined>; data: Record<string, unknown> } };
    return { status: err.status, message: err.message, headers: err.response?.headers ?? {}, data: err.response?.data ?? {} };
  }
  throw new Error('expected the request to fail');
}

const ref = { owner: OWNER, repo: REPO };

/** A request past Octokit's types (which would reject the deliberately wrong ones). */
function untyped(route: string, params: Record<string, unknown>) {
  return octokit.request(route, params);
}

afterAll(() => {
  removeEventFiles();
  // GITHUB_API_STATS=1 prints how long loading the description and compiling validators took.
  if (process.env.GITHUB_API_STATS) {
    const stats = openApiStats();
    const compileMs = stats.compiled.reduce((sum, c) => sum + c.ms, 0);
    const slowest = [...stats.compiled].sort((a, b) => b.ms - a.ms).slice(0, 5);
    console.log(
      `OpenAPI ${stats.version}: load ${stats.loadMs.toFixed(0)} ms; ${stats.compiled.length} validators, ${stats.components} components, compile ${compileMs.toFixed(0)} ms` +
        `; slowest: ${slowest.map((c) => `${c.key} ${c.ms.toFixed(0)} ms`).join(', ')}`
    );
  }
});

describe('fake GitHub API', () => {
  beforeEach(() => start());
  afterEach(async () => {
    await api.close();
  });

  describe('issue comments', () => {
    it('creates, lists, gets, updates and deletes, with complete schema-valid objects', async () => {
      const created = await octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: '<!-- container-guard -->\nfirst' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(created.data.url);
      expect(created.data).toMatchObject({
        body: '<!-- container-guard -->\nfirst',
        author_association: 'NONE',
        issue_url: `${api.url}/repos/${OWNER}/${REPO}/issues/7`,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${created.data.id}`,
        user: { login: 'github-actions[bot]', type: 'Bot', id: 41898282, html_url: 'https://github.com/apps/github-actions' }
      });
      expect(Buffer.from(created.data.node_id, 'base64').toString()).toBe(`012:IssueComment${created.data.id}`);

      api.addIssueComment({ ...ref, number: 7, body: 'LGTM', user: 'octocat' });
      const list = await octokit.rest.issues.listComments({ ...ref, issue_number: 7 });
      expect(list.data.map((c) => [c.user?.login, c.body])).toEqual([
        ['github-actions[bot]', '<!-- container-guard -->\nfirst'],
        ['octocat', 'LGTM']
      ]);
      expect(list.headers.link).toBeUndefined();

      const updated = await octokit.rest.issues.updateComment({ ...ref, comment_id: created.data.id, body: '<!-- container-guard -->\nsecond' });
      expect(updated.data.body).toBe('<!-- container-guard -->\nsecond');
      const got = await octokit.rest.issues.getComment({ ...ref, comment_id: created.data.id });
      expect(got.data.body).toBe('<!-- container-guard -->\nsecond');

      const deleted = await octokit.rest.issues.deleteComment({ ...ref, comment_id: created.data.id });
      expect(deleted.status).toBe(204);
      expect(api.pullRequest(OWNER, REPO, 7).comments.map((c) => c.body)).toEqual(['LGTM']);
      expect((await failure(octokit.rest.issues.deleteComment({ ...ref, comment_id: created.data.id }))).status).toBe(404);
      expect(api.requests.map((r) => `${r.method} ${r.operationId} ${r.status}`)).toEqual([
        'POST issues/create-comment 201',
        'GET issues/list-comments 200',
        'PATCH issues/update-comment 200',
        'GET issues/get-comment 200',
        'DELETE issues/delete-comment 204',
        'DELETE issues/delete-comment 404'
      ]);
      expect(api.violations).toEqual([]);
    });

    it('paginates 250 comments with GitHub-style Link headers that Octokit follows', async () => {
      for (let i = 1; i <= 250; i++) api.addIssueComment({ ...ref, number: 7, body: `comment ${i}`, user: i % 2 ? 'octocat' : undefined });
      const first = await octokit.rest.issues.listComments({ ...ref, issue_number: 7, per_page: 100 });
      expect(first.data).toHaveLength(100);
      const repoId = api.state.repos.get(`${OWNER}/${REPO}`)?.id;
      const base = `${api.url}/repositories/${repoId}/issues/7/comments`;
      expect(first.headers.link).toBe(`<${base}?per_page=100&page=2>; rel="next", <${base}?per_page=100&page=3>; rel="last"`);

      const all = await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: 7, per_page: 100 });
      expect(all.map((c) => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `comment ${i + 1}`));
      const paths = api.requests.slice(1).map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`);
      expect(paths).toEqual([
        `/repos/${OWNER}/${REPO}/issues/7/comments?per_page=100`,
        `/repositories/${repoId}/issues/7/comments?per_page=100&page=2`,
        `/repositories/${repoId}/issues/7/comments?per_page=100&page=3`
      ]);

      const middle = await octokit.rest.issues.listComments({ ...ref, issue_number: 7, page: 2 });
      expect(middle.data[0].body).toBe('comment 31');
      expect(middle.headers.link).toContain('rel="prev"');
      expect(middle.headers.link).toContain('rel="first"');
      // Default page size 30: 9 pages.
      const before = api.requests.length;
      expect(await octokit.paginate(octokit.rest.issues.listComments, { ...ref, issue_number: 7 })).toHaveLength(250);
      expect(api.requests.length - before).toBe(9);
      expect(api.violations).toEqual([]);
    });

    it('honours since and the full media type', async () => {
      api.addIssueComment({ ...ref, number: 7, body: 'old *one*', createdAt: '2024-01-01T00:00:00Z' });
      api.addIssueComment({ ...ref, number: 7, body: 'new <one>', createdAt: '2024-06-01T00:00:00Z' });
      const since = await octokit.rest.issues.listComments({ ...ref, issue_number: 7, since: '2024-03-01T00:00:00Z', mediaType: { format: 'full' } });
      expect(since.data).toHaveLength(1);
      expect(since.data[0]).toMatchObject({ body: 'new <one>', body_text: 'new <one>', body_html: expect.stringContaining('new &lt;one&gt;') });
      expect(api.violations).toEqual([]);
    });

    it('refuses blank and over-long bodies and unknown issues as GitHub does', async () => {
      const blank = await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: ' ' }));
      expect(blank.status).toBe(422);
      const long = await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x'.repeat(65537) }));
      expect(long.status).toBe(422);
      expect(long.message).toMatch(/body is too long \(maximum is 65536 characters\)/);
      expect((await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 999, body: 'x' }))).status).toBe(404);
      expect((await failure(octokit.rest.issues.listComments({ owner: 'nobody', repo: 'nothing', issue_number: 1 }))).status).toBe(404);
      expect(api.pullRequest(OWNER, REPO, 7).comments).toEqual([]);
      expect(api.violations).toEqual([]);
    });
  });

  describe('pull requests', () => {
    it('gets the PR with its head sha and a full pull-request object', async () => {
      const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: 7 });
      expect(data).toMatchObject({
        number: 7,
        state: 'open',
        head: { sha: HEAD, ref: 'feature-7', repo: { full_name: `${OWNER}/${REPO}`, fork: false } },
        base: { ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
        changed_files: 3,
        additions: 6,
        deletions: 2
      });
      expect((await failure(octokit.rest.pulls.get({ ...ref, pull_number: 8 }))).status).toBe(404);
      expect(api.violations).toEqual([]);
    });

    it('describes fork PRs with a head repository of their own', async () => {
      api.addPullRequest({ ...ref, number: 9, headSha: 'b'.repeat(40), headRepo: 'contributor/containers', author: 'contributor' });
      const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: 9 });
      expect(data.head).toMatchObject({ label: 'contributor:feature-9', repo: { full_name: 'contributor/containers', fork: true } });
      expect(data.author_association).toBe('NONE');
      expect(api.violations).toEqual([]);
    });

    it('lists files with patches, paginated', async () => {
      const files = Array.from({ length: 120 }, (_, i) => ({ filename: `svc-${i}/Dockerfile`, patch: '@@ -1 +1 @@\n-FROM a\n+FROM b' }));
      api.addPullRequest({ ...ref, number: 8, headSha: 'c'.repeat(40), files });
      const all = await octokit.paginate(octokit.rest.pulls.listFiles, { ...ref, pull_number: 8, per_page: 100 });
      expect(all).toHaveLength(120);
      expect(all[119]).toMatchObject({
        filename: 'svc-119/Dockerfile',
        status: 'modified',
        additions: 1,
        deletions: 1,
        changes: 2,
        patch: '@@ -1 +1 @@\n-FROM a\n+FROM b'
      });
      const small = await octokit.rest.pulls.listFiles({ ...ref, pull_number: 7 });
      expect(small.data.map((f) => [f.filename, f.status, f.patch === undefined])).toEqual([
        ['Dockerfile', 'modified', false],
        ['images/app/Containerfile', 'added', false],
        ['logo.png', 'added', true]
      ]);
      expect(api.violations).toEqual([]);
    });

    it('creates a review with line, multi-line, LEFT and position comments, then lists them', async () => {
      const { data: review } = await octokit.rest.pulls.createReview({
        ...ref,
        pull_number: 7,
        commit_id: HEAD,
        event: 'COMMENT',
        body: 'container-guard found 4 problems',
        comments: [
          { path: 'Dockerfile', line: 3, side: 'RIGHT', body: 'USER before WORKDIR' },
          { path: 'Dockerfile', start_line: 2, line: 3, side: 'RIGHT', body: '```suggestion\nRUN x\nUSER node\n```' },
          { path: 'Dockerfile', line: 11, side: 'LEFT', body: 'removed CMD' },
          { path: 'images/app/Containerfile', position: 2, body: 'by position' }
        ]
      });
      expect(review).toMatchObject({ state: 'COMMENTED', commit_id: HEAD, user: { login: 'github-actions[bot]' } });
      const pr = api.pullRequest(OWNER, REPO, 7);
      expect(pr.reviews).toHaveLength(1);
      expect(pr.reviewComments.map((c) => [c.path, c.startLine, c.line, c.side, c.position])).toEqual([
        ['Dockerfile', null, 3, 'RIGHT', 4],
        ['Dockerfile', 2, 3, 'RIGHT', 4],
        ['Dockerfile', null, 11, 'LEFT', 9],
        ['images/app/Containerfile', null, 2, 'RIGHT', 2]
      ]);

      const listed = await octokit.paginate(octokit.rest.pulls.listReviewComments, { ...ref, pull_number: 7, per_page: 2 });
      expect(listed).toHaveLength(4);
      expect(listed[0]).toMatchObject({
        pull_request_review_id: review.id,
        path: 'Dockerfile',
        line: 3,
        original_line: 3,
        side: 'RIGHT',
        subject_type: 'line',
        commit_id: HEAD,
        diff_hunk: '@@ -1,4 +1,5 @@\n FROM node:20\n-RUN apt-get update\n+RUN apt-get update && apt-get install -y curl\n+USER node'
      });
      expect(listed[1]).toMatchObject({ start_line: 2, start_side: 'RIGHT', line: 3 });
      const reviews = await octokit.rest.pulls.listReviews({ ...ref, pull_number: 7 });
      expect(reviews.data.map((r) => r.id)).toEqual([review.id]);
      expect(api.violations).toEqual([]);
    });

    it('refuses a whole review with 422 when a comment is outside the diff, as GitHub does', async () => {
      const outside = await failure(
        octokit.rest.pulls.createReview({
          ...ref,
          pull_number: 7,
          event: 'COMMENT',
          comments: [
            { path: 'Dockerfile', line: 3, body: 'fine' },
            { path: 'Dockerfile', line: 8, body: 'not in a hunk' }
          ]
        })
      );
      expect(outside.status).toBe(422);
      expect(outside.data).toMatchObject({ message: 'Unprocessable Entity', errors: ['Line could not be resolved'], status: '422' });
      expect(outside.data.documentation_url).toBe('https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request');

      const several = await failure(
        octokit.rest.pulls.createReview({
          ...ref,
          pull_number: 7,
          event: 'COMMENT',
          comments: [
            { path: 'Dockerfile', line: 99, body: 'a' },
            { path: 'README.md', line: 1, body: 'b' },
            { path: 'logo.png', line: 1, body: 'binary: no patch' },
            { path: 'Dockerfile', start_line: 5, line: 11, body: 'spans two hunks' }
          ]
        })
      );
      expect(several.data.errors).toEqual([
        'Line could not be resolved, Path could not be resolved, Line could not be resolved, and Start line could not be resolved'
      ]);
      const pr = api.pullRequest(OWNER, REPO, 7);
      expect(pr.reviews).toEqual([]);
      expect(pr.reviewComments).toEqual([]);
      expect(api.violations).toEqual([]);
    });

    it('refuses APPROVE from GitHub Actions and a second pending review', async () => {
      const approve = await failure(octokit.rest.pulls.createReview({ ...ref, pull_number: 7, event: 'APPROVE' }));
      expect(approve.data.errors).toEqual(['GitHub Actions is not permitted to approve pull requests.']);
      await octokit.rest.pulls.createReview({ ...ref, pull_number: 7, body: 'draft' });
      expect(api.pullRequest(OWNER, REPO, 7).reviews[0].state).toBe('PENDING');
      expect((await failure(octokit.rest.pulls.createReview({ ...ref, pull_number: 7, body: 'draft 2' }))).status).toBe(422);
      expect(api.violations).toEqual([]);
    });

    it('keeps older commits: comments may target them, unknown SHAs are refused', async () => {
      const newer = 'd'.repeat(40);
      api.pushCommit({ ...ref, number: 7, headSha: newer, files: [{ filename: 'Dockerfile', patch: '@@ -1 +1,2 @@\n FROM node:20\n+USER node' }] });
      expect((await octokit.rest.pulls.get({ ...ref, pull_number: 7 })).data.head.sha).toBe(newer);
      // Line 11 is in the old commit's diff only.
      await octokit.rest.pulls.createReview({
        ...ref,
        pull_number: 7,
        commit_id: HEAD,
        event: 'COMMENT',
        comments: [{ path: 'Dockerfile', line: 11, body: 'old' }]
      });
      expect(
        (await failure(octokit.rest.pulls.createReview({ ...ref, pull_number: 7, event: 'COMMENT', comments: [{ path: 'Dockerfile', line: 11, body: 'x' }] })))
          .status
      ).toBe(422);
      const unknown = await failure(octokit.rest.pulls.createReview({ ...ref, pull_number: 7, commit_id: 'e'.repeat(40), event: 'COMMENT', body: 'x' }));
      expect(unknown.data.errors).toEqual([`No commit found for SHA: ${'e'.repeat(40)}`]);
      expect(api.violations).toEqual([]);
    });

    it('single review comments: created in a review of their own, 422 "must be part of the diff" outside it', async () => {
      const { data } = await octokit.rest.pulls.createReviewComment({
        ...ref,
        pull_number: 7,
        commit_id: HEAD,
        path: 'Dockerfile',
        line: 12,
        side: 'RIGHT',
        body: 'use exec form'
      });
      expect(data).toMatchObject({ line: 12, side: 'RIGHT', diff_hunk: expect.stringMatching(/^@@ -10,3 \+11,3 @@/) });
      const reply = await octokit.rest.pulls.createReviewComment({
        ...ref,
        pull_number: 7,
        commit_id: HEAD,
        path: 'Dockerfile',
        in_reply_to: data.id,
        body: 'done'
      });
      expect(reply.status).toBe(201);
      expect(reply.data).toMatchObject({ in_reply_to_id: data.id, line: 12 });
      const outside = await failure(
        octokit.rest.pulls.createReviewComment({ ...ref, pull_number: 7, commit_id: HEAD, path: 'Dockerfile', line: 7, body: 'x' })
      );
      expect(outside.status).toBe(422);
      expect(outside.message).toMatch(/pull_request_review_thread\.line must be part of the diff/);
      expect(api.pullRequest(OWNER, REPO, 7).reviews.map((r) => r.state)).toEqual(['COMMENTED', 'COMMENTED']);
      expect(api.violations).toEqual([]);
    });

    it('seeded review comments must be in the diff too', () => {
      expect(api.addReviewComment({ ...ref, number: 7, path: 'Dockerfile', line: 2, body: 'x' })).toMatchObject({ line: 2, side: 'RIGHT', position: 3 });
      expect(() => api.addReviewComment({ ...ref, number: 7, path: 'Dockerfile', line: 7, body: 'x' })).toThrow(/not part of the diff/);
    });
  });

  describe('OpenAPI checks', () => {
    it('reports unknown paths, wrong methods and operations the fake does not implement (404)', async () => {
      expect((await failure(untyped('GET /repos/{owner}/{repo}/no-such-thing', ref))).status).toBe(404);
      expect((await failure(untyped('PUT /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...ref, issue_number: 7, body: 'x' }))).status).toBe(404);
      expect((await failure(octokit.rest.issues.get({ ...ref, issue_number: 7 }))).status).toBe(404);
      expect(api.violations).toEqual([
        "GET /repos/octo-org/containers/no-such-thing: no such path in GitHub's OpenAPI description",
        'PUT /repos/octo-org/containers/issues/7/comments: PUT is not an operation of /repos/{owner}/{repo}/issues/{issue_number}/comments (it has GET, POST)',
        'GET /repos/octo-org/containers/issues/7 (issues/get): operation is in the description but not implemented by the fake GitHub API'
      ]);
    });

    it('reports request bodies that fail the operation schema and answers 422 as GitHub does', async () => {
      const wrongType = await failure(untyped('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...ref, issue_number: 7, body: 123 }));
      expect(wrongType.status).toBe(422);
      expect(wrongType.data.message).toBe("Invalid request.\n\nFor 'properties/body', 123 is not a string.");
      const empty = await failure(untyped('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...ref, comment_id: 1 }));
      expect([empty.status, empty.data.message]).toEqual([422, 'Invalid request.\n\n"body" wasn\'t supplied.']);
      await failure(untyped('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', { ...ref, pull_number: 7, event: 'LGTM' }));
      expect(api.violations).toEqual([
        'POST /repos/octo-org/containers/issues/7/comments (issues/create-comment): request body/body must be string',
        'PATCH /repos/octo-org/containers/issues/comments/1 (issues/update-comment): request body is required but was empty',
        'POST /repos/octo-org/containers/pulls/7/reviews (pulls/create-review): request body/event must be equal to one of the allowed values ["APPROVE","REQUEST_CHANGES","COMMENT"]'
      ]);
      expect(api.pullRequest(OWNER, REPO, 7).comments).toEqual([]);
    });

    it('reports undocumented body properties, unknown query parameters and bad path parameters', async () => {
      // GitHub ignores these silently, which hides typos: the fake reports them.
      await untyped('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        ...ref,
        pull_number: 7,
        event: 'COMMENT',
        comments: [{ path: 'Dockerfile', line: 3, body: 'x', startLine: 2 }]
      });
      await untyped('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...ref, issue_number: 7, perPage: 100 });
      expect((await failure(untyped('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...ref, pull_number: 'seven' }))).status).toBe(404);
      expect(api.violations).toEqual([
        'POST /repos/octo-org/containers/pulls/7/reviews (pulls/create-review): request body/comments/0/startLine is not a documented property',
        'GET /repos/octo-org/containers/issues/7/comments (issues/list-comments): query parameter "perPage" is not documented for this operation',
        'GET /repos/octo-org/containers/pulls/seven (pulls/get): path parameter pull_number must be integer (got "seven")'
      ]);
    });

    it('validates its own responses too', async () => {
      await api.close();
      api = await startGitHubApi({
        tamperResponse: (operationId, _status, body) => {
          if (operationId === 'pulls/get') {
            const pr = body as { head: { repo: Record<string, unknown>; user: Record<string, unknown> } };
            delete pr.head.repo.clone_url;
            pr.head.user.site_admin = 'no';
            return pr;
          }
          if (operationId !== 'issues/create-comment') return body;
          const { user: _user, ...rest } = body as Record<string, unknown>;
          return { ...rest, id: String(rest.id), reactionz: {} };
        }
      });
      api.addIssue({ ...ref, number: 1 });
      api.addPullRequest({ ...ref, number: 2, headSha: HEAD });
      const client = getOctokit(TOKEN, { baseUrl: api.url });
      await client.rest.issues.createComment({ ...ref, issue_number: 1, body: 'x' });
      await client.rest.pulls.get({ ...ref, pull_number: 2 });
      expect(api.violations).toEqual([
        "POST /repos/octo-org/containers/issues/1/comments (issues/create-comment): response 201: body must have required property 'user'",
        'POST /repos/octo-org/containers/issues/1/comments (issues/create-comment): response 201: body/id must be integer',
        'POST /repos/octo-org/containers/issues/1/comments (issues/create-comment): response 201: body/reactionz is not a documented property',
        "GET /repos/octo-org/containers/pulls/2 (pulls/get): response 200: body/head/repo must have required property 'clone_url'",
        'GET /repos/octo-org/containers/pulls/2 (pulls/get): response 200: body/head/user/site_admin must be boolean'
      ]);
    });

    it('parses the description once and compiles only the operations used', async () => {
      await octokit.rest.pulls.get({ ...ref, pull_number: 7 });
      const stats = openApiStats();
      expect(stats.version).toMatch(/OpenAPI 3\.0/);
      expect(stats.compiled.map((c) => c.key)).toEqual(
        expect.arrayContaining(['pulls/get 200', 'issues/create-comment request', 'parameter {"type":"integer"}'])
      );
      // A few dozen components of the ~1000 in the description.
      expect(stats.components).toBeLessThan(100);
    });
  });

  describe('auth, permissions and failures', () => {
    it('401 without a token or with a wrong one; Bearer works', async () => {
      const anonymous = await fetch(`${api.url}/repos/${OWNER}/${REPO}/pulls/7`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ message: 'Requires authentication' });
      const wrong = await failure(getOctokit('ghs_wrong', { baseUrl: api.url }).rest.pulls.get({ ...ref, pull_number: 7 }));
      expect(wrong.status).toBe(401);
      expect(wrong.data).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
      const bearer = await fetch(`${api.url}/repos/${OWNER}/${REPO}/pulls/7`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(bearer.status).toBe(200);
      expect(api.violations).toEqual([]);
    });

    it('read-only tokens (fork PRs) read but get 403 on writes', async () => {
      await api.close();
      await start({ readOnly: true });
      expect((await octokit.rest.issues.listComments({ ...ref, issue_number: 7 })).status).toBe(200);
      const denied = await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x' }));
      expect(denied.status).toBe(403);
      expect(denied.data).toEqual({
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
        status: '403'
      });
      expect(denied.headers['x-accepted-github-permissions']).toBe('issues=write; pull_requests=write');
      expect((await failure(octokit.rest.pulls.createReview({ ...ref, pull_number: 7, event: 'COMMENT', body: 'x' }))).status).toBe(403);
      expect((await failure(octokit.rest.users.getAuthenticated())).message).toMatch(/Resource not accessible by integration/);
      expect(api.pullRequest(OWNER, REPO, 7).comments).toEqual([]);
      expect(api.violations).toEqual([]);
    });

    it('GET /user answers for a personal token', async () => {
      await api.close();
      await start({ login: 'octocat' });
      const { data } = await octokit.rest.users.getAuthenticated();
      expect(data).toMatchObject({ login: 'octocat', type: 'User', id: 583231 });
      await octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x' });
      expect(api.pullRequest(OWNER, REPO, 7).comments[0].user).toBe('octocat');
      expect(api.violations).toEqual([]);
    });

    it('injects secondary rate limits (403 and 429 with retry-after) and 5xx', async () => {
      api.failNext(1, { status: 403, retryAfter: 60 });
      api.failNext(1, { status: 429, retryAfter: 1 });
      api.failNext(1, { status: 502 });
      const limited = await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x' }));
      expect(limited.status).toBe(403);
      expect(limited.headers['retry-after']).toBe('60');
      expect(limited.message).toMatch(/You have exceeded a secondary rate limit/);
      const tooMany = await failure(octokit.rest.issues.listComments({ ...ref, issue_number: 7 }));
      expect([tooMany.status, tooMany.headers['retry-after']]).toEqual([429, '1']);
      const bad = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 7 }));
      expect(bad.status).toBe(502);
      expect((await octokit.rest.pulls.get({ ...ref, pull_number: 7 })).status).toBe(200);
      expect(api.requests.map((r) => [r.status, r.injected ?? false])).toEqual([
        [403, true],
        [429, true],
        [502, true],
        [200, false]
      ]);
      expect(api.pullRequest(OWNER, REPO, 7).comments).toEqual([]);
      expect(api.violations).toEqual([]);
    });

    it('injects primary rate limits, HTML 502s, failures for matching requests only, and failures after the effect', async () => {
      api.failNext(1, { status: 403, rateLimit: 'primary' });
      const primary = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 7 }));
      expect(primary.headers['x-ratelimit-remaining']).toBe('0');
      expect(primary.message).toMatch(/API rate limit exceeded/);

      api.failNext(1, { status: 502, rawBody: '<html><body>Unicorn!</body></html>' });
      expect((await failure(octokit.rest.pulls.get({ ...ref, pull_number: 7 }))).status).toBe(502);

      api.failNext(1, { status: 503, match: { operationId: 'issues/create-comment' } });
      expect((await octokit.rest.pulls.get({ ...ref, pull_number: 7 })).status).toBe(200);
      expect((await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'x' }))).status).toBe(503);

      // The write lands, the client sees a 502: a retry would post a duplicate.
      api.failNext(1, { status: 502, afterEffect: true, match: { method: 'POST' } });
      expect((await failure(octokit.rest.issues.createComment({ ...ref, issue_number: 7, body: 'landed' }))).status).toBe(502);
      expect(api.pullRequest(OWNER, REPO, 7).comments.map((c) => c.body)).toEqual(['landed']);
      expect(api.violations).toEqual([]);
    });

    it("src/io/github.ts's client, pointed at the server by GITHUB_API_URL, retries injected failures", async () => {
      process.env.GITHUB_API_URL = api.url;
      try {
        const retries: string[] = [];
        const client = getClient(TOKEN, { retries: 3, maxWaitSeconds: 0, onRetry: (m) => retries.push(m) });
        api.failNext(1, { status: 403, retryAfter: 0 });
        api.failNext(1, { status: 502 });
        const { data } = await client.rest.issues.createComment({ ...ref, issue_number: 7, body: 'after retries' });
        expect(data.body).toBe('after retries');
        expect(retries).toHaveLength(2);
        expect(api.requests.map((r) => r.status)).toEqual([403, 502, 201]);
      } finally {
        delete process.env.GITHUB_API_URL;
      }
      expect(api.violations).toEqual([]);
    });

    it('latency lets two clients race: both see no comment, both create one', async () => {
      api.setLatency(({ method }) => (method === 'GET' ? 50 : 0));
      const other = getOctokit(TOKEN, { baseUrl: api.url });
      const upsert = async (client: Octokit, body: string) => {
        const existing = await client.rest.issues.listComments({ ...ref, issue_number: 7 });
        const mine = existing.data.find((c) => c.body?.startsWith('<!-- sticky -->'));
        if (mine) await client.rest.issues.updateComment({ ...ref, comment_id: mine.id, body });
        else await client.rest.issues.createComment({ ...ref, issue_number: 7, body });
      };
      await Promise.all([upsert(octokit, '<!-- sticky -->\na'), upsert(other, '<!-- sticky -->\nb')]);
      expect(api.pullRequest(OWNER, REPO, 7).comments).toHaveLength(2);
      api.setLatency(0);
      await upsert(octokit, '<!-- sticky -->\nc');
      const bodies = api.pullRequest(OWNER, REPO, 7).comments.map((c) => c.body);
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toBe('<!-- sticky -->\nc');
      expect(api.violations).toEqual([]);
    });
  });
});

describe('webhook examples', () => {
  it('loads real pull_request payloads (opened, synchronize) and pull_request_target', () => {
    const opened = loadWebhookExample('pull_request', 'opened');
    expect(opened.action).toBe('opened');
    expect(opened.pull_request.number).toBe(2);
    expect(opened.pull_request.head.sha).toMatch(/^[0-9a-f]{40}$/);
    const sync = loadWebhookExample('pull_request.synchronize');
    expect(sync.action).toBe('synchronize');
    const target = loadWebhookExample('pull_request_target', (p) => p.action === 'opened');
    expect(target.pull_request.head.sha).toBe(opened.pull_request.head.sha);
    expect(pullRequestSeedFromEvent(target)).toEqual({
      owner: 'Codertocat',
      repo: 'Hello-World',
      number: 2,
      headSha: opened.pull_request.head.sha,
      headRef: opened.pull_request.head.ref,
      baseRef: 'master',
      title: opened.pull_request.title
    });
  });

  it('loads workflow_run completed and returns deep copies', () => {
    const run = loadWebhookExample('workflow_run', (p) => p.action === 'completed' && p.workflow_run.pull_requests.length > 0);
    expect(run.workflow_run.conclusion).toBe('success');
    expect(pullRequestSeedFromEvent(run)).toMatchObject({ number: 2, headSha: run.workflow_run.head_sha });
    run.workflow_run.pull_requests.length = 0;
    expect(
      loadWebhookExample('workflow_run', (p) => p.action === 'completed' && p.workflow_run.pull_requests.length > 0).workflow_run.pull_requests
    ).toHaveLength(1);
    expect(() => loadWebhookExample('pull_request', 'teleported')).toThrow(/recorded actions: .*synchronize/);
  });

  it('writes event files for GITHUB_EVENT_PATH', () => {
    const payload = loadWebhookExample('pull_request', 'opened');
    const file = writeEventFile(payload);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(payload);
  });
});

describe('diff positions', () => {
  it('numbers lines as GitHub does', () => {
    const lines = parsePatch(DOCKERFILE_PATCH);
    expect(lines.map((l) => [l.position, l.kind, l.oldLine, l.newLine])).toEqual([
      [0, '@', null, null],
      [1, ' ', 1, 1],
      [2, '-', 2, null],
      [3, '+', null, 2],
      [4, '+', null, 3],
      [5, ' ', 3, 4],
      [6, ' ', 4, 5],
      [7, '@', null, null],
      [8, ' ', 10, 11],
      [9, '-', 11, null],
      [10, '+', null, 12],
      [11, ' ', 12, 13]
    ]);
    expect(resolveAnchor(DOCKERFILE_PATCH, { line: 13 })).toMatchObject({ ok: true, position: 11 });
    expect(resolveAnchor(DOCKERFILE_PATCH, { line: 2, side: 'LEFT' })).toMatchObject({ ok: true, position: 2 });
    expect(resolveAnchor(DOCKERFILE_PATCH, { line: 2, start_line: 2 })).toEqual({ ok: false, field: 'start_line' });
    expect(resolveAnchor(DOCKERFILE_PATCH, { position: 7 })).toEqual({ ok: false, field: 'line' });
  });
});

describe('@actions/github against the server', () => {
  let server: GitHubApi | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function runChild(env: Record<string, string>): Promise<{ baseUrl: string; repo: unknown; number: number; headSha: string; result: string | number }> {
    const script = `
      import { getOctokit, context } from '@actions/github';
      const o = getOctokit(process.env.GITHUB_TOKEN, process.env.BASE_URL ? { baseUrl: process.env.BASE_URL } : {});
      const result = await o.rest.issues.listComments({ ...context.repo, issue_number: context.issue.number }).then((r) => r.status, (e) => 'error ' + e.message);
      console.log(JSON.stringify({ baseUrl: o.request.endpoint.DEFAULTS.baseUrl, repo: context.repo, number: context.issue.number, headSha: context.payload.pull_request?.head?.sha, result }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env }
    });
    return JSON.parse(stdout) as { baseUrl: string; repo: unknown; number: number; headSha: string; result: string | number };
  }

  it('honours GITHUB_API_URL (read at import) and GITHUB_EVENT_PATH in a fresh process', async () => {
    server = await startGitHubApi({ token: TOKEN });
    const payload = loadWebhookExample('pull_request', 'synchronize');
    server.addPullRequest({ ...pullRequestSeedFromEvent(payload) });
    const out = await runChild(server.actionEnv({ payload, eventName: 'pull_request', token: TOKEN }));
    expect(out).toEqual({
      baseUrl: server.url,
      repo: { owner: 'Codertocat', repo: 'Hello-World' },
      number: 2,
      headSha: payload.pull_request.head.sha,
      result: 200
    });
    expect(server.requests.map((r) => r.path)).toEqual(['/repos/Codertocat/Hello-World/issues/2/comments']);
    expect(server.violations).toEqual([]);
  });

  it('GITHUB_API_URL set after the import is ignored; baseUrl is not', () => {
    const before = getOctokit(TOKEN).request.endpoint.DEFAULTS.baseUrl;
    process.env.GITHUB_API_URL = 'http://127.0.0.1:9';
    try {
      expect(getOctokit(TOKEN).request.endpoint.DEFAULTS.baseUrl).toBe(before);
      expect(getOctokit(TOKEN, { baseUrl: 'http://127.0.0.1:9' }).request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:9');
    } finally {
      delete process.env.GITHUB_API_URL;
    }
  });

  it('with HTTPS_PROXY set at import, only GITHUB_API_URL (not baseUrl) keeps requests on loopback', async () => {
    server = await startGitHubApi({ token: TOKEN });
    const payload = loadWebhookExample('pull_request', 'opened');
    server.addPullRequest({ ...pullRequestSeedFromEvent(payload) });
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const proxy = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    const env = server.actionEnv({ payload, eventName: 'pull_request', token: TOKEN });
    const viaBaseUrl = await runChild({ ...env, GITHUB_API_URL: '', BASE_URL: server.url, HTTPS_PROXY: proxy });
    expect(viaBaseUrl.baseUrl).toBe(server.url);
    expect(String(viaBaseUrl.result)).toMatch(/^error/);
    expect(server.requests).toHaveLength(0);
    const viaEnv = await runChild({ ...env, HTTPS_PROXY: proxy });
    expect(viaEnv.result).toBe(200);
    expect(server.violations).toEqual([]);
  });
});
