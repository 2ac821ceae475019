// Integration layer: the mocha suite (out/test/integration/index.js) inside a real VS Code
// extension host, with our extension installed from its VSIX.
//   Desktop route: CLERK_UU_VSCODE_EXECUTABLE=/path/to/code, or CLERK_UU_DESKTOP=1 to let
//     @vscode/test-electron download VS Code (needs internet).
//   Otherwise: code-server (real VS Code 1.139.1, provisioned into the cache) + headless chromium.
// Also measures our activation time in a fresh host (skip with CLERK_UU_SKIP_ACTIVATION=1).
// Prints "N passed, N failed" on its own line; exits non-zero on any failure or timeout.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, fileSize, OUTPUT, REPO, VSIX } from './lib/build.mjs';
import { runInExtensionHost } from './lib/host.mjs';
import { cleanupAll, isExiting, onCleanup, runCommand } from './lib/processes.mjs';

const SUITE = join(REPO, 'out', 'test', 'integration', 'index.js');
const PROBE = join(REPO, 'out', 'test', 'integration', 'activation.js');
const TIMEOUT_MS = Number(process.env.CLERK_UU_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);

/** A temp copy of test/fixtures, so tests can modify files safely. */
function fixturesWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-fixtures-'));
  cpSync(join(REPO, 'test', 'fixtures'), dir, { recursive: true });
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A workspace that does not activate our extension: one plain JSON file with a syntax error. */
function plainWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-plain-'));
  writeFileSync(join(dir, 'plain.json'), '{ "first_name": 42, "bogus": true,, }\n');
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function printResults(results) {
  for (const t of results.tests ?? []) {
    const mark = t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`  ${mark} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}`);
  }
  for (const f of results.failures ?? []) console.log(`\n  FAILED: ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
}

async function desktopRoute() {
  const { runTests, downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } = await import('@vscode/test-electron');
  const executable = process.env.CLERK_UU_VSCODE_EXECUTABLE || (await downloadAndUnzipVSCode(process.env.CLERK_UU_VSCODE_VERSION || 'stable'));
  const profile = mkdtempSync(join(tmpdir(), 'clerk-uu-desktop-'));
  onCleanup(() => rmSync(profile, { recursive: true, force: true }));
  const profileArgs = [`--extensions-dir=${join(profile, 'extensions')}`, `--user-data-dir=${join(profile, 'user-data')}`];
  const resultsFile = join(profile, 'results.json');
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
  const install = await runCommand(cli, [...cliArgs, ...profileArgs, '--install-extension', VSIX], { capture: true, echo: false });
  // Installed from the VSIX, with the test runner extension as the development extension;
  // if the CLI cannot install, load the repo itself as the development extension.
  const developmentPath = install.code === 0 ? join(REPO, 'test', 'host-runner') : REPO;
  if (install.code !== 0) console.warn(`[integration] VSIX install failed, using extensionDevelopmentPath:\n${install.output}`);
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: developmentPath,
      extensionTestsPath: SUITE,
      launchArgs: [fixturesWorkspace(), ...profileArgs, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu'],
      extensionTestsEnv: { CLERK_UU_TEST_RESULTS: resultsFile },
    });
  } catch (error) {
    if (!existsSync(resultsFile)) throw error;
  }
  if (!existsSync(resultsFile)) throw new Error('the suite wrote no results');
  return JSON.parse(readFileSync(resultsFile, 'utf8'));
}

async function main() {
  const started = Date.now();
  const { vsix, runnerVsix } = await buildAll();
  const desktop = Boolean(process.env.CLERK_UU_VSCODE_EXECUTABLE) || process.env.CLERK_UU_DESKTOP === '1';
  console.log(`[integration] route: ${desktop ? 'desktop VS Code via @vscode/test-electron' : 'code-server (real VS Code) + chromium'}`);

  const results = desktop
    ? await desktopRoute()
    : await runInExtensionHost({ testModule: SUITE, workspace: fixturesWorkspace(), vsixes: [vsix, runnerVsix], timeoutMs: TIMEOUT_MS });
  printResults(results);
  console.log(`[integration] VS Code ${results.vscodeVersion ?? '?'}; suite ${results.durationMs ?? '?'} ms`);

  let activation;
  if (!desktop && process.env.CLERK_UU_SKIP_ACTIVATION !== '1') {
    const probe = await runInExtensionHost({ testModule: PROBE, workspace: plainWorkspace(), vsixes: [vsix, runnerVsix], timeoutMs: 2 * 60_000 });
    activation = probe.activation;
    if (probe.failed) {
      printResults(probe);
      console.log('[integration] activation probe failed (not counted as a test)');
    } else if (activation?.alreadyActive) {
      console.log('[integration] activation: already active at startup, not measured');
    } else if (activation) {
      const parts = [];
      if (activation.reloadMs !== undefined) parts.push(`loading the bundle ~${activation.reloadMs.toFixed(1)} ms`);
      if (activation.selfReportedMs !== undefined) parts.push(`activate() itself ${activation.selfReportedMs.toFixed(1)} ms`);
      const self = parts.length ? ` (${parts.join(', ')})` : '';
      console.log(`[integration] activation: ${activation.activationMs.toFixed(1)} ms inside the extension host${self} (events: ${activation.activationEvents.join(', ')})`);
      if (activation.activatedByPlainJson) console.log('[integration] note: opening a plain .json file activated the extension');
    }
  }

  mkdirSync(join(OUTPUT, 'integration'), { recursive: true });
  writeFileSync(
    join(OUTPUT, 'integration', 'results.json'),
    JSON.stringify({ ...results, activation, bundleBytes: fileSize(join(REPO, 'dist', 'extension.js')), vsixBytes: fileSize(vsix) }, null, 2),
  );
  console.log(`[integration] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${results.passed} passed, ${results.failed} failed`);
  return results.failed === 0 && results.passed > 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error) => {
    if (!isExiting()) console.error(`[integration] ${error?.stack ?? error}`);
    await cleanupAll();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
