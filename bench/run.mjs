// npm run bench: validation against VS Code's JSON language service (same process, interleaved), the
// keystroke p99, heap growth, send overhead against the fake Clerk, the bundle size, and activation of
// our extension and of VS Code's built-in JSON extension inside the real extension host (code-server).
// Prints a table with the goals and writes bench/results.json. See docs/performance.md.
//
//   node bench/run.mjs                 the whole benchmark (about 2 minutes)
//   node bench/run.mjs --no-host       everything but the extension-host part (no code-server)
//   node bench/run.mjs --smoke         tiny inputs, no host, builds nothing: checks that the harness works
// (on the build the tests read: dist/ and, from npm run compile:tests, out/bench/)
//   --out FILE                         where to write the results (default bench/results.json)
//   --host-runs N                      pairs of fresh extension hosts for activation (default 2)
//   --clerk-limits                     also 10,000-row bulk runs at Clerk's own limits (100/10 s,
//                                      1,000/10 s): about 20 minutes
//   --bulk                             only the side-by-side bulk runs against migration-tool's pacing at
//                                      Clerk's limits (2,000 rows at 100/10 s, 10,000 at 1,000/10 s) and
//                                      the kill-and-resume run: ~15 min
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { bundles, commonOptions } from '../esbuild.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
// Full collections between measured batches need global.gc: run again with --expose-gc.
if (typeof globalThis.gc !== 'function') {
  const again = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], {
    stdio: 'inherit',
  });
  process.exit(again.status ?? 1);
}
const SMOKE = flag('--smoke');
const HOST = !SMOKE && !flag('--no-host');
const OUT = resolve(option('--out', join(REPO, 'bench', 'results.json')));
const HOST_RUNS = Math.max(1, Number(option('--host-runs', 2)));
const CLERK_LIMITS = flag('--clerk-limits');
const BULK = flag('--bulk');
const HOST_SENDS = 20;
/** Extension hosts are started until this many seconds into the run (each takes 15-25 s here). */
const HOST_BUDGET_S = 115;

export const GOALS = {
  typical_ratio: 20,
  large_ratio: 5,
  keystroke_p99_ms: 1,
  bundle_bytes: 128 * 1024,
  send_overhead_ms: 5,
  heap_growth_mb: 5,
  bulk_rows_per_s: 200_000,
  bulk_rss_growth_mb: 64,
  bulk_throughput_ratio: 0.95,
  bulk_rate_limited_fraction: 0.01,
  bulk_resume_overhead_ms: 1000,
  typed_metadata_ratio: 1.25,
  typed_keystroke_p99_ms: 1,
};

// Repetitions: enough for stable medians on a 2-core machine within the 3-minute budget.
const PLAN = SMOKE
  ? {
      typical: { repetitions: 3, batchMs: 2, warmupMs: 5 },
      large: { repetitions: 2, batchMs: 2, warmupMs: 5, bytes: 32 * 1024 },
      keystrokes: 20,
      replays: 2,
      memory: [200, 2],
      sends: 3,
      sendWarmup: 1,
      bulk: {
        rows: 2_000,
        runs: 1,
        send: { rows: 200, limit: 1000, windowMs: 1000, latencyMs: 20 },
        dryRows: 2_000,
        resume: { rows: 2_000, runs: 2 },
      },
      typed: { rows: 2_000, runs: 1 },
    }
  : {
      typical: { repetitions: 41, batchMs: 15, warmupMs: 500 },
      large: { repetitions: 15, batchMs: 50, warmupMs: 1000, bytes: 1024 * 1024 },
      keystrokes: 1000,
      replays: 9,
      memory: [10_000, 5],
      sends: 200,
      sendWarmup: 20,
      bulk: {
        rows: 100_000,
        runs: 5,
        send: { rows: 2_000, limit: 250, windowMs: 1000, latencyMs: 100 },
        dryRows: 100_000,
        resume: { rows: 100_000, runs: 5 },
      },
      typed: { rows: 100_000, runs: 5 },
    };

const started = performance.now();
const log = (message) => console.log(`[bench] ${message}`);
const { allUsers, killAndResume, migrationTool, mixedFile, retryAfterBurst, writeEveryUser } =
  await import('./migration.mjs');

// ------------------------------------------------------------------------------------------------
// Bundles: our pipeline bundled and minified like the release, with the reference bundled the same way.

const work = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
// The release options of esbuild.mjs (minified, no source maps), for the bench's own entry points.
const common = commonOptions({ production: true });
const ENTRIES = {
  measure: 'bench/measure.ts',
  'memory-child': 'bench/memory-child.ts',
  'bulk-child': 'bench/bulk-child.ts',
  'lookups-child': 'bench/lookups-child.ts',
  cli: 'src/cli/main.ts',
  'fake-clerk': 'src/fake/main.ts',
};
/**
 * The bench's code, by entry: bundled here like the release, or with --smoke the build as it is (tests only
 * read the build).
 */
const code = SMOKE
  ? {
      measure: join(REPO, 'out', 'bench', 'measure.js'),
      'memory-child': join(REPO, 'out', 'bench', 'memory-child.js'),
      'bulk-child': join(REPO, 'out', 'bench', 'bulk-child.js'),
      'lookups-child': join(REPO, 'out', 'bench', 'lookups-child.js'),
      cli: join(REPO, 'dist', 'cli.js'),
      'fake-clerk': join(REPO, 'dist', 'fake-clerk.js'),
      metadataTypes: join(REPO, 'dist', 'metadataTypes.js'),
    }
  : Object.fromEntries(
      [...Object.keys(ENTRIES), 'metadataTypes'].map((name) => [name, join(work, `${name}.js`)]),
    );
if (SMOKE) {
  const missing = Object.values(code).filter((file) => !existsSync(file));
  if (missing.length)
    throw new Error(
      `--smoke runs on the build, and ${missing.join(', ')} is missing: run npm run build (or npm run package) and npm run compile:tests first`,
    );
} else {
  await esbuild.build({ ...common, entryPoints: ENTRIES, outdir: work });
  // The parser of metadata declarations, in its own bundle as dist/metadataTypes.js is.
  await esbuild.build({
    ...common,
    entryPoints: { metadataTypes: 'src/node/metadataTypes/parserBundle.ts' },
    outdir: work,
  });
}
const measure = createRequire(import.meta.url)(code.measure);

