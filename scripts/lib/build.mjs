// Builds what the in-host layers install: our VSIX, the compiled tests, the test runner VSIX.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from './processes.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const VSIX = join(REPO, 'dist', 'clerk-user-update.vsix');
export const OUTPUT = join(REPO, '.test-output');
export const RUNNER_VSIX = join(OUTPUT, 'clerk-uu-test-runner.vsix');
const VSCE = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');

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

/**
 * `npm run package` (release bundle + VSIX) and `npm run compile:tests`, unless
 * CLERK_UU_SKIP_BUILD=1 says a previous layer of the same run already did.
 */
export async function buildAll({ tests = true, runner = true } = {}) {
  if (process.env.CLERK_UU_SKIP_BUILD === '1' && existsSync(VSIX)) {
    console.log('[build] CLERK_UU_SKIP_BUILD=1: using the existing build');
  } else {
    await step('npm run package', 'npm', ['run', 'package']);
    if (tests) await step('npm run compile:tests', 'npm', ['run', 'compile:tests']);
  }
  if (runner) await buildRunnerVsix();
  return { vsix: VSIX, runnerVsix: runner ? RUNNER_VSIX : undefined };
}

/** Packages test/host-runner as a VSIX (test only; never shipped). */
export async function buildRunnerVsix() {
  mkdirSync(OUTPUT, { recursive: true });
  await step('package test runner extension', process.execPath, [
    VSCE, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', RUNNER_VSIX,
  ], { cwd: join(REPO, 'test', 'host-runner') });
  return RUNNER_VSIX;
}

export function fileSize(file) {
  return existsSync(file) ? statSync(file).size : undefined;
}
