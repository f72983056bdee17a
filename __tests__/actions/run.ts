/**
 * Runs a bundled entry point as the runner does, asynchronously (the GitHub stand-in answers from this
 * process, so the child must not block it): INPUT_* env, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, workflow
 * commands (annotations) parsed from stdout.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/corpus.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  props: Record<string, string>;
  message: string;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  annotations: Annotation[];
}

/** `::error file=a,line=1::msg` → { level, props, message } (values and messages unescaped as the runner does). */
export function parseAnnotations(stdout: string): Annotation[] {
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const out: Annotation[] = [];
  for (const m of stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    const props: Record<string, string> = {};
    for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
      const eq = kv.indexOf('=');
      props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1));
    }
    out.push({ level: m[1] as Annotation['level'], props, message: unescape(m[3] ?? '') });
  }
  return out;
}

export function runEntry(
  entry: 'lint' | 'gate' | 'verify' | 'comment' | 'main',
  ws: string,
  inputs: Record<string, string>,
  options: { node?: string; env?: Record<string, string> } = {}
): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(ws, '.runner-'));
  const outFile = path.join(dir, 'output');
  const summary = path.join(dir, 'summary');
  fs.writeFileSync(outFile, '');
  fs.writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_WORKSPACE: ws,
    GITHUB_OUTPUT: outFile,
    GITHUB_STEP_SUMMARY: summary,
    HTTPS_PROXY: '',
    https_proxy: '',
    HTTP_PROXY: '',
    http_proxy: '',
    ...options.env
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [path.join(REPO_ROOT, 'dist', entry, 'index.js')], { cwd: ws, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const outputs: Record<string, string> = {};
      for (const m of fs.readFileSync(outFile, 'utf8').matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
      const text = fs.readFileSync(summary, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, stdout, stderr, outputs, summary: text, annotations: parseAnnotations(stdout) });
    });
  });
}
