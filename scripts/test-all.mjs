// `npm test`: build once, with the provisioning of code-server and chromium alongside; then the three test
// layers at the same time: unit, integration (real VS Code extension host) and e2e (real browser on the real
// workbench). Lint runs from the start, alongside the build and then the layers. The build is the only
// one: the release bundles and VSIX in dist/, the compiled tests in out/ and the test-runner VSIX
// (scripts/lib/build.mjs); every layer runs with CLERK_UU_SKIP_BUILD=1 and only reads it. The layers run
// together because none of them keeps both cores busy alone (they wait on browsers, child processes and
// fake servers), and each is written to pass on a loaded machine; each keeps its output until it ends, then
// it is printed whole, layer after layer. Every layer runs even if another failed, so one run shows
// everything. Prints each step's counts, then "N passed, N failed" alone on the last line, after each
// step's time and the five slowest tests of the run. Exits non-zero on any failure. Each layer ends the
// processes it started; this script ends the layers that are running if it gets SIGINT/SIGTERM.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cleanupAll, isExiting, runCommand } from './lib/processes.mjs';
import { buildAll, OUTPUT, REPO } from './lib/build.mjs';

const COUNTS_LINE = /^(\d+) passed, (\d+) failed$/m;

function nodeTestCounts(output) {
  const pass = output.match(/^\S*\s*pass (\d+)$/m);
  const fail = output.match(/^\S*\s*fail (\d+)$/m);
  if (!pass || !fail) return undefined;
  return { passed: Number(pass[1]), failed: Number(fail[1]) };
}

