// Fails when the core reaches outside itself: src/core and src/fake never import `vscode`, and
// src/core (plain TypeScript, run by the editor, the CLI and tests alike) never touches the process,
// the terminal, the file system or node:http: those come in through ports or plain values.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const importOf = (names) =>
  new RegExp(`(?:from\\s+|require\\(\\s*|import\\(\\s*|import\\s+)['"](?:${names})['"]`);
const rules = [
  { roots: ['src/core', 'src/fake'], pattern: importOf('vscode'), what: 'imports vscode' },
  {
    roots: ['src/core'],
    pattern: importOf(
      '(?:node:)?(?:fs|fs/promises|http|https|net|readline|readline/promises|child_process|tty)',
    ),
    what: 'imports a Node I/O module',
  },
  { roots: ['src/core'], test: readsProcess, what: 'reads the process' },
];

/**
 * `process.env`, `process.argv`, … in the code itself: in TypeScript's syntax tree, so a string or a comment
 * that names them is not a read.
 */
function readsProcess(text, file) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  let found = false;
  const visit = (node) => {
    if (found) return;
    if (
      (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'process'
    )
      found = true;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
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
      const text = readFileSync(file, 'utf8');
      if (rule.pattern ? rule.pattern.test(text) : rule.test(text, file))
        offenders.push(`${relative('.', file)} ${rule.what}`);
    });
  }
}
if (offenders.length) {
  console.error(`The core must stay pure (see docs/architecture.md):\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log(
  'check-core-imports: src/core and src/fake import no vscode; src/core touches no process, terminal, file system or node:http',
);
