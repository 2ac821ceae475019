// The benchmark harness on tiny inputs (node bench/run.mjs --smoke), so it cannot rot unnoticed.
// Asserts only that it runs and writes the expected keys: benchmarks are not timed tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('npm run bench harness: --smoke writes every figure the issue asks for', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clerk-uu-bench-smoke-'));
  try {
    const out = path.join(dir, 'results.json');
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bench', 'run.mjs'), '--smoke', '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr || run.stdout);
    assert.match(run.stdout, /\| Measure/);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(results.mode, 'smoke');
    for (const key of ['ratio', 'ours_ms', 'reference_ms', 'cpu_ratio', 'json_parse_ms']) {
      assert.ok(key in results.validation.typical, `validation.typical.${key}`);
      assert.ok(key in results.validation.large, `validation.large.${key}`);
    }
    assert.equal(typeof results.validation.typical.ratio, 'number');
    assert.equal(typeof results.validation.large.ratio, 'number');
    assert.equal(typeof results.validation.keystroke_p99_ms, 'number');
    assert.equal(typeof results.bundle_bytes, 'number');
    assert.equal(typeof results.send_overhead_ms, 'number');
    assert.equal(typeof results.heap_growth_mb, 'number');
    // Typed metadata: typed / untyped on the JSONL with metadata in every row, and keystrokes with
    // declarations.
    assert.equal(typeof results.typed_metadata.ratio.median, 'number');
    assert.equal(typeof results.typed_metadata.keystroke_p99_ms.median, 'number');
    assert.equal(typeof results.typed_metadata.parser_bundle_bytes, 'number');
    // The extension-host figures are skipped in smoke mode, but their keys are there.
    for (const key of ['activation_ms', 'json_extension_activation_ms', 'send_overhead_host_ms'])
      assert.ok(key in results, key);
    assert.equal(typeof results.bulk.validate_rows_per_s, 'number');
    assert.equal(typeof results.bulk.rss_growth_mb, 'number');
    assert.equal(typeof results.bulk.csv_rows_per_s, 'number');
    assert.equal(typeof results.bulk.dry_run_lookups_rss_growth_mb, 'number');
    assert.equal(typeof results.bulk.lookup_fraction, 'number');
    assert.equal(typeof results.bulk.vs_migration_tool.quick, 'number');
    assert.ok(results.machine.cpu && results.machine.cores > 0 && results.machine.node);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
