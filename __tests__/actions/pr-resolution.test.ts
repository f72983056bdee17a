/**
 * src/io/github.ts against the OpenAPI-validating GitHub stand-in: which PR a run may write to, and who
 * the token is. The end-to-end attacks are in hostile-pr.test.ts; these are the edge cases.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startGitHubApi, type GitHubApi } from '../helpers/github-api.js';

// @actions/github picks its proxy dispatcher when first imported: keep loopback requests direct.
for (const k of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']) delete process.env[k];
const { getClient, parsePrNumber, PrMismatchError, resolvePullRequest, tokenLogin } = await import('../../src/io/github.js');

const TOKEN = 'ghs_resolution';
const SHA = 'c0ffee'.repeat(6) + 'c0ff';
const base = { owner: 'acme', repo: 'api' };

describe('resolvePullRequest', () => {
  let api: GitHubApi;
  let octokit: ReturnType<typeof getClient>;
  beforeEach(async () => {
    api = await startGitHubApi({ token: TOKEN });
    process.env.GITHUB_API_URL = api.url;
    octokit = getClient(TOKEN, { retries: 0, maxWaitSeconds: 0 });
    api.addPullRequest({ ...base, number: 1, headSha: 'a'.repeat(40), headRef: 'main-fix' });
    api.addPullRequest({ ...base, number: 7, headSha: SHA, headRef: 'feature', headRepo: 'alice/api' });
  });
  afterEach(async () => {
    expect(api.violations).toEqual([]);
    await api.close();
  });
  const run = (over: Partial<{ headSha: string; headRepo: string; headBranch: string; pullRequests: number[] }> = {}) => ({
    ...base,
    event: 'workflow_run',
    run: { headSha: SHA, headRepo: 'alice/api', headBranch: 'feature', pullRequests: [], ...over }
  });

  it("finds a fork's PR from the run's head commit and repository", async () => {
    expect(await resolvePullRequest(octokit, run())).toEqual({ pr: { ...base, number: 7, headSha: SHA } });
  });

  it("uses GitHub's own association for same-repository runs", async () => {
    const r = await resolvePullRequest(octokit, run({ headSha: 'a'.repeat(40), headRepo: 'acme/api', headBranch: 'main-fix', pullRequests: [1] }));
    expect(r.pr?.number).toBe(1);
    expect(api.requests.some((q) => q.operationId === 'pulls/list')).toBe(false);
  });

  it('a deleted head repository proves no PR: nothing found, and a pr-number is refused', async () => {
    expect(await resolvePullRequest(octokit, run({ headRepo: '' }))).toEqual({ why: 'the triggering run names no head repository or branch' });
    await expect(resolvePullRequest(octokit, { ...run({ headRepo: '' }), input: 7 })).rejects.toThrow(/the run built \(a deleted repository\)@c0ffeec/);
  });

  it('the same branch name in another fork is not the PR', async () => {
    expect((await resolvePullRequest(octokit, run({ headRepo: 'mallory/api' }))).pr).toBeUndefined();
    await expect(resolvePullRequest(octokit, { ...run({ headRepo: 'mallory/api' }), input: 7 })).rejects.toBeInstanceOf(PrMismatchError);
  });

  it('a pr-number that is no PR is refused', async () => {
    await expect(resolvePullRequest(octokit, { ...run(), input: 99 })).rejects.toThrow(
      'input pr-number: 99 is not a pull request of acme/api; refusing to comment'
    );
  });

  it('two open PRs with the run head ask for pr-number', async () => {
    api.addPullRequest({ ...base, number: 8, headSha: SHA, headRef: 'feature', headRepo: 'alice/api' });
    await expect(resolvePullRequest(octokit, run())).rejects.toThrow(
      'several open pull requests (#8, #7) have the head alice/api@c0ffeec: set pr-number to choose one'
    );
    expect((await resolvePullRequest(octokit, { ...run(), input: 8 })).pr?.number).toBe(8);
  });

  it('no PR event and no pr-number: nothing to write to', async () => {
    expect(await resolvePullRequest(octokit, { ...base, event: 'push' })).toEqual({ why: 'not a pull request run' });
  });

  it('tokenLogin: installation tokens fall back to github-actions[bot]; user tokens answer GET /user', async () => {
    expect(await tokenLogin(octokit, undefined)).toEqual({ login: 'github-actions[bot]', how: 'installation token (GET /user is not available to it)' });
    const user = await startGitHubApi({ token: TOKEN, login: 'octocat' });
    try {
      process.env.GITHUB_API_URL = user.url;
      const c = getClient(TOKEN, { retries: 0, maxWaitSeconds: 0 });
      expect(await tokenLogin(c, undefined)).toEqual({ login: 'octocat', how: 'GET /user' });
      expect(await tokenLogin(c, 'app[bot]')).toEqual({ login: 'app[bot]', how: 'the bot-login input' });
    } finally {
      await user.close();
    }
  });
});

describe('parsePrNumber', () => {
  it.each(['7', ' 7 ', '123456'])('accepts %j', (v) => expect(parsePrNumber(v)).toBe(Number(v.trim())));
  it('empty is no PR', () => expect(parsePrNumber('')).toBeUndefined());
  it.each(['0', '-1', '1.5', 'abc', '#7', '7abc', '99999999999999999999'])('refuses %j naming the input', (v) =>
    expect(() => parsePrNumber(v)).toThrow(`input pr-number: "${v}" is not a pull request number (a whole number from 1)`)
  );
});
