// What the extension bundle leaves to files of its own, loaded on first use (shared by esbuild.mjs and the bench).

/**
 * csv-parse (about 30 KB minified) is needed only once a *.userupdates.csv is checked: the extension bundle
 * requires it from dist/csv-parse.js (built from src/vscode/csvParse.ts) instead of carrying it.
 * @type {import('esbuild').Plugin}
 */
export const csvParseApart = {
  name: 'csv-parse-apart',
  setup(build) {
    build.onResolve({ filter: /^csv-parse\/sync$/ }, () => ({ path: './csv-parse.js', external: true }));
  },
};

/**
 * Bulk runs in the editor (src/vscode/bulkRuns.ts: the run engine, undo, export and their editor side, about
 * 140 KB minified with the core they share with the extension bundle) are needed only once a bulk file is run,
 * previewed or undone, or users are exported: the extension bundle requires them from dist/bulk.js (built from
 * src/vscode/bulkRuns.ts) on first use. Activation loads nothing of them.
 * @type {import('esbuild').Plugin}
 */
export const bulkApart = {
  name: 'bulk-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/bulkRuns$/ }, () => ({ path: './bulk.js', external: true }));
  },
};
