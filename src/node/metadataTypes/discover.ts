// Finds the files that may declare the metadata interfaces under a folder: `.ts`/`.d.ts`/`.mts`/`.cts` files
// outside dependencies, build output and version control, whose text names one of the three interfaces.
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Folders never searched: dependencies, build output, version control, caches. */
const SKIPPED: ReadonlySet<string> = new Set([
  ...['node_modules', '.git', 'dist', 'out', 'build', 'coverage', '.cache', '.vscode-test'],
  ...['.next', '.nuxt', '.svelte-kit', '.turbo', '.vercel'],
]);
const TS_FILE = /\.(d\.)?[mc]?ts$/;
const NAMES = /\bUser(?:Public|Private|Unsafe)Metadata\b/;
/** A workspace with more TypeScript files than this is searched no further (the rest is not read). */
const MAX_FILES = 20000;

export interface DeclarationFile {
  /** Relative to the folder searched, with '/' separators. */
  file: string;
  path: string;
  text: string;
}

/**
 * The TypeScript files under `root` that name UserPublicMetadata, UserPrivateMetadata or UserUnsafeMetadata.
 */
export async function findDeclarationFiles(root: string): Promise<DeclarationFile[]> {
  const found: DeclarationFile[] = [];
  const stack = [root];
  let seen = 0;
  while (stack.length > 0 && seen < MAX_FILES) {
    const dir = stack.pop() as string;
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) stack.push(path);
      } else if (entry.isFile() && TS_FILE.test(entry.name)) {
        seen++;
        const text = await readFile(path, 'utf8').catch(() => '');
        if (NAMES.test(text)) found.push({ file: relative(root, path).split(sep).join('/'), path, text });
      }
    }
  }
  return found.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** True for a path the discovery reads (for file watchers): a TypeScript file outside the skipped folders. */
export function isDeclarationCandidate(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  return TS_FILE.test(parts[parts.length - 1] ?? '') && !parts.slice(0, -1).some((p) => SKIPPED.has(p));
}