if (BULK) {
  const results = {
    date: new Date().toISOString(),
    mode: 'bulk',
    machine: machine(),
    load: loadAverage(),
    goals: GOALS,
    bulk: {},
  };
  const b = results.bulk;
  b.side_by_side = {};
  for (const [name, live, rows, limit] of [
    ['development', false, 2_000, 100],
    ['production', true, 10_000, 1000],
  ]) {
    log(
      `bulk side by side at Clerk's ${name} limit: ${rows.toLocaleString('en-US')} rows, ours then migration-tool's pacing`,
    );
    b.side_by_side[name] = await sideBySide({
      rows,
      limit,
      windowMs: 10_000,
      live,
      clerkRate: true,
      resume: live,
      burst: true,
    });
    log(JSON.stringify(b.side_by_side[name]));
  }
  const prod = b.side_by_side.production;
  b.throughput_ratio = prod.ours.ratio;
  b.rate_limited_fraction = prod.ours.rate_limited_fraction;
  b.lookup_fraction = Math.max(prod.ours.lookup_fraction, b.side_by_side.development.ours.lookup_fraction);
  b.vs_migration_tool = Object.fromEntries(
    Object.entries(b.side_by_side).map(([k, v]) => [k, v.vs_migration_tool]),
  );
  b.vs_retry_after_burst = Object.fromEntries(
    Object.entries(b.side_by_side).map(([k, v]) => [k, v.vs_retry_after_burst]),
  );
  b.resume_cost_s = prod.resume.cost_per_kill_s;
  results.load_after = loadAverage();
  results.duration_s = (performance.now() - started) / 1000;
  writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
  printSideBySide(results);
  log(`results written to ${OUT} (${results.duration_s.toFixed(1)} s)`);
  process.exit(0);
}

// ------------------------------------------------------------------------------------------------
// In-process measurements.

const schema = JSON.parse(readFileSync(join(REPO, 'schemas', '2026-05-12.schema.json'), 'utf8'));
const results = {
  date: new Date().toISOString(),
  mode: SMOKE ? 'smoke' : HOST ? 'full' : 'no-host',
  machine: machine(),
  goals: GOALS,
  validation: {},
};

log('validation, typical payload (ours and the JSON language service, interleaved)');
const typicalTexts = Array.from({ length: 64 }, (_, i) => measure.typicalPayload(i + 1));
const typical = await measure.sideBySide(typicalTexts, schema, PLAN.typical);
results.validation.typical = { ...typical, ratio: typical.ratio.median, ratio_spread: typical.ratio };

log('validation, 1 MB of metadata');
const large = measure.largePayload(PLAN.large.bytes);
const largeTexts = [1, 2, 3, 4].map((i) => large.replace('"first_name": "Ada"', `"first_name": "Ada ${i}"`));
const largeResult = await measure.sideBySide(largeTexts, schema, PLAN.large);
results.validation.large = {
  ...largeResult,
  ratio: largeResult.ratio.median,
  ratio_spread: largeResult.ratio,
};

log(`keystroke replay (${PLAN.keystrokes} edits x ${PLAN.replays})`);
const strokes = await measure.keystrokes(measure.keystrokeTexts(PLAN.keystrokes), schema, PLAN.replays);
results.validation.keystroke_p99_ms = strokes.ours_p99_ms.median;
results.validation.keystroke = strokes;

log(
  `typed metadata: ${PLAN.typed.rows.toLocaleString('en-US')} JSONL rows with metadata in every row, without and with declarations (${PLAN.typed.runs} runs, interleaved); keystrokes with declarations`,
);
results.typed_metadata = measure.typedMetadata(
  PLAN.typed.rows,
  PLAN.typed.runs,
  PLAN.keystrokes,
  PLAN.replays,
  code.metadataTypes,
);

log(`heap growth (${PLAN.memory[0]} validations x ${PLAN.memory[1]} rounds, node --expose-gc)`);
const child = spawnSync(
  process.execPath,
  ['--expose-gc', code['memory-child'], String(PLAN.memory[0]), String(PLAN.memory[1])],
  { encoding: 'utf8' },
);
if (child.status !== 0) throw new Error(`memory child failed: ${child.stderr}`);
const memory = JSON.parse(child.stdout.trim().split('\n').pop());
results.heap_growth_mb = memory.growth_mb.median;
results.memory = memory;

log(`send overhead in process (${PLAN.sends} sends to the fake)`);
const send = await measure.sendOverhead(PLAN.sends, PLAN.sendWarmup);
results.send_overhead_ms = send.overhead_ms.median;
results.send = send;

log(
  `bulk validate (${PLAN.bulk.rows.toLocaleString('en-US')} JSONL rows and the same as CSV, ${PLAN.bulk.runs} runs each, a fresh process per run)`,
);
results.bulk = bulkValidate(PLAN.bulk.rows, PLAN.bulk.runs);

const sendPlan = PLAN.bulk.send;
log(
  `bulk send: ${sendPlan.rows.toLocaleString('en-US')} rows against the fake (its own process) at ${sendPlan.limit}/${sendPlan.windowMs} ms with ${sendPlan.latencyMs} ms latency, node cli.js send`,
);
const throughput = await bulkSend({ ...sendPlan, live: false });
results.bulk.throughput_ratio = throughput.ratio;
results.bulk.rate_limited_fraction = throughput.rate_limited_fraction;
results.bulk.send = throughput;

log(
  `bulk dry run and export of ${PLAN.bulk.dryRows.toLocaleString('en-US')} users (the fake in its own process; a fresh child per command)`,
);
const dry = await bulkDryRun(PLAN.bulk.dryRows);
results.bulk.dry_run = dry;
results.bulk.validate_rss_growth_mb = results.bulk.rss_growth_mb;
results.bulk.dry_run_rss_growth_mb = dry.dry_run.rss_growth_mb;
results.bulk.dry_run_lookups_rss_growth_mb = dry.lookups_only.rss_growth_mb;
results.bulk.export_rss_growth_mb = dry.export.rss_growth_mb;
results.bulk.rss_growth_mb = Math.max(
  results.bulk.validate_rss_growth_mb,
  results.bulk.dry_run_rss_growth_mb,
);

