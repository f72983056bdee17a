/**
 * The GitHub side of the comment action: which PR a run is about (from the event
 * payload), and an Octokit that retries secondary rate limits and 5xx honouring
 * `retry-after`. Only src/actions/comment.ts uses it.
 */
import * as github from '@actions/github';
import fs from 'node:fs';
import { UsageError } from './lint-run.js';

export type Octokit = ReturnType<typeof github.getOctokit>;

/** The run that triggered a `workflow_run` workflow, as GitHub describes it (not as any artifact says). */
export interface TriggeringRun {
  headSha: string;
  /** `owner/name` of the repository the run built (the fork, for a fork PR). */
  headRepo: string;
  headBranch: string;
  /** PRs GitHub associated with the run (empty for fork PRs). */
  pullRequests: number[];
}

export interface PrContext {
  owner: string;
  repo: string;
  event: string;
  /** The PR the event names (pull_request, pull_request_target). */
  eventNumber?: number;
  headSha?: string;
  /** workflow_run: the triggering run; the PR is resolved from it and pr-number is checked against it. */
  run?: TriggeringRun;
  /** The pr-number input, when given. */
  input?: number;
}

/** A PR number that does not belong to this run: nothing is written. */
export class PrMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PrMismatchError';
  }
}

/** pr-number as the input gives it: a whole number from 1, or an error naming the input. */
export function parsePrNumber(raw: string): number | undefined {
  const v = raw.trim();
  if (v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) < 1 || !Number.isSafeInteger(Number(v)))
    throw new UsageError(`input pr-number: "${v}" is not a pull request number (a whole number from 1)`);
  return Number(v);
}

/** What the event says about the PR. Nothing here is trusted beyond what GitHub wrote into the payload. */
export function prFromEvent(eventName: string, eventPath: string | undefined, repository: string | undefined, prInput: string): PrContext | undefined {
  const input = parsePrNumber(prInput);
  let payload: Record<string, unknown> = {};
  if (eventPath && fs.existsSync(eventPath)) payload = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
  const repoFromPayload = payload.repository as { owner?: { login?: string }; name?: string } | undefined;
  const [envOwner, envRepo] = (repository ?? '').split('/');
  const owner = repoFromPayload?.owner?.login ?? envOwner ?? '';
  const repo = repoFromPayload?.name ?? envRepo ?? '';
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = payload.pull_request as { number: number; head?: { sha?: string } } | undefined;
    if (!pr) return input === undefined ? undefined : { owner, repo, event: eventName, input };
    return { owner, repo, event: eventName, eventNumber: pr.number, headSha: pr.head?.sha, input };
  }
  if (eventName === 'workflow_run') {
    const wr = payload.workflow_run as
      { head_sha?: string; head_branch?: string; head_repository?: { full_name?: string } | null; pull_requests?: { number: number }[] } | undefined;
    if (!wr?.head_sha) return input === undefined ? undefined : { owner, repo, event: eventName, input };
    const run: TriggeringRun = {
      headSha: wr.head_sha,
      // A deleted fork has no head repository: then no PR can be proven to be the run's ('' matches none).
      headRepo: wr.head_repository?.full_name ?? '',
      headBranch: wr.head_branch ?? '',
      pullRequests: (wr.pull_requests ?? []).map((p) => p.number)
    };
    return { owner, repo, event: eventName, headSha: run.headSha, run, input };
  }
  // push, workflow_dispatch, …: only the workflow's own pr-number names a PR.
  return input === undefined ? undefined : { owner, repo, event: eventName, input };
}

export interface ResolvedPr {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
}

interface PullHead {
  number: number;
  head: { sha: string; ref: string; repo: { full_name: string } | null };
}

const sameName = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();
const short = (sha: string) => sha.slice(0, 7);

/**
 * The PR this run may write to, or undefined (with `why`) when there is none. For `workflow_run` the PR
 * comes from the triggering run itself: an open PR whose head is the run's head commit in the run's head
 * repository. A pr-number (which a fork's artifact may have chosen) is only accepted when it is that PR;
 * otherwise PrMismatchError, and nothing is written anywhere.
 */
