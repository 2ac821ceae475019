// Fails when the core reaches outside itself: src/core and src/fake never import `vscode`, and
// src/core (plain TypeScript, run by the editor, the CLI and tests alike) never touches the process,
// the terminal, the file system or node:http: those come in through ports or plain values.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const importOf = (names) => new RegExp(`(?:from\\s+|require\\(\\s*|import\\(\\s*|import\\s+)['"](?:${names})['"]`);
const rules = [
  { roots: ['src/core', 'src/fake'], pattern: importOf('vscode'), what: 'imports vscode' },
  { roots: ['src/core'], pattern: importOf('(?:node:)?(?:fs|fs/promises|http|https|net|readline|readline/promises|child_process|tty)'), what: 'imports a Node I/O module' },
  { roots: ['src/core'], pattern: /\bprocess\.(?:env|argv|stdin|stdout|stderr|exit|cwd|version)\b/, what: 'reads the process' },
];
const offenders = [];

function walk(dir, visit) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, visit);
    else if (/\.[cm]?[jt]s$/.test(entry)) visit(full);
  }
}
for (const rule of rules) {
  for (const root of rule.roots) {
    walk(root, (file) => {
      if (file.includes(`${join('schema', 'generated')}`)) return;
      if (rule.pattern.test(readFileSync(file, 'utf8'))) offenders.push(`${relative('.', file)} ${rule.what}`);
    });
  }
}
if (offenders.length) {
  console.error(`The core must stay pure (see docs/architecture.md):\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log('check-core-imports: src/core and src/fake import no vscode; src/core touches no process, terminal, file system or node:http');
