// Runs node:test files under a folder of the compiled output (Node 20's --test does not expand globs).
// Usage: node scripts/run-node-tests.mjs out/test/unit [more folders…]
// Files run CLERK_UU_TEST_CONCURRENCY at a time (default 6): most of them wait on a fake server or
// a child process, so more files than cores keep the cores busy (node's default, cores − 1, is one
// file at a time on 2 cores). Each test's duration goes to .test-output/<first folder's name>/tests.jsonl.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPTS = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(SCRIPTS, '..', '.test-output');

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return find(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const folders = process.argv.slice(2);
const files = folders.flatMap(find).sort();
if (files.length === 0) {
  console.error(`No *.test.js files under ${folders.join(', ')}: run the TypeScript build first.`);
  process.exit(1);
}
const concurrency = Number(process.env.CLERK_UU_TEST_CONCURRENCY || 6);
const durations = join(OUTPUT, basename(folders[0]), 'tests.jsonl');
mkdirSync(dirname(durations), { recursive: true });
rmSync(durations, { force: true });
const result = spawnSync(
  process.execPath,
  [
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(SCRIPTS, 'lib', 'durations-reporter.mjs')}`,
    `--test-reporter-destination=${durations}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
