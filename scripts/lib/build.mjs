// Builds what the test layers read, once: the release bundles and our VSIX in dist/ (`npm run
// package`), the compiled tests in out/ (what `npm run compile:tests` makes) and the test-runner
// VSIX in .test-output/. `npm test` (scripts/test-all.mjs) builds all of it up front and runs every layer
// with CLERK_UU_SKIP_BUILD=1, so no layer rebuilds what another one reads. A layer run on its own
// builds what it needs first.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix, VSIX } from '../package-vsix.mjs';
import { runCommand } from './processes.mjs';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export { VSIX };
export const OUTPUT = join(REPO, '.test-output');
export const RUNNER_VSIX = join(OUTPUT, 'clerk-uu-test-runner.vsix');
const VSCE = join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

/** Runs `work` between a "[build] label ..." line and its "done in" line. */
async function timed(label, work) {
  const started = Date.now();
  console.log(`[build] ${label} ...`);
  const result = await work();
  console.log(`[build] ${label} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function step(label, command, args, options = {}) {
  return timed(label, async () => {
    const result = await runCommand(command, args, { cwd: REPO, capture: true, echo: false, ...options });
    if (result.code !== 0) {
      process.stderr.write(result.output);
      throw new Error(`${label} failed (exit ${result.code})`);
    }
    return result.output;
  });
}

/** What the unit tests spawn (see test/support/dist.ts) and the integration and e2e layers install. */
const BUNDLES = ['extension.js', 'cli.js', 'fake-clerk.js', 'metadataTypes.js'].map((name) =>
  join(REPO, 'dist', name),
);
const COMPILED_TESTS = join(REPO, 'out', 'test');

/**
 * What `npm run package` and `npm run compile:tests` make, each step once: the validators, then side by side
 * the release bundles and the VSIX, the tests compiled (`tests`) and the test-runner VSIX (`runner`). The
 * compile needs only the validators, not the bundles, so it does not wait for them. With
 * CLERK_UU_SKIP_BUILD=1 nothing is built: what is needed must already be there.
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
    await step('validators', process.execPath, ['scripts/build-validators.mjs']);
    await Promise.all([
      step('release bundles', process.execPath, ['esbuild.mjs', '--production']).then(() =>
        timed('VSIX', packageVsix),
      ),
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
