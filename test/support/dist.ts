// The bundles tests spawn. Tests only read the build: `npm test` builds it once up front, and
// `npm run test:unit` builds it before the tests run (scripts/lib/build.mjs). No test builds.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The repository root (this file runs from out/test/support/). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The absolute path of `dist/<name>`; throws, saying what to run, when it has not been built. */
export function bundle(name: 'cli.js' | 'fake-clerk.js' | 'extension.js'): string {
  const file = path.join(ROOT, 'dist', name);
  if (!existsSync(file)) throw new Error(`dist/${name} is missing: run npm run build first`);
  return file;
}
