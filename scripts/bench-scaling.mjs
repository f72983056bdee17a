// Scaling of lint on generated hostile-size inputs (issue 15): lint time and peak RSS for 1k, 10k and
// 100k instructions, ARG chain links, stages and heredoc lines. Each size runs in its own child process
// (so peak RSS is that size's), with the grammar compiled as the shipped entry points do (Liftoff).
// Goals: 10× the input costs at most 15× the time, and peak RSS stays under 512 MB at 100k.
//   node scripts/bench-scaling.mjs          (also part of `npm run bench`)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleTs } from './bundle-ts.mjs';

const SELF = fileURLToPath(import.meta.url);
const SIZES = [1000, 10000, 100000];
const MAX_RATIO = 15;
const MAX_RSS_MB = 512;

/** Generated Dockerfiles by kind; n counts the thing that grows. */
export const GENERATORS = {
  instructions: (n) => {
    const kinds = [
      (i) => `RUN echo step-${i} && test -d /tmp`,
      (i) => `ENV E_${i}=v${i}`,
      (i) => `LABEL l${i}="v ${i}"`,
      (i) => `COPY f${i} /d/`,
      (i) => `ARG A_${i}=x${i}`
    ];
    const lines = ['FROM alpine:3.20'];
    for (let i = 0; i < n - 1; i++) lines.push(kinds[i % kinds.length](i));
    return lines.join('\n') + '\n';
  },
  'ARG chain': (n) => {
    const lines = ['FROM alpine:3.20', 'ARG A0=root'];
    for (let i = 1; i < n; i++) lines.push(`ARG A${i}=\${A${i - 1}}`);
    lines.push(`RUN echo $A${n - 1}`);
    return lines.join('\n') + '\n';
  },
  stages: (n) => {
    const lines = ['FROM alpine:3.20 AS s0'];
    // Every other stage copies from a name no stage has: the "did you mean" search runs for each.
    for (let i = 1; i < n; i++) lines.push(`FROM alpine:3.20 AS s${i}`, `COPY --from=${i % 2 ? `bulid${i}` : `s${i - 1}`} /a /b`);
    return lines.join('\n') + '\n';
  },
  // The same file shape sized by instructions (two per stage): 100k instructions are 50k stages.
  'stages, sized by instructions': (n) => GENERATORS.stages(Math.max(1, Math.floor(n / 2))),
  'heredoc lines': (n) => {
    const body = [];
    for (let i = 0; i < n; i++) body.push(`echo line-${i}`);
    return `FROM alpine:3.20\nRUN <<EOF\n${body.join('\n')}\nEOF\n`;
  }
};

async function child(bundle, kind, n) {
  const core = await import(pathToFileURL(bundle).href);
  await core.loadShellParser();
  const config = core.defaultConfig();
  config.lint.maxFileSize = 64 * 1024 * 1024; // the bounds are measured here, not the file limit
  config.lint.shellcheck = 'off';
  const gen = GENERATORS[kind];
  // One small warm-up lint of the same shape, so the figure is the lint, not the first JIT.
  core.lintAll([{ file: 'warm/Dockerfile', content: gen(200) }], config, core.BUILTIN_RULES);
  const text = gen(n);
  const t = performance.now();
  const r = core.lintAll([{ file: 'Dockerfile', content: text }], config, core.BUILTIN_RULES);
  const ms = performance.now() - t;
  const limits = r.findings.filter((f) => f.ruleId === 'limit-exceeded' || f.ruleId === 'rule-failure').length;
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, bytes: text.length, findings: r.findings.length, limits }) + '\n');
}

function measure(bundle, kind, n) {
  const r = spawnSync(process.execPath, [SELF, '--child', bundle, kind, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) return { error: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-1)[0] };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/** Prints the scaling table; returns true when every row meets the goals. */
export async function benchScaling() {
  const bundle = await bundleTs(
    'bench-scaling-core',
    "export { lintAll } from './src/core/run.ts'; export { BUILTIN_RULES } from './src/core/rules/index.ts'; export { defaultConfig } from './src/core/config/types.ts'; export { loadShellParser } from './src/io/wasm.ts';"
  );
  console.log(`\nlint scaling on generated files (one child process per size; goal: 10× input ≤ ${MAX_RATIO}× time, peak RSS < ${MAX_RSS_MB} MB at 100k):`);
  console.log('| input | 1k | 10k | 100k | time 10k/1k | time 100k/10k | peak RSS 1k / 10k / 100k | size at 100k | bounds hit | goal |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  let ok = true;
  for (const kind of Object.keys(GENERATORS)) {
    const rows = SIZES.map((n) => measure(bundle, kind, n));
    const failed = rows.find((r) => r.error);
    if (failed) {
      ok = false;
      console.log(`| ${kind} | ${failed.error} | | | | | | | | FAIL |`);
      continue;
    }
    const r1 = rows[1].ms / rows[0].ms;
    const r2 = rows[2].ms / rows[1].ms;
    const pass = r1 <= MAX_RATIO && r2 <= MAX_RATIO && rows[2].rssMb < MAX_RSS_MB && rows.every((r) => r.limits === 0);
    ok &&= pass;
    const ms = (r) => (r.ms >= 1000 ? `${(r.ms / 1000).toFixed(2)} s` : `${r.ms.toFixed(0)} ms`);
    console.log(
      `| ${kind} | ${rows.map(ms).join(' | ')} | ${r1.toFixed(1)}× | ${r2.toFixed(1)}× | ${rows.map((r) => r.rssMb.toFixed(0)).join(' / ')} MB | ${(rows[2].bytes / 1048576).toFixed(1)} MB | ${rows.reduce((a, r) => a + r.limits, 0)} | ${pass ? 'met' : 'NOT MET'} |`
    );
  }
  return ok;
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4], Number(process.argv[5]));
else if (path.resolve(process.argv[1] ?? '') === SELF) process.exitCode = (await benchScaling()) ? 0 : 1;
