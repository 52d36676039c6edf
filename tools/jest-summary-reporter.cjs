// Jest reporter that appends this project's totals to $AUTHBRIDGE_TEST_SUMMARY, so
// tools/test.mjs can print one closing line for the whole workspace.
const fs = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const file = process.env.AUTHBRIDGE_TEST_SUMMARY;
    if (!file) return;
    const line = {
      project: path.basename(this.rootDir),
      passed: results.numPassedTests,
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.appendFileSync(file, JSON.stringify(line) + '\n');
  }
}

module.exports = SummaryReporter;
