// `npm run test:soak`: the in-host layers again and again on a busier machine, to shake out races.
// Builds once (as `npm test` does), then runs the integration and e2e layers N times in a row
// (--runs N, or CLERK_UU_SOAK_RUNS; default 3) against that build, while a child process spins
// and holds one core. Stops at the first failure and prints the failure screenshots it left
// (.test-output/integration/ and .test-output/e2e/). CLERK_UU_SKIP_BUILD=1 soaks the build that is there.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildAll, OUTPUT, REPO } from './lib/build.mjs';
import { cleanupAll, isExiting, onCleanup, runCommand } from './lib/processes.mjs';

const LAYERS = [
  { name: 'integration', script: 'scripts/run-integration.mjs' },
  { name: 'e2e', script: 'scripts/run-e2e.mjs' },
];

function runsWanted() {
  const i = process.argv.indexOf('--runs');
  const raw = i > 0 ? process.argv[i + 1] : process.env.CLERK_UU_SOAK_RUNS || '3';
  const runs = Number(raw);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a whole number of runs, 1 or more, not "${raw}"`);
  return runs;
}

/** A child process that keeps one core busy until it is ended (by its pid, at cleanup). */
function holdOneCore() {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const stop = () =>
    new Promise((resolvePromise) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
      child.once('exit', () => resolvePromise());
      child.kill('SIGKILL');
    });
  onCleanup(stop);
  console.log(`[soak] a busy loop holds one core (pid ${child.pid})`);
  return stop;
}

/** Failure screenshots written since `since` (ms), below .test-output/. */
function failureScreenshots(since) {
  const found = [];
  for (const layer of LAYERS) {
    const dir = join(OUTPUT, layer.name);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (/^failed-.*\.png$/.test(name) && statSync(file).mtimeMs >= since) found.push(file);
    }
  }
  return found;
}

async function main() {
  const runs = runsWanted();
  const started = Date.now();
  await buildAll({ tests: true, runner: true });
  const stopBusy = holdOneCore();
  const env = { ...process.env, CLERK_UU_SKIP_BUILD: '1' };
  const times = [];
  for (let run = 1; run <= runs; run++) {
    for (const layer of LAYERS) {
      if (isExiting()) return 1;
      const layerStarted = Date.now();
      console.log(`\n=== soak run ${run} of ${runs}: ${layer.name} ===`);
      const result = await runCommand(process.execPath, [layer.script], { cwd: REPO, env, capture: true });
      const seconds = ((Date.now() - layerStarted) / 1000).toFixed(1);
      times.push(`run ${run} ${layer.name} ${seconds} s`);
      if (result.code !== 0) {
        await stopBusy();
        console.log(
          `\n[soak] run ${run} of ${runs}: the ${layer.name} layer failed after ${seconds} s (${times.join(', ')})`,
        );
        const screenshots = failureScreenshots(layerStarted);
        if (screenshots.length)
          console.log(`[soak] failure screenshots:\n${screenshots.map((f) => `  ${f}`).join('\n')}`);
        else console.log('[soak] no failure screenshot (see the output above)');
        return 1;
      }
    }
  }
  await stopBusy();
  console.log(
    `\n[soak] ${runs} run(s) of the integration and e2e layers passed with one core busy, in ${((Date.now() - started) / 1000).toFixed(1)} s: ${times.join(', ')}`,
  );
  return 0;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error) => {
    if (!isExiting()) console.error(`[soak] ${error?.stack ?? error}`);
    await cleanupAll();
    process.exit(1);
  });
