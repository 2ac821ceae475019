// Integration layer: the mocha suite (out/test/integration/index.js) inside a real VS Code
// extension host, with our extension installed from its VSIX.
//   Desktop route: CLERK_UU_VSCODE_EXECUTABLE=/path/to/code, or CLERK_UU_DESKTOP=1 to let
//     @vscode/test-electron download VS Code (needs internet).
//   Otherwise: code-server (real VS Code 1.139.1, provisioned into the cache) + headless chromium.
// With CLERK_UU_ACTIVATION=1, also measures our activation time in a fresh host (a second workbench): a
// figure, not a test, so `npm test` leaves it to `npm run bench`, which measures it side by side with the
// JSON extension.
// Prints "N passed, N failed" on its own line; exits non-zero on any failure or timeout.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, fileSize, OUTPUT, REPO, VSIX } from './lib/build.mjs';
import { runInExtensionHost } from './lib/host.mjs';
import { DEFAULT_SETTINGS } from './lib/code-server.mjs';
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
  for (const f of results.failures ?? [])
    console.log(`\n  FAILED: ${f.title}\n    ${f.error.split('\n').join('\n    ')}`);
}

/**
 * Desktop VS Code through @vscode/test-electron: our VSIX installed with the VS Code CLI into a
 * temp profile, test/host-runner as the (inert) development extension. If the CLI cannot install
 * the VSIX, the repo itself is loaded as the development extension instead.
 * Returns run(testModule, workspace) -> results.
 */
async function desktopHost() {
  const { runTests, downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath } =
    await import('@vscode/test-electron');
  const executable =
    process.env.CLERK_UU_VSCODE_EXECUTABLE ||
    (await downloadAndUnzipVSCode(process.env.CLERK_UU_VSCODE_VERSION || 'stable'));
  const profile = mkdtempSync(join(tmpdir(), 'clerk-uu-desktop-'));
  onCleanup(() => rmSync(profile, { recursive: true, force: true }));
  mkdirSync(join(profile, 'user-data', 'User'), { recursive: true });
  writeFileSync(
    join(profile, 'user-data', 'User', 'settings.json'),
    JSON.stringify(DEFAULT_SETTINGS, null, 2),
  );
  const profileArgs = [
    `--extensions-dir=${join(profile, 'extensions')}`,
    `--user-data-dir=${join(profile, 'user-data')}`,
  ];
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable, { reuseMachineInstall: true });
  const install = await runCommand(cli, [...cliArgs, ...profileArgs, '--install-extension', VSIX], {
    capture: true,
    echo: false,
  });
  const fromVsix = install.code === 0;
  if (!fromVsix)
    console.warn(
      `[integration] VSIX install failed, loading the repo as extensionDevelopmentPath:\n${install.output}`,
    );
  let runs = 0;
  return async (testModule, workspace) => {
    const resultsFile = join(profile, `results-${++runs}.json`);
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: fromVsix ? join(REPO, 'test', 'host-runner') : REPO,
        extensionTestsPath: testModule,
        launchArgs: [
          workspace,
          ...profileArgs,
          '--disable-workspace-trust',
          '--skip-welcome',
          '--skip-release-notes',
          '--disable-gpu',
        ],
        extensionTestsEnv: {
          CLERK_UU_TEST_RESULTS: resultsFile,
          ...(fromVsix ? { CLERK_UU_INSTALLED_FROM_VSIX: '1' } : {}),
        },
      });
    } catch (error) {
      if (!existsSync(resultsFile)) throw error;
    }
    if (!existsSync(resultsFile)) throw new Error(`${testModule} wrote no results`);
    return JSON.parse(readFileSync(resultsFile, 'utf8'));
  };
}

/**
 * code-server's real VS Code: our VSIX and the test runner VSIX installed with --install-extension.
 * (Workspace Trust is off here; the untrusted workspace is the e2e layer's: test/e2e/untrusted.e2e.mjs.)
 */
function codeServerHost(vsixes) {
  return (testModule, workspace, timeoutMs = TIMEOUT_MS) =>
    runInExtensionHost({
      testModule,
      workspace,
      vsixes,
      timeoutMs,
      env: { CLERK_UU_INSTALLED_FROM_VSIX: '1' },
    });
}

function reportActivation(probe) {
  const activation = probe.activation;
  if (probe.failed) {
    printResults(probe);
    console.log('[integration] activation probe failed (not counted as a test)');
  } else if (activation?.alreadyActive) {
    console.log('[integration] activation: already active at startup, not measured');
  } else if (activation) {
    const parts = [];
    if (activation.reloadMs !== undefined)
      parts.push(`loading the bundle ~${activation.reloadMs.toFixed(1)} ms`);
    if (activation.selfReportedMs !== undefined)
      parts.push(`activate() itself ${activation.selfReportedMs.toFixed(1)} ms`);
    const detail = parts.length ? ` (${parts.join(', ')})` : '';
    console.log(
      `[integration] activation: ${activation.activationMs.toFixed(1)} ms inside the extension host${detail}; events: ${activation.activationEvents.join(', ')}`,
    );
    if (activation.activatedByPlainJson)
      console.log('[integration] note: opening a plain .json file activated the extension');
  }
  return activation;
}

async function main() {
  const started = Date.now();
  const { vsix, runnerVsix } = await buildAll();
  const desktop = Boolean(process.env.CLERK_UU_VSCODE_EXECUTABLE) || process.env.CLERK_UU_DESKTOP === '1';
  console.log(
    `[integration] route: ${desktop ? 'desktop VS Code via @vscode/test-electron' : 'code-server (real VS Code) + chromium'}`,
  );
  const runInHost = desktop ? await desktopHost() : codeServerHost([vsix, runnerVsix]);

  const results = await runInHost(SUITE, fixturesWorkspace());
  printResults(results);
  console.log(`[integration] VS Code ${results.vscodeVersion ?? '?'}; suite ${results.durationMs ?? '?'} ms`);

  let activation;
  if (process.env.CLERK_UU_ACTIVATION === '1') {
    activation = reportActivation(await runInHost(PROBE, plainWorkspace(), 2 * 60_000));
  }

  mkdirSync(join(OUTPUT, 'integration'), { recursive: true });
  writeFileSync(
    join(OUTPUT, 'integration', 'results.json'),
    JSON.stringify(
      {
        ...results,
        activation,
        bundleBytes: fileSize(join(REPO, 'dist', 'extension.js')),
        vsixBytes: fileSize(vsix),
      },
      null,
      2,
    ),
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
