// csv-parse publishes `csv-parse/sync` through package.json "exports", which this project's module resolution
// ("node") does not read: declare the one function used, typed by the package's own options.
declare module 'csv-parse/sync' {
  import type { Options } from 'csv-parse';
  export function parse(input: string, options: Options): string[][];
}
