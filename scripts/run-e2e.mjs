// End-to-end layer: mocha (TDD, in this process) runs test/e2e/**/*.e2e.mjs and test/demo/**/*.e2e.mjs, which
// drive Debian's
// chromium through playwright-core against code-server's real workbench with our VSIX installed.
// Screenshots go to .test-output/e2e/, and each test's outcome and duration to .test-output/e2e/results.json.
// Prints "N passed, N failed" on its own line.
// Env: CLERK_UU_E2E_GREP (filter by title), CLERK_UU_E2E_TIMEOUT_MS (bound on the whole layer),
// CLERK_UU_HEADED=1 (show the browser, given a display), CLERK_UU_SKIP_BUILD=1.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout } from 'node:timers';
import Mocha from 'mocha';
import { buildAll, OUTPUT, REPO } from './lib/build.mjs';
import { cleanupAll, isExiting } from './lib/processes.mjs';
import { provision } from './lib/provision.mjs';

const LAYER_TIMEOUT_MS = Number(process.env.CLERK_UU_E2E_TIMEOUT_MS ?? 15 * 60_000);

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.e2e.mjs')) found.push(full);
  }
  return found.sort();
}

async function main() {
  const started = Date.now();
  await provision();
  await buildAll({ tests: false, runner: false });
  // Start from an empty screenshot folder, so what is there belongs to this run.
  rmSync(join(OUTPUT, 'e2e'), { recursive: true, force: true });
  console.log(`[e2e] screenshots: ${join(OUTPUT, 'e2e')}`);

  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 180_000,
    slow: 30_000,
    grep: process.env.CLERK_UU_E2E_GREP || undefined,
  });
  // test/demo holds the `npm start` demo test (it starts the demo itself and ends with Ctrl+C). The
  // Restricted Mode suite has a workbench of its own: it runs after the suites of the shared trusted
  // workbench, which the last of them stops, so that one workbench is up at a time.
  const e2e = findTests(join(REPO, 'test', 'e2e'));
  const restricted = e2e.filter((file) => basename(file) === 'untrusted.e2e.mjs');
  const files = [...e2e.filter((file) => !restricted.includes(file)), ...restricted];
  for (const file of [...files, ...findTests(join(REPO, 'test', 'demo'))]) mocha.addFile(file);
  await mocha.loadFilesAsync();

  const counts = { passed: 0, failed: 0, pending: 0 };
  const tests = [];
  await new Promise((resolvePromise) => {
    const runner = mocha.run(() => resolvePromise());
    runner.on('pass', (test) => {
      counts.passed++;
      tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration });
    });
    // A failed hook counts too: its suite's tests did not run.
    runner.on('fail', (test) => {
      counts.failed++;
      tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration });
    });
    runner.on('pending', () => counts.pending++);
  });
  mkdirSync(join(OUTPUT, 'e2e'), { recursive: true });
  writeFileSync(join(OUTPUT, 'e2e', 'results.json'), JSON.stringify({ ...counts, tests }, null, 2));
  console.log(`[e2e] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return counts;
}

const timer = setTimeout(async () => {
  console.error(`[e2e] the layer took longer than ${LAYER_TIMEOUT_MS / 1000} s; stopping`);
  await cleanupAll();
  console.log('0 passed, 1 failed');
  process.exit(1);
}, LAYER_TIMEOUT_MS);
timer.unref();

main()
  .then(async (counts) => {
    await cleanupAll();
    console.log(`${counts.passed} passed, ${counts.failed} failed`);
    process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
  })
  .catch(async (error) => {
    if (!isExiting()) console.error(`[e2e] ${error?.stack ?? error}`);
    await cleanupAll();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
