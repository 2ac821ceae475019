// Runs node's built-in test runner on every *.test.js under the given folders, on any Node
// version: Node 20 does not expand globs in `node --test` arguments, and Node 22+ does not
// search folders given as arguments, so the file list is built here.
// Usage: node scripts/lib/run-node-tests.mjs out/test/unit [more folders] [-- extra node --test flags]
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const separator = process.argv.indexOf('--');
const folders = process.argv.slice(2, separator < 0 ? undefined : separator);
const extra = separator < 0 ? [] : process.argv.slice(separator + 1);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const files = folders.flatMap(findTests).sort();
if (files.length === 0) {
  console.error(`No *.test.js under ${folders.join(', ') || '(no folder given)'}`);
  process.exit(1);
}
const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...extra, ...files], { stdio: ['ignore', 'inherit', 'inherit'] });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