export async function resolvePullRequest(octokit: Octokit, ctx: PrContext): Promise<{ pr?: ResolvedPr; why?: string }> {
  const base = { owner: ctx.owner, repo: ctx.repo };
  if (ctx.eventNumber !== undefined) {
    if (ctx.input !== undefined && ctx.input !== ctx.eventNumber)
      throw new PrMismatchError(`input pr-number: ${ctx.input} is not the pull request of this ${ctx.event} event (#${ctx.eventNumber}); refusing to comment`);
    const headSha = ctx.headSha ?? (await octokit.rest.pulls.get({ ...base, pull_number: ctx.eventNumber })).data.head.sha;
    return { pr: { ...base, number: ctx.eventNumber, headSha } };
  }
  const run = ctx.run;
  if (!run) {
    // Not a PR event: the workflow's own pr-number (workflow_dispatch, push) is taken as given.
    if (ctx.input === undefined) return { why: 'not a pull request run' };
    const data = (await octokit.rest.pulls.get({ ...base, pull_number: ctx.input })).data;
    return { pr: { ...base, number: ctx.input, headSha: data.head.sha } };
  }
  const matches = (p: PullHead) => p.head.sha === run.headSha && sameName(p.head.repo?.full_name, run.headRepo);
  const describe = (p: PullHead) => `${p.head.repo?.full_name ?? '(deleted repository)'}@${short(p.head.sha)}`;
  if (ctx.input !== undefined) {
    let pull: PullHead;
    try {
      pull = (await octokit.rest.pulls.get({ ...base, pull_number: ctx.input })).data as PullHead;
    } catch (e) {
      if ((e as { status?: number }).status === 404)
        throw new PrMismatchError(`input pr-number: ${ctx.input} is not a pull request of ${base.owner}/${base.repo}; refusing to comment`);
      throw e;
    }
    if (matches(pull)) return { pr: { ...base, number: pull.number, headSha: run.headSha } };
    if (sameName(pull.head.repo?.full_name, run.headRepo) && pull.head.ref === run.headBranch)
      return {
        why: `#${pull.number} has moved on to ${short(pull.head.sha)} since the triggering run built ${short(run.headSha)}; the run for the new head will comment`
      };
    throw new PrMismatchError(
      `input pr-number: #${ctx.input} does not belong to the triggering run: the run built ${run.headRepo || '(a deleted repository)'}@${short(run.headSha)}, ` +
        `#${ctx.input} is ${describe(pull)}. Refusing to comment (a pull request number from an artifact is untrusted)`
    );
  }
  // GitHub's own association (same-repository PRs), then an open PR with the run's head.
  for (const n of run.pullRequests) {
    const pull = (await octokit.rest.pulls.get({ ...base, pull_number: n })).data as PullHead;
    if (matches(pull)) return { pr: { ...base, number: n, headSha: run.headSha } };
  }
  const headOwner = run.headRepo.split('/')[0] ?? '';
  if (!run.headBranch || !headOwner) return { why: 'the triggering run names no head repository or branch' };
  const open = (await octokit.paginate(octokit.rest.pulls.list, {
    ...base,
    state: 'open',
    head: `${headOwner}:${run.headBranch}`,
    per_page: 100
  })) as PullHead[];
  const found = open.filter(matches);
  if (found.length === 1) return { pr: { ...base, number: found[0]!.number, headSha: run.headSha } };
  if (found.length > 1)
    throw new PrMismatchError(
      `several open pull requests (${found.map((p) => `#${p.number}`).join(', ')}) have the head ${run.headRepo}@${short(run.headSha)}: set pr-number to choose one`
    );
  return { why: `no open pull request has the triggering run's head ${run.headRepo}@${short(run.headSha)}` };
}

/** Who comments: only comments by this login are ever found, updated or deleted. */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * The login the token writes as, looked up once. A user token (PAT, user-to-server) answers GET /user.
 * Installation tokens (GITHUB_TOKEN, GitHub App tokens) get 403 there: then `botLogin` (the `bot-login`
 * input, e.g. `my-app[bot]`) or, by default, `github-actions[bot]`, the identity of GITHUB_TOKEN.
 */
export async function tokenLogin(octokit: Octokit, botLogin: string | undefined): Promise<{ login: string; how: string }> {
  if (botLogin) return { login: botLogin, how: 'the bot-login input' };
  try {
    const user = (await octokit.rest.users.getAuthenticated()).data;
    return { login: user.login, how: 'GET /user' };
  } catch (e) {
    const status = (e as { status?: number }).status;
    if (status === 403 || status === 401 || status === 404) return { login: ACTIONS_BOT, how: 'installation token (GET /user is not available to it)' };
    throw e;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RetryOptions {
  retries: number;
  /** Upper bound for one wait, in seconds. */
  maxWaitSeconds: number;
  onRetry?: (message: string) => void;
}

/** True for GitHub's secondary rate limit and abuse responses, plain 429s and 5xx. */
export function retryable(status: number, message: string): boolean {
  return status === 429 || status >= 500 || (status === 403 && /rate limit|abuse/i.test(message));
}

export function getClient(token: string, retry: RetryOptions): Octokit {
  const octokit = github.getOctokit(token, { baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com' });
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options);
      } catch (e) {
        const err = e as { status?: number; message?: string; response?: { headers?: Record<string, string | undefined> } };
        const status = err.status ?? 0;
        if (attempt >= retry.retries || !retryable(status, err.message ?? '')) throw e;
        const header = Number(err.response?.headers?.['retry-after']);
        const wait = Math.min(Number.isFinite(header) && header >= 0 ? header : 2 ** attempt, retry.maxWaitSeconds);
        retry.onRetry?.(`GitHub answered ${status} (${err.message ?? ''}); retrying in ${wait}s (${attempt + 1}/${retry.retries})`);
        await sleep(wait * 1000);
      }
    }
  });
  return octokit;
}

/** A write refused for lack of permission (fork PRs get a read-only token on `pull_request`). */
export function isPermissionError(e: unknown): boolean {
  const err = e as { status?: number; message?: string };
  return (err.status === 403 && !/rate limit|abuse/i.test(err.message ?? '')) || err.status === 401;
}
