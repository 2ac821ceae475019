// Runs an in-host test module (contract: `run(): Promise<void>`, results JSON written to
// CLERK_UU_TEST_RESULTS) in code-server's real extension host, via the test runner extension.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { OUTPUT } from './build.mjs';
import { isExiting, onCleanup, waitFor } from './processes.mjs';
import { startWorkbench } from './workbench.mjs';

/**
 * @param {object} options
 * @param {string} options.testModule  absolute path of the compiled module to require in the host
 * @param {string} options.workspace   folder to open
 * @param {string[]} options.vsixes    our VSIX and the runner VSIX
 * @param {Record<string,string>} [options.env]  more environment for the host
 * @param {number} [options.timeoutMs] bound on the whole run once the workbench is up
 * @returns {Promise<object>} the results JSON the module wrote
 */
export async function runInExtensionHost({
  testModule,
  workspace,
  vsixes,
  env = {},
  timeoutMs = 10 * 60_000,
  trust = false,
}) {
  const resultsDir = mkdtempSync(join(tmpdir(), 'clerk-uu-results-'));
  const resultsFile = join(resultsDir, 'results.json');
  const removeResults = () => rmSync(resultsDir, { recursive: true, force: true });
  const unregister = onCleanup(removeResults);
  const workbench = await startWorkbench({
    workspace,
    vsixes,
    trust,
    // The tests speak to the extension host's API; a smaller window is less for the browser to draw.
    viewport: { width: 800, height: 600 },
    env: { ...env, CLERK_UU_TEST_MODULE: testModule, CLERK_UU_TEST_RESULTS: resultsFile },
  });
  const started = Date.now();
  try {
    await waitFor(() => existsSync(resultsFile), {
      timeoutMs,
      intervalMs: 250,
      what: `results of ${testModule} in ${resultsFile}`,
      failFast: () => {
        if (workbench.page.isClosed()) throw new Error('the workbench page closed before the tests finished');
      },
    });
    const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
    results.hostMs = Date.now() - started;
    if (results.failed > 0) await printDiagnostics(workbench, testModule);
    return results;
  } catch (error) {
    if (!isExiting()) await printDiagnostics(workbench, testModule);
    throw error;
  } finally {
    await workbench.stop();
    unregister();
    removeResults();
  }
}

// Offline noise that code-server logs on these machines; never the cause of a failure.
const NOISE =
  /open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|status of 404|vsda|getaddrinfo|%c\[Extension Host\]/;

async function printDiagnostics(workbench, testModule) {
  // The workbench as it was at the end (a modal, a notification left open…).
  const screenshot = join(OUTPUT, 'integration', `failed-${basename(testModule, '.js')}.png`);
  mkdirSync(join(OUTPUT, 'integration'), { recursive: true });
  if (
    await workbench.page.screenshot({ path: screenshot }).then(
      () => true,
      () => false,
    )
  )
    console.error(`[host] screenshot of the failure: ${screenshot}`);
  console.error('\n[host] code-server and extension host logs (tail):');
  console.error(workbench.server.logTail(40));
  const lines = workbench.consoleLines
    .filter((l) => /^\[(error|pageerror)\]/.test(l) && !NOISE.test(l))
    .map((l) => l.split('\n').slice(0, 6).join('\n'))
    .slice(-20);
  if (lines.length)
    console.error(`[host] browser console errors (last ${lines.length}):\n${lines.join('\n')}`);
}