log(
  `bulk resume: a journal of ${PLAN.bulk.resume.rows.toLocaleString('en-US')} rows loaded ${PLAN.bulk.resume.runs} times`,
);
const resumeDir = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-resume-'));
try {
  const resumed = await measure.resumeJournal(
    join(resumeDir, 'bench.userupdates.jsonl.journal.jsonl'),
    PLAN.bulk.resume.rows,
    PLAN.bulk.resume.runs,
  );
  results.bulk.resume = {
    ms: measure.summarize(resumed.ms),
    journal_mb: resumed.bytes / 2 ** 20,
    rows: resumed.rows,
  };
  results.bulk.resume_overhead_ms = results.bulk.resume.ms.median;
} finally {
  rmSync(resumeDir, { recursive: true, force: true });
}

{
  // The quick side by side: a scaled limit (the same 10 s window shape at 1/5 of the time), no kill.
  const quick = SMOKE ? { rows: 120, limit: 100, windowMs: 1000 } : { rows: 600, limit: 100, windowMs: 2000 };
  log(
    `bulk side by side (quick): ${quick.rows} rows at ${quick.limit}/${quick.windowMs} ms, ours then migration-tool's pacing`,
  );
  const q = await sideBySide({ ...quick, live: false, clerkRate: false, resume: false });
  results.bulk.side_by_side = { quick: q };
  results.bulk.vs_migration_tool = { quick: q.vs_migration_tool };
  results.bulk.lookup_fraction = q.ours.lookup_fraction;
}

if (CLERK_LIMITS && !SMOKE) {
  results.bulk.clerk_limits = {};
  for (const [name, live, limit] of [
    ['development', false, 100],
    ['production', true, 1000],
  ]) {
    log(
      `bulk send at Clerk's ${name} limit: 10,000 rows at ${limit}/10 s (${live ? 'sk_live_' : 'sk_test_'} key, the fake's limit and latency 50-150 ms)`,
    );
    results.bulk.clerk_limits[name] = await bulkSend({
      rows: 10_000,
      limit,
      windowMs: 10_000,
      latencyMs: '50-150',
      live,
      clerkRate: true,
    });
  }
}

// ------------------------------------------------------------------------------------------------
// Bundle size and the extension host.

results.bundle_bytes = null;
results.activation_ms = null;
results.json_extension_activation_ms = null;
results.send_overhead_host_ms = null;

if (HOST) {
  const { buildAll } = await import('../scripts/lib/build.mjs');
  const { runInExtensionHost } = await import('../scripts/lib/host.mjs');
  const { cleanupAll } = await import('../scripts/lib/processes.mjs');
  try {
    const { vsix, runnerVsix } = await buildAll({ tests: false });
    results.bundle_bytes = statSync(join(REPO, 'dist', 'extension.js')).size;
    results.bundle_source = 'dist/extension.js (npm run package: build:release + VSIX)';
    await esbuild.build({
      ...common,
      minify: false,
      entryPoints: { 'host-probe': 'bench/host-probe.ts' },
      outdir: work,
      external: ['vscode'],
    });
    // VS Code often activates its JSON extension during start-up by itself, with no JSON document open and
    // with or without our extension installed (onLanguage:jsonc from a model the workbench creates; see
    // docs/performance.md). Where that happened first, it cannot be measured. So: HOST_RUNS hosts with ours
    // (the sends in the first; the JSON extension measured there too while still inactive, first in every
    // other host), alternating with hosts that have only the JSON extension, until the JSON extension has
    // been measured HOST_RUNS times or the time budget for hosts is used up.
    const OURS = 'clerk-user-update.clerk-user-update';
    const JSON_ID = 'vscode.json-language-features';
    const runs = [];
    const deadline = started + HOST_BUDGET_S * 1000;
    const measured = (id) => runs.filter((r) => r.activation[id] && !r.activation[id].alreadyActive).length;
    let oursHosts = 0;
    let jsonHosts = 0;
    for (let i = 0; ; i++) {
      const needOurs = oursHosts < HOST_RUNS;
      const needJson = measured(JSON_ID) < HOST_RUNS && jsonHosts < HOST_RUNS * 2;
      if (!needOurs && !needJson) break;
      if (performance.now() > deadline && oursHosts > 0) {
        log('time budget for extension hosts used up');
        break;
      }
      const host =
        needOurs && (i % 2 === 0 || !needJson)
          ? {
              label: 'ours',
              vsixes: [vsix, runnerVsix],
              ids: oursHosts % 2 === 0 ? `${OURS},${JSON_ID}` : `${JSON_ID},${OURS}`,
              sends: oursHosts === 0 ? HOST_SENDS : 0,
            }
          : { label: 'built-in JSON only', vsixes: [runnerVsix], ids: JSON_ID, sends: 0 };
      if (host.label === 'ours') oursHosts++;
      else jsonHosts++;
      const workspace = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-ws-'));
      writeFileSync(
        join(workspace, 'README.md'),
        '# Benchmark workspace\n\nNo JSON files: no extension has a reason to activate at start-up.\n',
      );
      log(`extension host ${i + 1} (${host.label})`);
      try {
        const probe = await runInExtensionHost({
          testModule: join(work, 'host-probe.js'),
          workspace,
          vsixes: host.vsixes,
          timeoutMs: 2 * 60_000,
          env: {
            CLERK_UU_INSTALLED_FROM_VSIX: '1',
            CLERK_UU_BENCH_IDS: host.ids,
            CLERK_UU_BENCH_SENDS: String(host.sends),
          },
        });
        if (probe.failed) throw new Error(probe.failures?.[0]?.error ?? 'the host probe failed');
        runs.push({ ...probe, label: host.label });
        if (probe.activeAtStart.length) log(`already active at start-up: ${probe.activeAtStart.join(', ')}`);
      } finally {
        rmSync(workspace, { recursive: true, force: true });
      }
    }
    const activation = (id) =>
      runs
        .map((r) => r.activation[id])
        .filter((a) => a && !a.alreadyActive)
        .map((a) => a.activationMs);
    const oursMs = measure.summarize(activation(OURS));
    const jsonMs = measure.summarize(activation(JSON_ID));
    results.activation_ms = oursMs.n ? oursMs.median : null;
    results.json_extension_activation_ms = jsonMs.n ? jsonMs.median : null;
    results.activation = {
      ours_ms: oursMs,
      json_extension_ms: jsonMs,
      ours_self_reported_ms: measure.summarize(
        runs.map((r) => r.activation[OURS]?.selfReportedMs).filter((x) => typeof x === 'number'),
      ),
      ours_load_ms: measure.summarize(runs.flatMap((r) => r.load[OURS] ?? [])),
      json_extension_load_ms: measure.summarize(runs.flatMap((r) => r.load[JSON_ID] ?? [])),
      json_extension_active_at_start: {
        with_ours: runs.filter((r) => r.label === 'ours').map((r) => r.activeAtStart.includes(JSON_ID)),
        without_ours: runs.filter((r) => r.label !== 'ours').map((r) => r.activeAtStart.includes(JSON_ID)),
      },
      documents_at_start: [...new Set(runs.flatMap((r) => r.documentsAtStart ?? []))],
      hosts: runs.map(
        (r) =>
          `${r.label}${r.activeAtStart.length ? ` (active at start: ${r.activeAtStart.join(', ')})` : ''}`,
      ),
      vscode_version: runs[0]?.vscodeVersion,
    };
    const hostSend = runs.find((r) => r.send)?.send;
    if (hostSend) {
      const overhead = measure.summarize(hostSend.overheadMs);
      results.send_overhead_host_ms = overhead.median;
      results.send_host = {
        overhead_ms: overhead,
        to_patch_ms: measure.summarize(hostSend.toPatchMs),
        to_get_ms: measure.summarize(hostSend.toGetMs),
        get_handling_ms: measure.summarize(hostSend.getHandlingMs),
        command_ms: measure.summarize(hostSend.commandMs),
        sends: hostSend.overheadMs.length,
      };
    }
  } finally {
    await cleanupAll();
  }
} else if (SMOKE) {
  results.bundle_bytes = statSync(join(REPO, 'dist', 'extension.js')).size;
  results.bundle_source = 'dist/extension.js as built';
} else {
  // No packaging: the same bundle as build:release, built in memory.
  const extension = bundles({ production: true }).find((b) => b.outfile === 'dist/extension.js');
  const build = await esbuild.build({ ...extension, write: false, outfile: join(work, 'extension.js') });
  results.bundle_bytes = build.outputFiles.find((f) => f.path.endsWith('extension.js')).contents.length;
  results.bundle_source = 'esbuild in memory, build:release options';
}

