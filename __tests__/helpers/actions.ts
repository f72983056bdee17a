/** Runs a bundled action entry point as GitHub runs it: INPUT_* env, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export interface ActionRun {
  code: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

export function runAction(
  entry: 'lint' | 'gate' | 'verify' | 'comment' | 'main',
  workspace: string,
  inputs: Record<string, string>,
  options: { node?: string; env?: Record<string, string> } = {}
): ActionRun {
  const output = path.join(workspace, '.gh-output');
  const summary = path.join(workspace, '.gh-summary');
  fs.writeFileSync(output, '');
  fs.writeFileSync(summary, '');
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary };
  Object.assign(env, options.env ?? {});
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(options.node ?? process.execPath, [path.join(REPO_ROOT, 'dist', entry, 'index.js')], { cwd: workspace, env, encoding: 'utf8' });
  // GITHUB_OUTPUT uses `name<<delimiter` blocks.
  const outputs: Record<string, string> = {};
  for (const m of fs.readFileSync(output, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { code: r.status, stdout: r.stdout, outputs, summary: fs.readFileSync(summary, 'utf8') };
}
