// Fails when the modules of src/ import each other in a loop (type-only imports included: a loop of
// types is still two files that cannot be read apart). Imports are read off TypeScript's own
// pre-processor; the loops are the strongly connected components of the graph (Tarjan).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

function walk(dir, out = []) {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (/\.ts$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

const files = walk('src');
const edges = new Map(
  files.map((file) => {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((imported) => resolveImport(file, imported.fileName))
      .filter(Boolean);
    return [resolve(file), [...new Set(targets)]];
  }),
);

let index = 0;
const stack = [];
const state = new Map();
const loops = [];
function connect(node) {
  state.set(node, { index, low: index, onStack: true });
  index++;
  stack.push(node);
  for (const next of edges.get(node) ?? []) {
    if (!state.has(next)) {
      connect(next);
      state.get(node).low = Math.min(state.get(node).low, state.get(next).low);
    } else if (state.get(next).onStack) {
      state.get(node).low = Math.min(state.get(node).low, state.get(next).index);
    }
  }
  if (state.get(node).low === state.get(node).index) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      state.get(member).onStack = false;
      component.push(relative('.', member));
    } while (member !== node);
    if (component.length > 1) loops.push(component.sort());
  }
}
for (const node of edges.keys()) if (!state.has(node)) connect(node);

if (loops.length) {
  console.error(
    `src/ has import loops (see docs/architecture.md):\n${loops.map((loop) => `  ${loop.join(' <-> ')}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(`check-import-cycles: ${files.length} modules of src/, no import loop`);