function lastCountsLine(output) {
  const all = [...output.matchAll(new RegExp(COUNTS_LINE.source, 'gm'))];
  const last = all.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

/** Each test of a layer that writes them: { title, durationMs }. */
function readJsonLines(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** code-server and chromium for the browser layers (scripts/lib/provision.mjs); not a test layer. */
const provisionStep = {
  name: 'provision',
  command: process.execPath,
  args: ['scripts/lib/provision.mjs'],
  counts: () => undefined,
};

const layers = [
  { name: 'lint', command: 'npm', args: ['run', 'lint'], counts: () => undefined },
  // Not `npm run test:unit`, which builds first when run on its own.
  {
    name: 'unit',
    command: process.execPath,
    args: ['scripts/run-node-tests.mjs', 'out/test/unit'],
    counts: nodeTestCounts,
    tests: {
      file: join(OUTPUT, 'unit', 'tests.jsonl'),
      read: (file) => readJsonLines(file).map((t) => ({ ...t, title: `${t.file}: ${t.title}` })),
    },
  },
  {
    name: 'integration',
    command: process.execPath,
    args: ['scripts/run-integration.mjs'],
    counts: lastCountsLine,
    tests: {
      file: join(OUTPUT, 'integration', 'results.json'),
      read: (file) => JSON.parse(readFileSync(file, 'utf8')).tests ?? [],
    },
  },
  {
    name: 'e2e',
    command: process.execPath,
    args: ['scripts/run-e2e.mjs'],
    counts: lastCountsLine,
    tests: {
      file: join(OUTPUT, 'e2e', 'results.json'),
      read: (file) => JSON.parse(readFileSync(file, 'utf8')).tests ?? [],
    },
  },
];

/** The tests a layer reported, with their durations (none if it wrote nothing: a crash, a missing build). */
function layerTests(layer) {
  if (!layer.tests || !existsSync(layer.tests.file)) return [];
  try {
    return layer.tests
      .read(layer.tests.file)
      .filter((t) => typeof t.durationMs === 'number')
      .map((t) => ({ layer: layer.name, title: t.title, ms: t.durationMs }));
  } catch (error) {
    console.error(`[test-all] cannot read ${layer.tests.file}: ${error.message}`);
    return [];
  }
}

async function build() {
  const started = Date.now();
  console.log('\n=== build ===');
  let ok = true;
  try {
    await buildAll({ tests: true, runner: true });
  } catch (error) {
    ok = false;
    console.error(`[test-all] ${error?.message ?? error}`);
  }
  return {
    name: 'build',
    passed: 0,
    failed: ok ? 0 : 1,
    ok,
    seconds: ((Date.now() - started) / 1000).toFixed(1),
  };
}

/**
 * Runs one layer; returns its summary line and the tests it reported. `echo: false` keeps its output until
 * `print()`.
 */
async function runLayer(layer, env, { echo = true } = {}) {
  const layerStarted = Date.now();
  if (echo) console.log(`\n=== ${layer.name} ===`);
  // What a layer wrote on an earlier run is not this run's.
  if (layer.tests) rmSync(layer.tests.file, { force: true });
  const result = await runCommand(layer.command, layer.args, { cwd: REPO, env, capture: true, echo });
  let counts = layer.counts(result.output);
  // A layer that fails without reporting failures (a missing build, a crash) counts as one failure.
  if (result.code !== 0 && (!counts || counts.failed === 0))
    counts = { passed: counts?.passed ?? 0, failed: 1 };
  if (!counts) counts = { passed: 0, failed: 0 };
  const seconds = ((Date.now() - layerStarted) / 1000).toFixed(1);
  return {
    summary: { name: layer.name, ...counts, ok: result.code === 0, seconds },
    tests: layerTests(layer),
    print: (alongside) => {
      console.log(`\n=== ${layer.name}${alongside ? ` (ran alongside ${alongside})` : ''} ===`);
      process.stdout.write(result.output);
    },
  };
}

async function main() {
  const started = Date.now();
  const summary = [];
  const tests = [];
  const env = { ...process.env, CLERK_UU_SKIP_BUILD: '1' };
  const [lint, ...testLayers] = layers;
  // Lint reads the sources only, and provisioning fetches code-server and chromium (once, into a cache
  // outside the clone), so both start with the build. The browser layers would each provision on their own,
  // at the same time, into the same cache: here it is done once before them. CLERK_UU_SKIP_BUILD=1 npm test:
  // test the build that is there.
  const building = process.env.CLERK_UU_SKIP_BUILD !== '1';
  const linting = runLayer(lint, env, { echo: false });
  const provisioning = runLayer(provisionStep, env, { echo: false });
  if (building) summary.push(await build());
  const provisioned = await provisioning;
  provisioned.print(building ? 'the build' : undefined);
  summary.push(provisioned.summary);
  // The test layers need the build only: lint, which reads the sources, goes on alongside them, so that no
  // core waits for its last seconds. Its output is printed once it ends, like a layer's.
  const others = isExiting() ? [] : testLayers;
  if (others.length) console.log(`\n=== ${others.map((l) => l.name).join(', ')} (at the same time) ===`);
  const report = (ran) => {
    const { name, passed, failed, seconds } = ran.summary;
    console.log(`[test-all] ${name}: ${passed} passed, ${failed} failed in ${seconds} s`);
    return ran;
  };
  const runs = others.map((layer) => runLayer(layer, env, { echo: false }).then(report));
  const linted = await linting;
  linted.print(building ? 'the build and the tests' : 'the tests');
  summary.push(linted.summary);
  for (const ran of await Promise.all(runs)) {
    const alongside = others.filter((l) => l.name !== ran.summary.name).map((l) => l.name);
    ran.print(alongside.join(' and '));
    summary.push(ran.summary);
    tests.push(...ran.tests);
  }

  console.log('\n=== summary ===');
  for (const s of summary) {
    const label = { build: 'built', lint: 'clean', provision: 'provisioned' }[s.name];
    const counts = label ? (s.ok ? label : 'FAILED') : `${s.passed} passed, ${s.failed} failed`;
    console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name.padEnd(12)} ${counts.padEnd(24)} ${s.seconds} s`);
  }
  const passed = summary.reduce((n, s) => n + s.passed, 0);
  const failed = summary.reduce((n, s) => n + s.failed, 0);
  console.log('slowest tests:');
  for (const t of tests.sort((a, b) => b.ms - a.ms).slice(0, 5)) {
    const title = t.title.length > 120 ? `${t.title.slice(0, 119)}…` : t.title;
    console.log(`  ${(t.ms / 1000).toFixed(1).padStart(6)} s  ${t.layer.padEnd(12)} ${title}`);
  }
  console.log(`total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return summary.every((s) => s.ok) && failed === 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  })
  .catch(async (error) => {
    console.error(`[test-all] ${error?.stack ?? error}`);
    await cleanupAll();
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
