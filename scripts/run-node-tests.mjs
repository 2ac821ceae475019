// Runs node:test files under a folder of the compiled output (Node 20's --test does not expand globs).
// Usage: node scripts/run-node-tests.mjs out/test/unit [more folders…]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

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
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
