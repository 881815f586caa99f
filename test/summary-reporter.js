/**
 * Prints one plain closing line `N passed, N failed` for the whole run (CI reads it) and keeps the
 * counts in .data/test-summary.json so .ci/run can repeat it as its very last line.
 */
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const passed = results.numPassedTests;
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const dir = join(this.rootDir, '.data');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'test-summary.json'),
      JSON.stringify({ passed, failed, total: results.numTotalTests }),
    );
    process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
  }
}

module.exports = SummaryReporter;
