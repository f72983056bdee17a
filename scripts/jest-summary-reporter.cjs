// Prints one plain closing line ("tests: N passed, N failed") that any CI can
// read, and fails the run when no test executed, so an empty run cannot pass.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
    if (results.numTotalTests === 0) {
      process.stderr.write('no test executed: failing the run\n');
      process.exitCode = 1;
    }
  }
}
module.exports = SummaryReporter;
