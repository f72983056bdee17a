// `npm run fuzz`: the property/fuzz suites of __tests__/fuzz/ (every *.test.ts there, lint, gate and config
// alike) with many more runs than `npm test` gives them. Each property keeps its fixed seed, so a fuzz
// run extends the exploration `npm test` does; `--seed N` moves every seed by N for fresh inputs.
//   node scripts/fuzz.mjs [--runs 50] [--seed 0|random] [path-pattern ...]
// FUZZ_RUNS multiplies each property's runs (see __tests__/fuzz/params.ts); FUZZ_SEED shifts its seed.
// A failure prints fast-check's seed and path: replay it with the same --seed, then keep it as a
// regression test next to the property.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function parseFuzzArgs(argv) {
  const opts = { runs: 50, seed: 0, patterns: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--seed') {
      const v = argv[++i];
      opts.seed = v === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(v);
    } else opts.patterns.push(a);
  }
  if (!Number.isFinite(opts.runs) || opts.runs <= 0) throw new Error('--runs takes a positive number');
  if (!Number.isInteger(opts.seed)) throw new Error('--seed takes an integer or "random"');
  return opts;
}

export function runFuzz(opts) {
  const patterns = opts.patterns.length > 0 ? opts.patterns : ['__tests__/fuzz/'];
  process.stderr.write(`fuzz: FUZZ_RUNS=${opts.runs} FUZZ_SEED=${opts.seed} ${patterns.join(' ')}\n`);
  const r = spawnSync(
    process.execPath,
    ['--experimental-vm-modules', '--no-warnings', path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--runInBand', ...patterns],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(opts.runs), FUZZ_SEED: String(opts.seed) } }
  );
  if (r.status !== 0) process.stderr.write(`fuzz: failed — replay with: node scripts/fuzz.mjs --runs ${opts.runs} --seed ${opts.seed} ${patterns.join(' ')}\n`);
  return r.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseFuzzArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`fuzz: ${e.message}\n`);
    process.exit(2);
  }
  process.exit(runFuzz(opts));
}
