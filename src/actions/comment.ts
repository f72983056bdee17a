/**
 * The `comment` action: merge findings files from lint, gate and verify, then
 * one sticky PR comment, review comments on changed lines, annotations, the job
 * summary and merged SARIF. Without write permission (fork PRs on
 * `pull_request`) it degrades to annotations and the summary and says how to
 * get comments; it never fails the job for that.
 */
import * as core from '@actions/core';
import { planComment } from '../core/comment/plan.js';
import { FindingsFileError, mergeFindings } from '../core/comment/findings-files.js';
import { readFindingsFiles } from '../io/findings.js';
import { isOurs } from '../core/comment/body.js';
import type { AllClear, CommentMode, CommentOptions, DiffFile, ExistingComment, ExistingReviewComment, FilterMode } from '../core/comment/types.js';
import { atOrAbove, parseThreshold } from '../core/finding.js';
import { ReportError } from '../core/gate/types.js';
import { hiddenNotice, toAnnotations } from '../core/report/annotations.js';
import { formatMarkdownSummary } from '../core/report/markdown.js';
import { mergeSarif, toSarif } from '../core/report/sarif.js';
import { buildReport } from '../core/run.js';
import { writeFileAtomic } from '../io/files.js';
import { getClient, isPermissionError, prFromEvent, type Octokit } from '../io/github.js';
import { UsageError } from '../io/lint-run.js';
import { listInput } from './lint.js';

const MODES: CommentMode[] = ['summary', 'review', 'both'];
const FILTERS: FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];

function choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const v = (core.getInput(name) || fallback).trim() as T;
  if (!allowed.includes(v)) throw new UsageError(`input ${name}: "${v}" is not one of ${allowed.join(', ')}`);
  return v;
}

const FORK_HINT =
  'container-guard: this token cannot write to the pull request (a fork PR on `pull_request` gets a read-only token). ' +
  'The findings are in the annotations and the job summary. To get PR comments, run the comment step from a `workflow_run` ' +
  'workflow that downloads the findings files as an artifact (see the README: "Fork PRs").';

