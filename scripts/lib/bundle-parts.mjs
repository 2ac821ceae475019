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
