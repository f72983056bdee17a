/**
 * Shared settings of the property/fuzz suites in this folder. Every property has a fixed seed and a
 * bounded number of runs so `npm test` is reproducible and quick; `npm run fuzz` (scripts/fuzz.mjs)
 * multiplies the runs with FUZZ_RUNS and may move every seed with FUZZ_SEED for a fresh exploration.
 * A failure prints fast-check's seed and path, so it can be replayed and turned into a regression test.
 */
export function fuzzParams(seed: number, numRuns: number): { seed: number; numRuns: number; endOnFailure: boolean } {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  const shift = Number(process.env.FUZZ_SEED ?? '0');
  return {
    seed: seed + (Number.isFinite(shift) ? shift : 0),
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1))),
    endOnFailure: true
  };
}

/** Jest timeout for a property, scaled like its runs (fuzz runs are long by design). */
export function fuzzTimeout(ms: number): number {
  const factor = Number(process.env.FUZZ_RUNS ?? '1');
  return Math.round(ms * Math.max(1, Number.isFinite(factor) ? factor : 1));
}
