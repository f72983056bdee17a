// One measurement of scripts/bench-gate.mjs, in a fresh process so that its peak RSS is its own:
//
//   node scripts/bench-gate-child.mjs <mode> <report.json> [bundle.mjs]
//
// Prints one JSON line: { mode, ms, maxRssMB, vulnerabilities, bySeverity, ...extra }. `ms` is the work only
// (module loading excluded); `maxRssMB` is the whole process (process.resourceUsage().maxRSS).
// To measure another way of reading the report (e.g. the full gate run), add an entry to MODES.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const TRIVY_CAPTURES = ['Results.*.Vulnerabilities.*', 'Results.*.Misconfigurations.*', 'Results.*.Secrets.*', 'Metadata'];

function tally(bySeverity, v) {
  const s = v && typeof v.Severity === 'string' ? v.Severity : 'UNKNOWN';
  bySeverity[s] = (bySeverity[s] ?? 0) + 1;
}

/** mode → async (file, core) => { vulnerabilities, bySeverity, ... }; `core` is the esbuild bundle of src, if given. */
const MODES = {
  // container-guard's streaming reader (src/core/gate/json-stream.ts): events from 1 MiB chunks of a file stream.
  async stream(file, core) {
    const bySeverity = {};
    let vulnerabilities = 0;
    const chunks = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    for await (const e of core.streamJson(chunks, { captures: TRIVY_CAPTURES })) {
      if (e.type === 'element' && e.path[2] === 'Vulnerabilities') {
        vulnerabilities++;
        tally(bySeverity, e.value);
      }
    }
    return { vulnerabilities, bySeverity };
  },

  // The whole gate as the CLI and action run it: stream → Trivy adapter → de-duplication → policy.
  async gate(file, core) {
    const config = core.defaultConfig();
    const { result } = await core.runGate({ cwd: path.dirname(file), reports: [path.basename(file)], vex: [], config });
    const bySeverity = {};
    for (const [k, v] of Object.entries(result.counts.before)) if (v) bySeverity[k.toUpperCase()] = v;
    return { vulnerabilities: Object.values(result.counts.before).reduce((a, b) => a + b, 0), bySeverity, passed: result.passed };
  },

  // The baseline: the whole report as one string, one JSON.parse, a plain walk of Results[].Vulnerabilities[].
  async 'json-parse'(file) {
    const bySeverity = {};
    let vulnerabilities = 0;
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const r of report.Results ?? [])
      for (const v of r.Vulnerabilities ?? []) {
        vulnerabilities++;
        tally(bySeverity, v);
      }
    return { vulnerabilities, bySeverity };
  }
};

const [mode, file, bundle] = process.argv.slice(2);
if (!MODES[mode] || !file) {
  console.error(`usage: node scripts/bench-gate-child.mjs <${Object.keys(MODES).join('|')}> <report.json> [bundle.mjs]`);
  process.exit(2);
}
const core = bundle ? await import(pathToFileURL(bundle).href) : undefined;
const t = performance.now();
const result = await MODES[mode](file, core);
const ms = performance.now() - t;
console.log(JSON.stringify({ mode, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, ...result }));
