// Test-only extension. Activated on startup finished, it requires the module named by
// CLERK_UU_TEST_MODULE and awaits its run(): the contract of @vscode/test-electron's
// extensionTestsPath. The module writes its own results to CLERK_UU_TEST_RESULTS; when it fails
// before writing them (a bad path, a throw at load time) this runner writes the error there, so
// the outer process never waits for a file that will not come.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let started = false;

function writeResultsOnce(file, results) {
  if (!file || fs.existsSync(file)) return;
  const tmp = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

async function activate() {
  const modulePath = process.env.CLERK_UU_TEST_MODULE;
  const resultsFile = process.env.CLERK_UU_TEST_RESULTS;
  // One run per extension host process, even if the window reloads the extension.
  if (!modulePath || started) return;
  started = true;
  console.log(`[clerk-uu-test-runner] running ${modulePath}`);
  try {
    const testModule = require(modulePath);
    if (typeof testModule.run !== 'function') throw new Error(`${modulePath} does not export run()`);
    await testModule.run();
    writeResultsOnce(resultsFile, {
      passed: 0,
      failed: 0,
      pending: 0,
      failures: [],
      note: `${modulePath} wrote no results`,
    });
  } catch (error) {
    console.error('[clerk-uu-test-runner] run() failed:', error);
    writeResultsOnce(resultsFile, {
      passed: 0,
      failed: 1,
      pending: 0,
      failures: [{ title: `test module ${modulePath}`, error: String((error && error.stack) || error) }],
    });
  }
}

function deactivate() {}

module.exports = { activate, deactivate };
