/**
 * The `comment` action: merge findings files from lint, gate and verify, then
 * one sticky PR comment, review comments on changed lines, annotations, the job
 * summary and merged SARIF. Without write permission (fork PRs on
 * `pull_request`) it degrades to annotations and the summary and says how to
 * get comments; it never fails the job for that.
 *
 * Hostile input: findings files and any PR number handed over in an artifact may come from a fork.
 * The PR is resolved from the event (for `workflow_run`: from the triggering run's head commit and
 * repository) and a pr-number that is not that PR is refused; only comments written by the token's
 * own login are ever found, updated or deleted (src/io/github.ts).
 */
import * as core from '@actions/core';
import { planComment } from '../core/comment/plan.js';
import { FindingsFileError, mergeFindings } from '../core/comment/findings-files.js';
import { readFindingsFiles } from '../io/findings.js';
import { isOurs } from '../core/comment/body.js';
import type { AllClear, CommentMode, CommentOptions, DiffFile, ExistingComment, ExistingReviewComment, FilterMode } from '../core/comment/types.js';
import { atOrAbove } from '../core/finding.js';
import { ReportError } from '../core/gate/types.js';
import { hiddenNotice, toAnnotations } from '../core/report/annotations.js';
import { formatMarkdownSummary } from '../core/report/markdown.js';
import { mergeSarif, toSarif } from '../core/report/sarif.js';
import { buildReport } from '../core/run.js';
import { writeFileAtomic } from '../io/files.js';
import { getClient, isPermissionError, prFromEvent, PrMismatchError, resolvePullRequest, tokenLogin, type Octokit } from '../io/github.js';
import { UsageError } from '../io/lint-run.js';
import { ANNOTATION_BUDGET, emitAnnotations } from './annotate.js';
import { choiceInput, failWith, integerInput, lintThresholdInput, listInput } from './inputs.js';
import { annotatedStamp, sameJob } from './stamp.js';

const MODES: CommentMode[] = ['summary', 'review', 'both'];
const FILTERS: FilterMode[] = ['added', 'diff_context', 'file', 'nofilter'];
const ALL_CLEAR: AllClear[] = ['update', 'delete'];
const ANNOTATE = ['auto', 'all', 'none'] as const;

const FORK_HINT =
  'container-guard: this token cannot write to the pull request (a fork PR on `pull_request` gets a read-only token). ' +
  'The findings are in the annotations and the job summary. To get PR comments, run the comment step from a `workflow_run` ' +
  'workflow that downloads the findings files as an artifact (see the README: "Fork PRs").';

async function paginate<T>(octokit: Octokit, route: string, params: Record<string, unknown>): Promise<T[]> {
  return (await octokit.paginate(route, { ...params, per_page: 100 })) as T[];
}

type IssueComment = { id: number; body?: string; html_url: string; user?: { login?: string } | null };
const byLogin = (login: string) => (c: { user?: { login?: string } | null }) => (c.user?.login ?? '').toLowerCase() === login.toLowerCase();

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE ?? process.cwd();
    // Every input is checked before any work: a bad value is one line naming it.
    const options: CommentOptions = {
      header: core.getInput('header') || 'container-guard',
      mode: choiceInput('mode', MODES, 'both'),
      filterMode: choiceInput('filter-mode', FILTERS, 'added'),
      maxComments: integerInput('max-comments', 25) ?? 25,
      allClear: choiceInput('all-clear', ALL_CLEAR, 'update'),
      serverUrl: process.env.GITHUB_SERVER_URL ?? 'https://github.com'
    };
    const threshold = lintThresholdInput('none');
    const annotate = choiceInput('annotations', ANNOTATE, 'auto');
    const botLogin = core.getInput('bot-login') || undefined;
    if (botLogin !== undefined && !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$/.test(botLogin))
      throw new UsageError(`input bot-login: "${botLogin}" is not a GitHub login (e.g. my-app[bot])`);
    const prCtx = prFromEvent(process.env.GITHUB_EVENT_NAME ?? '', process.env.GITHUB_EVENT_PATH, process.env.GITHUB_REPOSITORY, core.getInput('pr-number'));

    const files = readFindingsFiles(cwd, listInput('findings-files'));
    const findings = mergeFindings(files.map((f) => f.findings));

    // Annotations, summary and merged SARIF need no permission: they always happen. Findings that lint,
    // gate or verify already annotated in this job (their file carries this job's stamp) are not repeated.
    const here = annotatedStamp();
    const toAnnotate =
      annotate === 'none' ? [] : annotate === 'all' ? findings : mergeFindings(files.filter((f) => !sameJob(f.annotated, here)).map((f) => f.findings));
    const { annotations, hidden } = toAnnotations(buildReport(toAnnotate, [], [], [], []), { total: ANNOTATION_BUDGET.comment });
    emitAnnotations(cwd, annotations);
    const notice = hiddenNotice(hidden);
    if (notice) core.info(notice);
    if (toAnnotate.length < findings.length)
      core.info(`${findings.length - toAnnotate.length} finding(s) were already annotated by an earlier step of this job; not annotated again.`);
    const sarifFile = core.getInput('sarif-file');
    if (sarifFile) {
      // One run per code scanning category. Tool names come from the findings files (a fork's, too): "lint"
      // and "lint/" would be one category twice, which mergeSarif refuses, so runs are grouped by category.
      const byCategory = new Map<string, typeof findings>();
      for (const f of findings) {
        const category = `container-guard/${f.tool ?? 'other'}`.replace(/\/+$/, '');
        const list = byCategory.get(category);
        if (list) list.push(f);
        else byCategory.set(category, [f]);
      }
      const logs = [...byCategory].map(([category, fs2]) => toSarif(buildReport(fs2, [], [], [], []), { category }));
      writeFileAtomic(sarifFile, JSON.stringify(mergeSarif(logs)) + '\n');
    }
    if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(formatMarkdownSummary(buildReport(findings, [], [], [], []))).write();

    let commentId = '';
    let commentUrl = '';
    let posted = 0;
    const token = core.getInput('github-token');
    if (!prCtx) core.info('container-guard: not a pull request run (or no PR number handed over): annotations and job summary only.');
    else if (!token) core.warning('container-guard: no github-token: annotations and job summary only.');
    else {
      const octokit = getClient(token, { retries: 4, maxWaitSeconds: 60, onRetry: (m) => core.info(m) });
      try {
        const resolved = await resolvePullRequest(octokit, prCtx);
        if (!resolved.pr) core.info(`container-guard: ${resolved.why ?? 'no pull request'}: annotations and job summary only.`);
        else {
          const out = await writeToPullRequest(octokit, resolved.pr, { findings, files, options, botLogin });
          ({ commentId, commentUrl, posted } = out);
        }
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
    if (isPermissionError(e)) core.warning(FORK_HINT);
    else failWith(e, (x) => x instanceof FindingsFileError || x instanceof UsageError || x instanceof ReportError || x instanceof PrMismatchError);
  }
}

