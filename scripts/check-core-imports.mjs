// Fails when a core file imports `vscode`: the core must run in plain Node (unit tests, CLI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const roots = ['src/core', 'src/fake'];
const offenders = [];
const pattern = /(?:from\s+|require\(\s*|import\(\s*|import\s+)['"]vscode['"]/;

function walk(dir) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.[cm]?[jt]s$/.test(entry) && pattern.test(readFileSync(full, 'utf8'))) offenders.push(relative('.', full));
  }
}
for (const root of roots) walk(root);
if (offenders.length) {
  console.error(`The core must not import vscode; found in:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-core-imports: no vscode import under ${roots.join(', ')}`);