async function paginate<T>(octokit: Octokit, route: string, params: Record<string, unknown>): Promise<T[]> {
  return (await octokit.paginate(route, { ...params, per_page: 100 })) as T[];
}

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const files = readFindingsFiles(cwd, listInput('findings-files'));
    const findings = mergeFindings(files.map((f) => f.findings));
    const options: CommentOptions = {
      header: core.getInput('header') || 'container-guard',
      mode: choice('mode', MODES, 'both'),
      filterMode: choice('filter-mode', FILTERS, 'added'),
      maxComments: Number(core.getInput('max-comments') || '25'),
      allClear: choice<AllClear>('all-clear', ['update', 'delete'], 'update'),
      serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com'
    };
    if (!Number.isInteger(options.maxComments) || options.maxComments < 0)
      throw new UsageError(`input max-comments: "${core.getInput('max-comments')}" is not a whole number`);
    const threshold = parseThreshold(core.getInput('fail-on') || 'none');

    // Annotations, summary and merged SARIF need no permission: they always happen.
    const report = buildReport(findings, [], [...new Set(findings.map((f) => f.file))], [], []);
    const { annotations, hidden } = toAnnotations(report);
    for (const a of annotations) {
      const props = { title: a.title, file: a.file, startLine: a.startLine, endLine: a.endLine, startColumn: a.startColumn };
      (a.level === 'error' ? core.error : a.level === 'warning' ? core.warning : core.notice)(a.message, props);
    }
    const notice = hiddenNotice(hidden);
    if (notice) core.info(notice);
    const sarifFile = core.getInput('sarif-file');
    if (sarifFile) {
      const byTool = new Map<string, typeof findings>();
      for (const f of findings) byTool.set(f.tool ?? 'other', [...(byTool.get(f.tool ?? 'other') ?? []), f]);
      const logs = [...byTool].map(([tool, fs2]) => toSarif(buildReport(fs2, [], [], [], []), { category: `container-guard/${tool}` }));
      writeFileAtomic(sarifFile, JSON.stringify(mergeSarif(logs)) + '\n');
    }
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatMarkdownSummary(report)).write();

    let commentId = '';
    let commentUrl = '';
    let posted = 0;
    const pr = prFromEvent(process.env.GITHUB_EVENT_NAME ?? '', process.env.GITHUB_EVENT_PATH, process.env.GITHUB_REPOSITORY, core.getInput('pr-number'));
    const token = core.getInput('github-token');
    if (!pr) core.info('container-guard: not a pull request run (or no PR number handed over): annotations and job summary only.');
    else if (!token) core.warning('container-guard: no github-token: annotations and job summary only.');
    else {
      const octokit = getClient(token, { retries: 4, maxWaitSeconds: 60, onRetry: (m) => core.info(m) });
      const repo = { owner: pr.owner, repo: pr.repo };
      const prData = pr.headSha ? undefined : (await octokit.rest.pulls.get({ ...repo, pull_number: pr.number })).data;
      const headSha = pr.headSha ?? prData?.head.sha ?? '';
      const [comments, diff, reviewComments] = await Promise.all([
        paginate<{ id: number; body?: string; user?: { login?: string } | null }>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
          ...repo,
          issue_number: pr.number
        }),
        paginate<DiffFile>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...repo, pull_number: pr.number }),
        paginate<{ id: number; path: string; line?: number | null; body: string }>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
          ...repo,
          pull_number: pr.number
        })
      ]);
      const existing: ExistingComment[] = comments.map((c) => ({ id: c.id, body: c.body ?? '', user: c.user?.login }));
      const existingReview: ExistingReviewComment[] = reviewComments.map((c) => ({ id: c.id, path: c.path, line: c.line, body: c.body }));
      const plan = planComment({
        findings,
        pr: { ...repo, number: pr.number, headSha },
        diff,
        existing,
        existingReview,
        options,
        reports: files.map((f) => f.report).filter((r): r is NonNullable<typeof r> => r !== undefined)
      });
      try {
        const s = plan.sticky;
        if (s.action === 'create') {
          // Re-check right before creating: a parallel run may have created it meanwhile.
          const again = await paginate<{ id: number; body?: string; html_url: string }>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
            ...repo,
            issue_number: pr.number
          });
          const raced = again.filter((c) => isOurs(c.body ?? '', options.header)).sort((a, b) => a.id - b.id)[0];
          const res = raced
            ? await octokit.rest.issues.updateComment({ ...repo, comment_id: raced.id, body: s.body })
            : await octokit.rest.issues.createComment({ ...repo, issue_number: pr.number, body: s.body });
          commentId = String(res.data.id);
          commentUrl = res.data.html_url;
        } else if (s.action === 'update') {
          const res = await octokit.rest.issues.updateComment({ ...repo, comment_id: s.id, body: s.body });
          commentId = String(res.data.id);
          commentUrl = res.data.html_url;
        } else if (s.action === 'delete') {
          await octokit.rest.issues.deleteComment({ ...repo, comment_id: s.id });
        }
        for (const id of plan.deleteDuplicates) await octokit.rest.issues.deleteComment({ ...repo, comment_id: id });
        if (plan.review && plan.review.comments.length > 0) {
          try {
            await octokit.rest.pulls.createReview({
              ...repo,
              pull_number: pr.number,
              commit_id: headSha || undefined,
              event: 'COMMENT',
              body: plan.review.body,
              comments: plan.review.comments.map((c) => ({
                path: c.path,
                line: c.line,
                side: c.side,
                body: c.body,
                ...(c.startLine ? { start_line: c.startLine, start_side: c.side } : {})
              }))
            });
            posted = plan.review.comments.length;
          } catch (e) {
            // 422: the diff moved under us (a new push); the sticky comment still has every finding.
            if ((e as { status?: number }).status !== 422) throw e;
            core.warning(`container-guard: GitHub rejected the review (${(e as Error).message}); the findings are in the sticky comment.`);
          }
        }
        if (plan.skipped.overLimit > 0) core.info(`${plan.skipped.overLimit} review comment(s) over max-comments left out; they are in the sticky comment.`);
      } catch (e) {
        if (!isPermissionError(e)) throw e;
        core.warning(FORK_HINT);
      }
    }

    core.setOutput('comment-id', commentId);
    core.setOutput('comment-url', commentUrl);
    core.setOutput('posted-review-comments', String(posted));
    core.setOutput('findings', String(findings.length));
    const failing = findings.filter((f) => atOrAbove(f.severity, threshold)).length;
    if (failing > 0) core.setFailed(`${failing} finding(s) at or above "${threshold}"`);
  } catch (e) {
    if (e instanceof FindingsFileError || e instanceof UsageError || e instanceof ReportError) core.setFailed(e.message);
    else if (isPermissionError(e)) core.warning(FORK_HINT);
    else core.setFailed(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  }
}
