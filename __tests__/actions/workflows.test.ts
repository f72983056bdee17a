/**
 * The shipped workflow recipes hold up against a hostile fork: least privilege, no credentials left in
 * the checkout, third-party actions pinned by commit, and each PR commented on by exactly one workflow
 * (the `if:` conditions are evaluated against real webhook payloads for a same-repository and a fork PR).
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import * as yaml from 'js-yaml';
import { initFiles } from '../../src/core/init.js';
import { REPO_ROOT } from '../helpers/corpus.js';
import { loadWebhookExample } from '../helpers/github-api.js';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}

const DIR = path.join(REPO_ROOT, '.github', 'workflows');
const load = (file: string) => yaml.load(fs.readFileSync(path.join(DIR, file), 'utf8')) as Workflow;
const RECIPES = fs.readdirSync(DIR).filter((f) => f.startsWith('container-guard-'));
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** A tiny evaluator for the `if:` expressions the recipes use: contexts, 'strings', ==, !=, &&, ||. */
function evaluate(expr: string, ctx: Record<string, unknown>): boolean {
  const value = (term: string): unknown => {
    const t = term.trim();
    const lit = /^'(.*)'$/.exec(t);
    if (lit) return lit[1];
    return t.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], ctx);
  };
  const text = expr.replace(/^\$\{\{|\}\}$/g, '').trim();
  return text.split('||').some((alt) =>
    alt.split('&&').every((clause) => {
      const m = /^(.*?)(==|!=)(.*)$/.exec(clause.trim());
      if (!m) throw new Error(`unsupported expression: ${clause}`);
      const eq = String(value(m[1]!)).toLowerCase() === String(value(m[3]!)).toLowerCase();
      return m[2] === '==' ? eq : !eq;
    })
  );
}

describe('workflow recipes', () => {
  it('are found', () => {
    expect(RECIPES).toEqual(expect.arrayContaining(['container-guard-pr.yml', 'container-guard-fork-comment.yml']));
  });

  it.each(RECIPES)('%s: read-only contents, no persisted credentials, third-party actions pinned by commit SHA', (file) => {
    const w = load(file);
    expect(w.permissions?.contents).toBe('read');
    for (const job of Object.values(w.jobs)) if (job.permissions?.contents) expect(job.permissions.contents).toBe('read');
    for (const s of steps(w)) {
      if (!s.uses || s.uses.startsWith('./')) continue;
      expect(s.uses).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      if (s.uses.startsWith('actions/checkout@')) expect(s.with?.['persist-credentials']).toBe(false);
    }
  });

  it('the workflow `init` writes pins checkout and does not persist its credentials', () => {
    const w = yaml.load(initFiles({ dockerfiles: [] }).workflow) as Workflow;
    const checkout = steps(w).find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.uses).toMatch(/@[0-9a-f]{40}$/);
    expect(checkout?.with?.['persist-credentials']).toBe(false);
  });

  it('the fork workflow never runs or checks out fork code, and takes no PR number from the artifact', () => {
    const text = fs.readFileSync(path.join(DIR, 'container-guard-fork-comment.yml'), 'utf8');
    const w = load('container-guard-fork-comment.yml');
    expect(Object.keys(w.on)).toEqual(['workflow_run']);
    expect(text).not.toMatch(/pull_request_target|head_sha|head_branch|pr-number/);
    expect(steps(w).filter((s) => s.run)).toEqual([]);
    for (const s of steps(w)) if (s.uses?.startsWith('actions/checkout@')) expect(s.with?.ref).toBeUndefined();
    expect(fs.readFileSync(path.join(DIR, 'container-guard-pr.yml'), 'utf8')).not.toMatch(/pr-number/);
  });

  describe('each PR is commented on by exactly one workflow', () => {
    const pr = load('container-guard-pr.yml');
    const fork = load('container-guard-fork-comment.yml');
    const commentStep = steps(pr).find((s) => s.uses === './comment')!;
    const uploadStep = steps(pr).find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    const forkJob = Object.values(fork.jobs)[0]!;

    function contexts(headRepo: string) {
      const opened = loadWebhookExample('pull_request.opened');
      const repository = opened.repository.full_name;
      opened.pull_request.head.repo = { ...opened.pull_request.head.repo!, full_name: headRepo };
      const run = loadWebhookExample('workflow_run.completed');
      const workflowRun = { ...run.workflow_run, event: 'pull_request', head_repository: { ...run.workflow_run.head_repository, full_name: headRepo } };
      return {
        pullRequest: { github: { repository, event: opened } },
        workflowRun: { github: { repository, event: { ...run, workflow_run: workflowRun } } }
      };
    }

    it('a same-repository PR: the PR workflow comments, the workflow_run job is skipped', () => {
      const c = contexts(loadWebhookExample('pull_request.opened').repository.full_name);
      expect(evaluate(commentStep.if!, c.pullRequest)).toBe(true);
      expect(evaluate(uploadStep.if!, c.pullRequest)).toBe(false);
      expect(evaluate(forkJob.if!, c.workflowRun)).toBe(false);
    });

    it('a fork PR: the PR workflow only uploads, the workflow_run job comments', () => {
      const c = contexts('mallory/Hello-World');
      expect(evaluate(commentStep.if!, c.pullRequest)).toBe(false);
      expect(evaluate(uploadStep.if!, c.pullRequest)).toBe(true);
      expect(evaluate(forkJob.if!, c.workflowRun)).toBe(true);
    });
  });
});
