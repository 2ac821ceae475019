// Bundles the extension, the CLI and the fake Clerk server into dist/.
// Usage: node esbuild.mjs [--production] [--watch]
// The one definition of the entry points and options: scripts and the benchmark import `commonOptions`
// and `bundles()` from here instead of copying them, and tests only read what this wrote to dist/.
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/**
 * The options every bundle shares. `production`: minified, no source maps (what the VSIX ships).
 * @returns {import('esbuild').BuildOptions}
 */
export function commonOptions({ production = false } = {}) {
  return {
    absWorkingDir: fileURLToPath(new URL('.', import.meta.url)),
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    legalComments: 'none',
    // jsonc-parser's UMD build requires its parts dynamically; its ESM build bundles cleanly.
    mainFields: ['module', 'main'],
  };
}

/**
 * What `node esbuild.mjs` builds: dist/extension.js (the one file the VSIX ships), dist/cli.js,
 * dist/fake-clerk.js, dist/metadataTypes.js (the lazily loaded parser).
 * @returns {import('esbuild').BuildOptions[]}
 */
export function bundles({ production = false } = {}) {
  const common = commonOptions({ production });
  return [
    {
      ...common,
      entryPoints: ['src/vscode/extension.ts'],
      outfile: 'dist/extension.js',
      external: ['vscode'],
    },
    {
      ...common,
      entryPoints: ['src/cli/main.ts'],
      outfile: 'dist/cli.js',
      banner: { js: '#!/usr/bin/env node' },
    },
    { ...common, entryPoints: ['src/fake/main.ts'], outfile: 'dist/fake-clerk.js' },
    // @babel/parser and the walk of its tree: loaded by the extension and the CLI only when a workspace
    // declares
    // metadata types (src/node/metadataTypes/load.ts), so it costs nothing to anyone else.
    { ...common, entryPoints: ['src/node/metadataTypes/parserBundle.ts'], outfile: 'dist/metadataTypes.js' },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const production = process.argv.includes('--production');
  const contexts = await Promise.all(bundles({ production }).map((b) => esbuild.context(b)));
  if (process.argv.includes('--watch')) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[watch] esbuild is watching for changes');
  } else {
    await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
