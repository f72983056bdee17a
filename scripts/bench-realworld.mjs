// `npm run bench` (real-world part): the same side-by-side timing as the shared-corpus rows, over the
// real-world precision corpus (precision/SOURCES.md: Dockerfiles from public repositories that are not in
// ../shared/corpus). The files are read from ../shared/corpus/realworld-dockerfiles, or from the local
// copy in precision/dockerfiles.
//   in-process, warm (median of RUNS after WARMUP): container-guard lint (default rules, shell parsing
//   included), dockerfile-ast parse only, dockerfile-utils validate, dockerfilelint;
//   wall clock, cold: the bundled CLI over the whole corpus in one process (ShellCheck off).
// Run alone with `node --expose-gc scripts/bench-realworld.mjs`.
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importTs } from './bundle-ts.mjs';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WARMUP = 3;
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function measure(fn) {
  for (let i = 0; i < WARMUP; i++) fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Where the corpus is, or undefined. */
export function realworldCorpus() {
  return [path.resolve(ROOT, '..', 'shared', 'corpus', 'realworld-dockerfiles'), path.join(ROOT, 'precision', 'dockerfiles')].find(
    (d) => fs.existsSync(d) && fs.statSync(d).isDirectory()
  );
}

export async function benchRealworld() {
  const corpus = realworldCorpus();
  if (!corpus) {
    console.log('\nreal-world corpus: skipped (not in ../shared/corpus/realworld-dockerfiles nor precision/dockerfiles; see precision/SOURCES.md)');
    return undefined;
  }
  const rel = [];
  for (const d of fs.readdirSync(corpus).sort()) {
    const dir = path.join(corpus, d);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir).sort()) rel.push(`${d}/${f}`);
  }
  const texts = rel.map((f) => fs.readFileSync(path.join(corpus, f), 'utf8'));
  const repos = new Set(rel.map((f) => f.split('/')[0])).size;
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);

  const core = await importTs(
    'bench-core',
    "export { lintAll } from './src/core/run.ts'; export { BUILTIN_RULES } from './src/core/rules/index.ts'; export { defaultConfig } from './src/core/config/types.ts'; export { loadShellParser } from './src/io/wasm.ts';"
  );
  await core.loadShellParser({ liftoff: false });
  const config = core.defaultConfig();
  const { DockerfileParser } = require('dockerfile-ast');
  const { validate } = require('dockerfile-utils');
  const dockerfilelint = require('dockerfilelint');
  const emptyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cg-bench-rw-'));

  const OURS = 'container-guard lint (default rules + shell parsing)';
  const results = {};
  let ours = { findings: 0, errors: 0, crashes: 0 };
  results[OURS] = measure(() => {
    const r = core.lintAll(
      texts.map((content, i) => ({ file: rel[i], content })),
      config,
      core.BUILTIN_RULES
    );
    ours = { findings: r.findings.length, errors: r.errors.length, crashes: r.findings.filter((f) => f.ruleId === 'rule-failure').length };
  });
  results['dockerfile-ast parse only'] = measure(() => {
    for (const t of texts) DockerfileParser.parse(t);
  });
  results['dockerfile-utils validate'] = measure(() => {
    for (const t of texts) validate(t);
  });
  let lintCrashes = 0;
  results['dockerfilelint'] = measure(() => {
    lintCrashes = 0;
    for (const t of texts) {
      try {
        dockerfilelint.run(emptyDir, t);
      } catch {
        lintCrashes++;
      }
    }
  });

  const oursMs = results[OURS];
  console.log(
    `\nreal-world corpus — ${rel.length} Dockerfiles (${(bytes / 1e6).toFixed(1)} MB) from ${repos} repositories not in ../shared/corpus (precision/SOURCES.md), node ${process.version}`
  );
  console.log(`in-process, warm: median of ${RUNS} runs after ${WARMUP} warm-up runs\n`);
  console.log('| tool | ms | container-guard / tool |');
  console.log('|---|---:|---:|');
  for (const [name, ms] of Object.entries(results)) console.log(`| ${name} | ${ms.toFixed(1)} | ${(oursMs / ms).toFixed(2)}× |`);
  console.log(
    `\ncontainer-guard: ${ours.findings} findings, ${ours.errors} unreadable files, ${ours.crashes} rule crashes; dockerfilelint crashed on ${lintCrashes} files`
  );

  // One cold process over the whole corpus, as a user runs the CLI.
  const cli = path.join(ROOT, 'dist', 'cli', 'index.js');
  let cliMs;
  if (fs.existsSync(cli)) {
    // The flattened names (<owner>__<repo>/<path with / -> __>) are not all discoverable by name, so pass each file.
    const out = path.join(emptyDir, 'out.json');
    const args = [cli, 'lint', ...rel.map((f) => path.join(corpus, f)), '--format', 'json', '--fail-on', 'none', '--shellcheck', 'off', '-o', out];
    const runs = [0, 1, 2].map(() => {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
      return { ms: performance.now() - t, status: r.status };
    });
    cliMs = median(runs.map((r) => r.ms));
    const linted = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')).summary?.files : undefined;
    console.log(
      `\n| bundled CLI, whole real-world corpus in one process, cold (median of 3) | ${cliMs.toFixed(0)} ms | ${linted ?? '?'} files linted | exit ${runs[0].status} |`
    );
  } else console.log('\n(dist/ not built: run npm run bundle for the cold CLI row)');
  fs.rmSync(emptyDir, { recursive: true, force: true });
  return { files: rel.length, repos, results, ours, lintCrashes, cliMs };
}

