// csv-stringify publishes `csv-stringify/sync` through package.json "exports", which this project's module
// resolution ("node") does not read: declare the one function used, typed by the package's own options.
declare module 'csv-stringify/sync' {
  import type { Options } from 'csv-stringify';
  export function stringify(input: unknown[][], options?: Options): string;
}
