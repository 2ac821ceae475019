// The entry of dist/csv-parse.js: csv-parse, which the extension bundle loads only when a CSV file is checked
// (scripts/lib/bundle-parts.mjs).
export { parse } from 'csv-parse/sync';