/**
 * The README's precision table: per rule, over the hand-judged sample of precision/judgements.json, how many
 * judged true positives still fire and how many judged false positives still do (a finding judged wrong only
 * for its message counts as fixed once the message no longer matches `messageNot`).
 */
export async function precisionTable() {
  const corpus = realworldCorpus();
  if (!corpus) throw new Error('precision: no real-world corpus (see precision/SOURCES.md)');
  const j = JSON.parse(fs.readFileSync(path.join(ROOT, 'precision', 'judgements.json'), 'utf8'));
  const core = await importTs(
    'bench-core',
    "export { lintAll } from './src/core/run.ts'; export { BUILTIN_RULES } from './src/core/rules/index.ts'; export { defaultConfig } from './src/core/config/types.ts'; export { loadShellParser } from './src/io/wasm.ts';"
  );
  await core.loadShellParser();
  const files = [...new Set(fs.readdirSync(corpus).flatMap((d) => fs.readdirSync(path.join(corpus, d)).map((f) => `${d}/${f}`)))].sort();
  const r = core.lintAll(
    files.map((file) => ({ file, content: fs.readFileSync(path.join(corpus, file)) })),
    core.defaultConfig(),
    core.BUILTIN_RULES
  );
  const at = new Map();
  for (const f of r.findings) {
    const k = `${f.file}:${f.line}:${f.ruleId}`;
    at.set(k, [...(at.get(k) ?? []), f]);
  }
  const key = (x) => `${x.file}:${x.line}:${x.rule}`;
  const rows = new Map();
  for (const x of j.findings) {
    const row = rows.get(x.rule) ?? { judged: 0, tp: 0, fp: 0, tpNow: 0, fpNow: 0 };
    rows.set(x.rule, row);
    row.judged++;
    const here = at.get(key(x)) ?? [];
    if (x.verdict === 'tp') {
      row.tp++;
      if (here.length > 0) row.tpNow++;
    } else {
      row.fp++;
      if (x.messageNot === undefined ? here.length > 0 : here.some((f) => new RegExp(x.messageNot).test(f.message))) row.fpNow++;
    }
  }
  const fired = new Map();
  for (const f of r.findings) fired.set(f.ruleId, (fired.get(f.ruleId) ?? 0) + 1);
  const pct = (a, b) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`);
  const lines = [
    '| rule | findings on the corpus | judged | TP | FP (as judged) | FP still reported | precision as judged | precision now |',
    '|---|---:|---:|---:|---:|---:|---:|---:|'
  ];
  for (const [rule, v] of [...rows].sort((a, b) => a[0].localeCompare(b[0]))) {
    lines.push(
      `| ${rule} | ${fired.get(rule) ?? 0} | ${v.judged} | ${v.tp} | ${v.fp} | ${v.fpNow} | ${pct(v.tp, v.tp + v.fp)} | ${pct(v.tpNow, v.tpNow + v.fpNow)} |`
    );
  }
  const nf = j.notFired;
  const silences = `did not fire: ${nf.length} judged (${nf.filter((n) => n.verdict === 'right').length} right to stay silent, ${nf.filter((n) => n.verdict === 'missed').length} misses)`;
  return {
    table: lines.join('\n'),
    files: files.length,
    repos: new Set(files.map((f) => f.split('/')[0])).size,
    silences,
    unjudged: [...fired.keys()].filter((k) => !rows.has(k))
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--precision')) {
    const t = await precisionTable();
    console.log(`${t.files} Dockerfiles from ${t.repos} repositories; ${t.silences}\n\n${t.table}`);
    if (t.unjudged.length > 0) console.log(`\nrules that fire but have no judged finding: ${t.unjudged.join(', ')}`);
  } else await benchRealworld();
}