results.duration_s = (performance.now() - started) / 1000;
writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');
printTable(results);
log(`results written to ${OUT} (${results.duration_s.toFixed(1)} s)`);
process.exit(0);

// ------------------------------------------------------------------------------------------------

/**
 * `validate FILE` on generated bulk files of typical rows: half `$user_id` + `external_id` + `first_name`,
 * half
 * `$email` + `public_metadata` (JSONL), and `$user_id,$email,external_id,first_name,public_metadata` (CSV).
 * Each run is a fresh child process (bench/bulk-child.ts); the figures are medians over the runs.
 */
function bulkValidate(rows, runs) {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-bulk-'));
  try {
    const jsonl = join(dir, 'typical.userupdates.jsonl');
    const csv = join(dir, 'typical.userupdates.csv');
    const jsonlLines = [];
    const csvLines = ['$user_id,$email,external_id,first_name,public_metadata'];
    for (let i = 0; i < rows; i++) {
      if (i % 2 === 0) {
        jsonlLines.push(
          JSON.stringify({
            $user_id: `user_2x${i.toString(36).padStart(8, '0')}`,
            external_id: `crm-${i}`,
            first_name: `Ada ${i}`,
          }),
        );
        csvLines.push(`user_2x${i.toString(36).padStart(8, '0')},,crm-${i},Ada ${i},`);
      } else {
        jsonlLines.push(
          JSON.stringify({ $email: `ada.${i}@example.com`, public_metadata: { plan: 'pro', seats: i % 50 } }),
        );
        csvLines.push(`,ada.${i}@example.com,,,"{""plan"":""pro"",""seats"":${i % 50}}"`);
      }
    }
    writeFileSync(jsonl, jsonlLines.join('\n') + '\n');
    writeFileSync(csv, csvLines.join('\n') + '\n');
    const measureFile = (file) => {
      const out = [];
      for (let run = 0; run < runs; run++) {
        // In the files' folder: from the repository, `validate` would find the sample workspace's metadata
        // declarations (src/node/metadataTypes/discover.ts) and check every row's metadata against them.
        const child = spawnSync(process.execPath, [code['bulk-child'], String(rows), 'validate', file], {
          cwd: dir,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        if (child.status !== 0) throw new Error(`bulk child failed: ${child.stderr}`);
        const r = JSON.parse(child.stdout.trim().split('\n').pop());
        if (r.code !== 0)
          throw new Error(`validate ${file} exited ${r.code}: the generated rows should be valid`);
        out.push(r);
      }
      return {
        rows_per_s: measure.summarize(out.map((r) => rows / (r.wall_ms / 1000))),
        cpu_rows_per_s: measure.summarize(out.map((r) => rows / (r.cpu_ms / 1000))),
        wall_ms: measure.summarize(out.map((r) => r.wall_ms)),
        rss_growth_mb: measure.summarize(out.map((r) => r.rss_growth_mb)),
        file_mb: statSync(file).size / 2 ** 20,
      };
    };
    const j = measureFile(jsonl);
    const c = measureFile(csv);
    return {
      validate_rows_per_s: j.rows_per_s.median,
      rss_growth_mb: j.rss_growth_mb.median,
      rows,
      runs,
      jsonl: j,
      csv: c,
      csv_rows_per_s: c.rows_per_s.median,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------
// Bulk runs against the fake, each in a process of its own (node cli.js, as a person runs it).

/**
 * The fake Clerk (`fake-clerk.js`, built from src/fake/main.ts) in its own process: its URL, its control API,
 * stop().
 */
async function startFakeProcess(args) {
  const child = spawn(process.execPath, [code['fake-clerk'], '--port', '0', '--quiet', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (d) => {
      buffer += d;
      const end = buffer.indexOf('\n');
      if (end >= 0) resolve(buffer.slice(0, end).trim());
    });
    child.once('exit', (code) => reject(new Error(`the fake exited with ${code}`)));
  });
  const control = async (method, path, body) => {
    const response = await fetch(`${url}/__fake${path}`, {
      method,
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    if (!response.ok) throw new Error(`${method} /__fake${path}: ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  };
  const stop = () =>
    new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
  return { url, control, stop };
}

/**
 * `node cli.js ARGS…` with only PATH and `env`; fails unless it exits with `expect`. Not spawnSync: the event
 * loop
 * must go on meanwhile, or the keep-alive connections to the fake's control API go stale unnoticed.
 */
function runCli(args, env, cwd, expect = 0) {
  return runNode([code.cli, ...args], env, cwd).then((r) => {
    if (r.status !== expect)
      throw new Error(`cli ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
    return r;
  });
}

function runNode(args, env, cwd) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.once('error', reject);
    child.once('close', (status) =>
      resolve({
        status,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        wall_ms: performance.now() - started,
      }),
    );
  });
}

/** A command in process in a fresh child (bench/bulk-child.ts), measured: wall and CPU time, RSS growth. */
async function measureChild(rows, args, env, cwd) {
  const child = await runNode([code['bulk-child'], String(rows), ...args], env, cwd);
  if (child.status !== 0) throw new Error(`bulk child ${args.join(' ')} failed: ${child.stderr}`);
  const r = JSON.parse(child.stdout.trim().split('\n').pop());
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.errors}`);
  return r;
}

/** Export every user of the fake with `pull --all` and write a bulk file that gives each a new first_name. */
async function renameAll(url, env, dir) {
  const exported = join(dir, 'all.userupdates.jsonl');
  await runCli(['pull', '--api-url', url, '--all', '--out', exported, '--rate', '100000/1s'], env, dir);
  const ids = readFileSync(exported, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line).$user_id);
  const file = join(dir, 'rename.userupdates.jsonl');
  writeFileSync(
    file,
    ids.map((id, i) => JSON.stringify({ $user_id: id, first_name: `Bench ${i}` })).join('\n') + '\n',
  );
  return { file, exported, users: ids.length };
}

/** `limit` per `windowMs` as `--rate` reads it: 100/10s, 50/500ms. */
function rateText(limit, windowMs) {
  return windowMs % 1000 === 0 ? `${limit}/${windowMs / 1000}s` : `${limit}/${windowMs}ms`;
}

/** Empties the fake's rate-limit windows and its request log. */
async function freshFake(fake) {
  await fake.control('DELETE', '/rate-limits');
  await fake.control('DELETE', '/requests');
}

/** Turns the fake's instance limit on at `limit` per `windowMs` for both keys, from empty windows. */
async function limitFake(fake, limit, windowMs) {
  await fake.control('PUT', '/instance-limit', {
    test: { max: limit, windowMs },
    live: { max: limit, windowMs },
  });
  await freshFake(fake);
}

/**
 * Our CLI sends `file` to the fake, at `rate` (or at Clerk's own limits with `clerkRate`), and must update
 * every one of `rows`. Returns the run, the requests the fake recorded, and the span it saw them in: from the
 * first request's arrival (`first`) to the last request's answer (`last`).
 */
async function sendEveryRow({ fake, file, env, dir, rate, clerkRate, rows, who }) {
  const run = await runCli(
    [
      'send',
      file,
      '--api-url',
      fake.url,
      ...(clerkRate ? [] : ['--rate', rate]),
      '--yes',
      '--format',
      'json',
    ],
    env,
    dir,
  );
  const result = JSON.parse(run.stdout.trimEnd().split('\n').pop());
  if (result.status !== 'finished' || result.summary.updated !== rows)
    throw new Error(`${who} did not update every row: ${run.stdout.slice(-1000)}`);
  const records = await fake.control('GET', '/requests');
  const first = Math.min(...records.map((r) => r.time));
  const last = Math.max(...records.map((r) => r.time + (r.handlingMs ?? 0)));
  return { run, records, first, last };
}

/**
 * One bulk run of `rows` rows (each a new first_name, `$user_id`) against the fake in its own process with an
 * instance limit of `limit` per `windowMs` and a constant (or MIN-MAX) latency, by `node cli.js send`.
 *
 * The fastest the limit allows: the run's R requests (every request the fake recorded during the run: the
 * lookups of both reads, the PATCHes, any 429) under a sliding window of `limit` per `windowMs` can arrive no
 * faster than `limit` at once and the next `limit` one window later, so the last arrives at least
 * floor((R - 1) / limit) × windowMs after the first, and is answered one latency (the least latency) later:
 * fastest = floor((R - 1) / limit) × windowMs + latency. The measured time is the same span as the fake saw
 * it: from the first request's arrival to the last request's answer. ratio = fastest / measured.
 */
async function bulkSend({ rows, limit, windowMs, latencyMs, live, clerkRate = false }) {
  const fake = await startFakeProcess([
    '--seed',
    'none',
    '--users',
    String(rows),
    '--users-seed',
    '5',
    '--latency',
    String(latencyMs),
    '--instance-limit',
    'off',
    '--no-record-bodies',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-send-'));
  try {
    const { FAKE_LIVE_KEY, FAKE_TEST_KEY } = measure;
    const env = { CLERK_SECRET_KEY: live ? FAKE_LIVE_KEY : FAKE_TEST_KEY };
    const { file } = await renameAll(fake.url, env, dir);
    await limitFake(fake, limit, windowMs);
    const rate = rateText(limit, windowMs);
    const { run, records, first, last } = await sendEveryRow({
      fake,
      file,
      env,
      dir,
      rate,
      clerkRate,
      rows,
      who: 'the bench run',
    });
    const requests = records.length;
    const rateLimited = records.filter((r) => r.status === 429).length;
    const leastLatency = Number(String(latencyMs).split('-')[0]);
    const fastest = Math.floor((requests - 1) / limit) * windowMs + leastLatency;
    const measured = last - first;
    return {
      rows,
      limit: rate,
      latency_ms: latencyMs,
      key: live ? 'sk_live_' : 'sk_test_',
      requests,
      gets: records.filter((r) => r.method === 'GET').length,
      rate_limited: rateLimited,
      rate_limited_fraction: rateLimited / requests,
      fastest_ms: fastest,
      measured_ms: measured,
      ratio: fastest / measured,
      even_spread_ms: ((requests - 1) * windowMs) / limit + leastLatency,
      process_wall_ms: run.wall_ms,
      rows_per_s: rows / (run.wall_ms / 1000),
    };
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `pull --all` and `send --dry-run` of `rows` users, each a fresh child process, with the fake (rows
 * generated users) in its own.
 */
async function bulkDryRun(rows) {
  const fake = await startFakeProcess([
    '--seed',
    'none',
    '--users',
    String(rows),
    '--users-seed',
    '6',
    '--instance-limit',
    'off',
    '--no-record-bodies',
    '--max-records',
    '1000',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-dry-'));
  try {
    const env = { CLERK_SECRET_KEY: measure.FAKE_TEST_KEY };
    const exported = await measureChild(
      rows,
      ['pull', '--api-url', fake.url, '--all', '--out', 'measured.userupdates.jsonl', '--rate', '100000/1s'],
      env,
      dir,
    );
    const { file } = await renameAll(fake.url, env, dir);
    const dryRun = await measureChild(
      rows,
      ['send', '--dry-run', file, '--api-url', fake.url, '--rate', '100000/1s'],
      env,
      dir,
    );
    const planned =
      readFileSync(join(dirname(file), '.clerk-runs', `${basename(file)}.plan.jsonl`), 'utf8').split('\n')
        .length - 1;
    if (planned !== rows) throw new Error(`the dry run planned ${planned} rows of ${rows}`);
    // The reference: the dry run's lookups alone, with Node's fetch and none of our code.
    const reference = await runNode([code['lookups-child'], file, fake.url], env, dir);
    if (reference.status !== 0) throw new Error(`lookups child failed: ${reference.stderr}`);
    const lookups = JSON.parse(reference.stdout.trim().split('\n').pop());
    if (lookups.users !== rows) throw new Error(`the lookups found ${lookups.users} users of ${rows}`);
    const pick = (r) => ({
      wall_ms: r.wall_ms,
      cpu_ms: r.cpu_ms,
      rss_growth_mb: r.rss_growth_mb,
      rows_per_s: rows / (r.wall_ms / 1000),
    });
    return {
      rows,
      file_mb: statSync(file).size / 2 ** 20,
      dry_run: pick(dryRun),
      lookups_only: { wall_ms: lookups.wall_ms, rss_growth_mb: lookups.rss_growth_mb },
      export: pick(exported),
    };
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `uptime`'s load averages: the machine is shared. */
function loadAverage() {
  return loadavg().map((x) => Number(x.toFixed(2)));
}

/**
 * One limit side by side: a fake with `rows` generated users, latency 50-150 ms and the instance limit on;
 * our CLI sends a file that names the users by `$user_id`, `$external_id` and `$email` in turn, then
 * migration-tool's pacing (`migrationTool` in bench/migration.mjs) writes every user once more; `burst`: then
 * the pacing modelled first (`retryAfterBurst`) once more; `resume`: then our run again on a new file,
 * SIGKILLed 3 times and resumed. Times are wall times of the whole command (ours: process start to exit).
 */
async function sideBySide({ rows, limit, windowMs, live, clerkRate, resume, burst = false }) {
  const fake = await startFakeProcess([
    '--seed',
    'none',
    '--users',
    String(rows),
    '--users-seed',
    '7',
    '--latency',
    '50-150',
    '--instance-limit',
    'off',
    '--no-record-bodies',
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-bench-side-'));
  try {
    const key = live ? measure.FAKE_LIVE_KEY : measure.FAKE_TEST_KEY;
    const env = { CLERK_SECRET_KEY: key };
    const users = await allUsers(fake.url, key);
    const rate = rateText(limit, windowMs);
    await limitFake(fake, limit, windowMs);
    const file = mixedFile(dir, users, 'Ours');
    const { run, records, first, last } = await sendEveryRow({
      fake,
      file,
      env,
      dir,
      rate,
      clerkRate,
      rows,
      who: 'our run',
    });
    const requests = records.length;
    const gets = records.filter((r) => r.method === 'GET').length;
    const rateLimited = records.filter((r) => r.status === 429).length;
    const fastest = Math.floor((requests - 1) / limit) * windowMs + 50;
    const ours = {
      wall_ms: run.wall_ms,
      requests,
      lookups: gets,
      lookup_fraction: gets / requests,
      rate_limited: rateLimited,
      rate_limited_fraction: rateLimited / requests,
      fastest_ms: fastest,
      measured_ms: last - first,
      ratio: fastest / (last - first),
    };
    const model = async (pacing, tag) => {
      await freshFake(fake);
      const r = await writeEveryUser({ url: fake.url, key, users, tag }, pacing(limit, windowMs));
      return { ...r, rate_limited_fraction: r.rate_limited / r.requests };
    };
    const theirs = await model(migrationTool, 'Theirs');
    const out = {
      rows,
      limit: rate,
      latency_ms: '50-150',
      key: live ? 'sk_live_' : 'sk_test_',
      ours,
      theirs,
      vs_migration_tool: ours.wall_ms / theirs.wall_ms,
    };
    if (burst) {
      out.burst = await model(retryAfterBurst, 'Burst');
      out.vs_retry_after_burst = ours.wall_ms / out.burst.wall_ms;
    }
    if (resume) {
      await freshFake(fake);
      await fake.control('DELETE', '/writes');
      const again = mixedFile(dir, users, 'Resumed');
      // Each process is killed a quarter of the uninterrupted run's time after it started; the fourth
      // finishes.
      const kills = [0.25, 0.25, 0.25].map((f) => Math.round(f * ours.wall_ms));
      const killed = await killAndResume({
        cli: code.cli,
        file: again,
        url: fake.url,
        env,
        cwd: dir,
        killAtMs: kills,
      });
      const after = await fake.control('GET', '/requests');
      const twice = await fake.control('GET', '/writes');
      out.resume = {
        kills: kills.length,
        kill_at_ms: kills,
        total_ms: killed.total_ms,
        rate_limited: after.filter((r) => r.status === 429).length,
        requests: after.length,
        cost_per_kill_s: (killed.total_ms - ours.wall_ms) / kills.length / 1000,
        applied_more_than_once: twice?.appliedMoreThanOnce?.length ?? null,
      };
    }
    return out;
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printSideBySide(r) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const pct = (x) => `${(x * 100).toFixed(1)} %`;
  const model = (m) =>
    `${s(m.wall_ms)}, ${m.concurrency} in flight, ${pct(m.rate_limited_fraction)} of requests answered 429${m.failed ? `, ${m.failed} rows failed` : ''}`;
  console.log('');
  console.log(
    "| Run | Ours | migration-tool's pacing | ours ÷ theirs | 95 % in flight, Retry-After honoured | ours ÷ that |",
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [name, v] of Object.entries(r.bulk.side_by_side)) {
    const o = v.ours;
    const burst = v.burst ? `| ${model(v.burst)} | ${v.vs_retry_after_burst.toFixed(3)} |` : '| | |';
    console.log(
      `| ${v.rows.toLocaleString('en-US')} rows, ${v.limit} (${name}) | ${s(o.wall_ms)}, ${o.requests.toLocaleString('en-US')} requests (${pct(o.lookup_fraction)} lookups), ${o.rate_limited} 429s, pacing ${o.ratio.toFixed(3)} | ${model(v.theirs)} | ${v.vs_migration_tool.toFixed(3)} ${burst}`,
    );
    if (v.resume)
      console.log(
        `| ${v.rows.toLocaleString('en-US')} rows, ${name}, SIGKILLed ${v.resume.kills} times and resumed | ${s(v.resume.total_ms)} (${v.resume.cost_per_kill_s.toFixed(1)} s lost per kill), ${v.resume.rate_limited} 429s, ${v.resume.applied_more_than_once} writes applied twice | cannot resume safely | | | |`,
      );
  }
  console.log('');
  console.log(
    `load average ${r.load.join(', ')} at the start, ${r.load_after.join(', ')} at the end; ${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}`,
  );
}

function machine() {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: cpus().length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function printTable(r) {
  const ms = (x) =>
    x === null || x === undefined || Number.isNaN(x)
      ? '-'
      : x < 0.1
        ? `${(x * 1000).toFixed(1)} µs`
        : `${x.toFixed(x < 10 ? 3 : 1)} ms`;
  const times = (x) => `${x.toFixed(1)}×`;
  const spread = (s, f) => (s && s.n > 1 ? `${f(s.p25)}–${f(s.p75)}` : '');
  const range = (s, f) => (s && s.n > 1 ? `range ${f(s.min)}–${f(s.max)}, ` : '');
  const check = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  const t = r.validation.typical;
  const l = r.validation.large;
  const k = r.validation.keystroke;
  const b = r.bulk;
  const rate = (x) => `${Math.round(x).toLocaleString('en-US')} rows/s`;
  const tm = r.typed_metadata;
  const rows = [
    [
      'Typed metadata, JSONL',
      `${tm.rows.toLocaleString('en-US')} rows: ${ms(tm.typed_ms.median)} vs untyped ${ms(tm.untyped_ms.median)}`,
      `${tm.ratio.median.toFixed(3)}× (range ${tm.ratio.min.toFixed(3)}–${tm.ratio.max.toFixed(3)}, n=${tm.ratio.n})`,
      `≤ ${GOALS.typed_metadata_ratio}×`,
      check(tm.ratio.median <= GOALS.typed_metadata_ratio),
    ],
    [
      'Keystroke p99, declarations loaded',
      `parser ${tm.parser_bundle_bytes.toLocaleString('en-US')} B, first read ${ms(tm.first_read_ms)}`,
      `${ms(tm.keystroke_p99_ms.median)} (IQR ${spread(tm.keystroke_p99_ms, ms)})`,
      `< ${GOALS.typed_keystroke_p99_ms} ms`,
      check(tm.keystroke_p99_ms.median < GOALS.typed_keystroke_p99_ms),
    ],
    [
      'Validation, typical (' + t.bytes + ' B)',
      `${ms(t.ours_ms.median)} vs ${ms(t.reference_ms.median)}`,
      `${times(t.ratio)} (IQR ${spread(t.ratio_spread, times)}, n=${t.ratio_spread.n})`,
      `≥ ${GOALS.typical_ratio}×`,
      check(t.ratio >= GOALS.typical_ratio),
    ],
    [
      'Validation, 1 MB metadata',
      `${ms(l.ours_ms.median)} vs ${ms(l.reference_ms.median)}`,
      `${times(l.ratio)} (IQR ${spread(l.ratio_spread, times)}, n=${l.ratio_spread.n})`,
      `≥ ${GOALS.large_ratio}×`,
      check(l.ratio >= GOALS.large_ratio),
    ],
    [
      'Keystroke p99 (ours)',
      `p50 ${ms(k.ours_p50_ms.median)}, max ${ms(k.ours_max_ms.median)}`,
      `${ms(k.ours_p99_ms.median)} (IQR ${spread(k.ours_p99_ms, ms)}, n=${k.replays}×${k.keystrokes})`,
      `< ${GOALS.keystroke_p99_ms} ms`,
      check(k.ours_p99_ms.median < GOALS.keystroke_p99_ms),
    ],
    [
      'Keystroke, reference',
      `p50 ${ms(k.reference_p50_ms.median)}`,
      `p99 ${ms(k.reference_p99_ms.median)}; ours ${times(k.ratio.median)} faster (mean)`,
      '',
      '',
    ],
    [
      'Bundle (minified)',
      r.bundle_source?.startsWith('dist') ? 'dist/extension.js' : 'in-memory build',
      `${r.bundle_bytes.toLocaleString('en-US')} B`,
      `≤ ${GOALS.bundle_bytes.toLocaleString('en-US')} B`,
      check(r.bundle_bytes <= GOALS.bundle_bytes),
    ],
    [
      'Activation, ours (host)',
      r.activation ? `load ${ms(r.activation.ours_load_ms.median)}` : 'skipped',
      r.activation_ms === null
        ? '-'
        : `${ms(r.activation_ms)} (${range(r.activation.ours_ms, ms)}n=${r.activation.ours_ms.n})`,
      'printed next to JSON',
      '',
    ],
    [
      'Activation, built-in JSON (host)',
      r.activation ? `load ${ms(r.activation.json_extension_load_ms.median)}` : 'skipped',
      r.json_extension_activation_ms === null
        ? '-'
        : `${ms(r.json_extension_activation_ms)} (${range(r.activation.json_extension_ms, ms)}n=${r.activation.json_extension_ms.n})`,
      '',
      '',
    ],
    [
      'Send overhead (core, in process)',
      `to arrival ${ms(r.send.to_arrival_ms.median)}; cold ${ms(r.send.first_overhead_ms)}`,
      `${ms(r.send_overhead_ms)} (IQR ${spread(r.send.overhead_ms, ms)}, n=${r.send.sends})`,
      `< ${GOALS.send_overhead_ms} ms`,
      check(r.send_overhead_ms < GOALS.send_overhead_ms),
    ],
    [
      'Send overhead (command, host)',
      r.send_host ? `GET sent after ${ms(r.send_host.to_get_ms.median)}` : 'skipped',
      r.send_overhead_host_ms === null
        ? '-'
        : `${ms(r.send_overhead_host_ms)} (IQR ${spread(r.send_host.overhead_ms, ms)}, n=${r.send_host.sends})`,
      `< ${GOALS.send_overhead_ms} ms`,
      r.send_overhead_host_ms === null ? 'n/a' : check(r.send_overhead_host_ms < GOALS.send_overhead_ms),
    ],
    [
      'Heap growth',
      `${r.memory.validations.toLocaleString('en-US')} validations × ${r.memory.rounds}`,
      `${r.heap_growth_mb.toFixed(2)} MB (range ${r.memory.growth_mb.min.toFixed(2)}–${r.memory.growth_mb.max.toFixed(2)}; total ${r.memory.total_growth_mb.toFixed(2)})`,
      `< ${GOALS.heap_growth_mb} MB`,
      check(r.heap_growth_mb < GOALS.heap_growth_mb),
    ],
    [
      'Bulk validate, JSONL',
      `${b.rows.toLocaleString('en-US')} rows (${b.jsonl.file_mb.toFixed(1)} MB), ${ms(b.jsonl.wall_ms.median)}`,
      `${rate(b.validate_rows_per_s)} (CPU ${rate(b.jsonl.cpu_rows_per_s.median)}; range ${rate(b.jsonl.rows_per_s.min)}–${rate(b.jsonl.rows_per_s.max)}, n=${b.runs})`,
      `≥ ${rate(GOALS.bulk_rows_per_s)}`,
      check(b.validate_rows_per_s >= GOALS.bulk_rows_per_s),
    ],
    [
      'Bulk validate, JSONL, RSS growth',
      'max RSS above the start',
      `${b.jsonl.rss_growth_mb.median.toFixed(1)} MB (range ${b.jsonl.rss_growth_mb.min.toFixed(1)}–${b.jsonl.rss_growth_mb.max.toFixed(1)})`,
      `< ${GOALS.bulk_rss_growth_mb} MB`,
      check(b.jsonl.rss_growth_mb.median < GOALS.bulk_rss_growth_mb),
    ],
    [
      'Bulk validate, CSV',
      `${b.rows.toLocaleString('en-US')} rows (${b.csv.file_mb.toFixed(1)} MB), ${ms(b.csv.wall_ms.median)}`,
      `${rate(b.csv_rows_per_s)} (CPU ${rate(b.csv.cpu_rows_per_s.median)}); RSS +${b.csv.rss_growth_mb.median.toFixed(1)} MB`,
      '',
      '',
    ],
    [
      'Bulk send, throughput',
      `${b.send.rows.toLocaleString('en-US')} rows, ${b.send.requests.toLocaleString('en-US')} requests at ${b.send.limit}, ${b.send.latency_ms} ms`,
      `${b.throughput_ratio.toFixed(3)} (fastest ${ms(b.send.fastest_ms)} / measured ${ms(b.send.measured_ms)})`,
      `≥ ${GOALS.bulk_throughput_ratio}`,
      check(b.throughput_ratio >= GOALS.bulk_throughput_ratio),
    ],
    [
      'Bulk send, 429s',
      `${b.send.rate_limited} of ${b.send.requests.toLocaleString('en-US')} requests`,
      `${(b.rate_limited_fraction * 100).toFixed(2)} %`,
      `< ${GOALS.bulk_rate_limited_fraction * 100} %`,
      check(b.rate_limited_fraction < GOALS.bulk_rate_limited_fraction),
    ],
    [
      'Bulk RSS growth (validate, dry run)',
      `dry run of ${b.dry_run.rows.toLocaleString('en-US')} rows ${ms(b.dry_run.dry_run.wall_ms)}; export +${b.export_rss_growth_mb.toFixed(1)} MB`,
      `${b.rss_growth_mb.toFixed(1)} MB (validate ${b.validate_rss_growth_mb.toFixed(1)}, dry run ${b.dry_run_rss_growth_mb.toFixed(1)})`,
      `< ${GOALS.bulk_rss_growth_mb} MB`,
      check(b.rss_growth_mb < GOALS.bulk_rss_growth_mb),
    ],
    [
      'Bulk dry run, RSS vs its lookups',
      `its lookups alone (Node's fetch, none of our code): +${b.dry_run_lookups_rss_growth_mb.toFixed(1)} MB, ${ms(b.dry_run.lookups_only.wall_ms)}`,
      `${(b.dry_run_rss_growth_mb / b.dry_run_lookups_rss_growth_mb).toFixed(2)}× (dry run +${b.dry_run_rss_growth_mb.toFixed(1)} MB)`,
      '',
      '',
    ],
    [
      'Bulk resume, journal load',
      `${b.resume.rows.toLocaleString('en-US')} rows (${b.resume.journal_mb.toFixed(1)} MB)`,
      `${ms(b.resume_overhead_ms)} (${range(b.resume.ms, ms)}n=${b.resume.ms.n})`,
      `< ${GOALS.bulk_resume_overhead_ms} ms`,
      check(b.resume_overhead_ms < GOALS.bulk_resume_overhead_ms),
    ],
    ...Object.entries(b.clerk_limits ?? {}).map(([name, c]) => [
      `Bulk send at Clerk's ${name} limit`,
      `${c.rows.toLocaleString('en-US')} rows, ${c.requests.toLocaleString('en-US')} requests at ${c.limit}`,
      `${(c.process_wall_ms / 1000).toFixed(1)} s (ratio ${c.ratio.toFixed(3)}, ${c.rate_limited} 429s)`,
      '',
      '',
    ]),
  ];
  const header = ['Measure', 'Detail (ours vs reference)', 'Median (spread)', 'Goal', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
  console.log('');
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log('');
  console.log(
    `${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node}${r.activation?.vscode_version ? `, VS Code ${r.activation.vscode_version} (code-server)` : ''}; mode ${r.mode}`,
  );
}