async function writeToPullRequest(
  octokit: Octokit,
  pr: { owner: string; repo: string; number: number; headSha: string },
  input: { findings: ReturnType<typeof mergeFindings>; files: ReturnType<typeof readFindingsFiles>; options: CommentOptions; botLogin: string | undefined }
): Promise<{ commentId: string; commentUrl: string; posted: number }> {
  const { findings, files, options } = input;
  const repo = { owner: pr.owner, repo: pr.repo };
  const me = await tokenLogin(octokit, input.botLogin);
  core.info(`container-guard: writing as ${me.login} (${me.how}); comments by anyone else are never edited or deleted.`);
  const ours = byLogin(me.login);
  const [comments, diff, reviewComments] = await Promise.all([
    paginate<IssueComment>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: pr.number }),
    paginate<DiffFile>(octokit, 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files', { ...repo, pull_number: pr.number }),
    paginate<{ id: number; path: string; line?: number | null; body: string; user?: { login?: string } | null }>(
      octokit,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/comments',
      { ...repo, pull_number: pr.number }
    )
  ]);
  // Only our own comments exist for the planner: a marker in anyone else's comment is ignored.
  const existing: ExistingComment[] = comments.filter(ours).map((c) => ({ id: c.id, body: c.body ?? '', user: c.user?.login }));
  const existingReview: ExistingReviewComment[] = reviewComments.filter(ours).map((c) => ({ id: c.id, path: c.path, line: c.line, body: c.body }));
  const plan = planComment({
    findings,
    pr: { ...repo, number: pr.number, headSha: pr.headSha },
    diff,
    existing,
    existingReview,
    options,
    botLogin: me.login,
    reports: files.map((f) => f.report).filter((r): r is NonNullable<typeof r> => r !== undefined)
  });
  let commentId = '';
  let commentUrl = '';
  let posted = 0;
  const s = plan.sticky;
  if (s.action === 'create') {
    // Re-check right before creating: a parallel run may have created it meanwhile.
    const again = await paginate<IssueComment>(octokit, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: pr.number });
    const raced = again.filter((c) => ours(c) && isOurs(c.body ?? '', options.header)).sort((a, b) => a.id - b.id)[0];
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
  } else if (plan.stickyId !== undefined) {
    // Unchanged: the comment stays as it is, and the outputs still name it.
    const kept = comments.find((c) => c.id === plan.stickyId);
    commentId = String(plan.stickyId);
    commentUrl = kept?.html_url ?? '';
  }
  for (const id of plan.deleteDuplicates) await octokit.rest.issues.deleteComment({ ...repo, comment_id: id });
  if (plan.review && plan.review.comments.length > 0) {
    try {
      await octokit.rest.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        commit_id: pr.headSha || undefined,
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
  return { commentId, commentUrl, posted };
}
