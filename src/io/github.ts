/**
 * The GitHub side of the comment action: which PR a run is about (from the event
 * payload), and an Octokit that retries secondary rate limits and 5xx honouring
 * `retry-after`. Only src/actions/comment.ts uses it.
 */
import * as github from '@actions/github';
import fs from 'node:fs';

export type Octokit = ReturnType<typeof github.getOctokit>;

export interface PrContext {
  owner: string;
  repo: string;
  number: number;
  headSha?: string;
  event: string;
}

/** Resolves the PR from pull_request, pull_request_target or workflow_run (PR number handed over as input). */
export function prFromEvent(eventName: string, eventPath: string | undefined, repository: string | undefined, prInput: string): PrContext | undefined {
  let payload: Record<string, unknown> = {};
  if (eventPath && fs.existsSync(eventPath)) payload = JSON.parse(fs.readFileSync(eventPath, 'utf8')) as Record<string, unknown>;
  const repoFromPayload = payload.repository as { owner?: { login?: string }; name?: string } | undefined;
  const [envOwner, envRepo] = (repository ?? '').split('/');
  const owner = repoFromPayload?.owner?.login ?? envOwner;
  const repo = repoFromPayload?.name ?? envRepo;
  const explicit = prInput.trim();
  if (explicit) {
    if (!/^\d+$/.test(explicit)) throw new Error(`input pr-number: "${explicit}" is not a number`);
    const wr = payload.workflow_run as { head_sha?: string } | undefined;
    return { owner, repo, number: Number(explicit), headSha: wr?.head_sha, event: eventName };
  }
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const pr = payload.pull_request as { number: number; head?: { sha?: string } } | undefined;
    if (!pr) return undefined;
    return { owner, repo, number: pr.number, headSha: pr.head?.sha, event: eventName };
  }
  if (eventName === 'workflow_run') {
    // For fork PRs GitHub leaves workflow_run.pull_requests empty: the PR number must come as input.
    const wr = payload.workflow_run as { head_sha?: string; pull_requests?: { number: number }[] } | undefined;
    const pr = wr?.pull_requests?.[0];
    if (!pr) return undefined;
    return { owner, repo, number: pr.number, headSha: wr?.head_sha, event: eventName };
  }
  return undefined;
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
