// Builds what the test layers read, once: the release bundles and our VSIX in dist/ (`npm run
// package`), the compiled tests in out/ (what `npm run compile:tests` makes) and the test-runner
// VSIX in .test-output/. `npm test` (scripts/test-all.mjs) builds all of it up front and runs every layer
// with CLERK_UU_SKIP_BUILD=1, so no layer rebuilds what another one reads. A layer run on its own
// builds what it needs first.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './processes.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSIX = join(REPO, 'dist', 'clerk-user-update.vsix');
export const OUTPUT = join(REPO, '.test-output');
export const RUNNER_VSIX = join(OUTPUT, 'clerk-uu-test-runner.vsix');
const VSCE = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

async function step(label, command, args, options = {}) {
  const started = Date.now();
  console.log(`[build] ${label} ...`);
  const result = await runCommand(command, args, { cwd: REPO, capture: true, echo: false, ...options });
  if (result.code !== 0) {
    process.stderr.write(result.output);
    throw new Error(`${label} failed (exit ${result.code})`);
  }
  console.log(`[build] ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.output;
}

/** What the unit tests spawn (see test/support/dist.ts) and the integration and e2e layers install. */
const BUNDLES = ['extension.js', 'cli.js', 'fake-clerk.js', 'metadataTypes.js'].map((name) =>
  join(REPO, 'dist', name),
);
const COMPILED_TESTS = join(REPO, 'out', 'test');

/**
 * `npm run package` (the validators, the release bundles, the VSIX), then the tests compiled as
 * `npm run compile:tests` does (`tests`; its build:validators step is skipped, package has just made
 * them) and the test-runner VSIX (`runner`), side by side. With CLERK_UU_SKIP_BUILD=1 nothing is
 * built: what is needed must already be there.
 */
export async function buildAll({ tests = true, runner = true } = {}) {
  if (process.env.CLERK_UU_SKIP_BUILD === '1') {
    const needed = [...BUNDLES, VSIX, ...(tests ? [COMPILED_TESTS] : []), ...(runner ? [RUNNER_VSIX] : [])];
    const missing = needed.filter((file) => !existsSync(file)).map((file) => relative(REPO, file));
    if (missing.length > 0) {
      throw new Error(
        `CLERK_UU_SKIP_BUILD=1, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing: run npm test, or this layer without CLERK_UU_SKIP_BUILD, to build first`,
      );
    }
    console.log('[build] CLERK_UU_SKIP_BUILD=1: using the existing build');
  } else {
    await step('npm run package', 'npm', ['run', 'package']);
    await Promise.all([
      tests && step('tsc -p . (compile:tests)', process.execPath, [TSC, '-p', '.']),
      runner && buildRunnerVsix(),
    ]);
  }
  return { vsix: VSIX, runnerVsix: runner ? RUNNER_VSIX : undefined };
}

/** Packages test/host-runner as a VSIX (test only; never shipped). */
export async function buildRunnerVsix() {
  mkdirSync(OUTPUT, { recursive: true });
  await step(
    'package test runner extension',
    process.execPath,
    [
      VSCE,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--out',
      RUNNER_VSIX,
    ],
    { cwd: join(REPO, 'test', 'host-runner') },
  );
  return RUNNER_VSIX;
}

export function fileSize(file) {
  return existsSync(file) ? statSync(file).size : undefined;
}
