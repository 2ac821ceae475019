// A bulk file on disk as the run engine's input (BulkInput): read as a stream each time (or its text,
// read once), checked by the formats layer, its rows handed on in chunks. Used by the CLI and the editor.
import { bulkChecker } from '../core/bulk/format/checkFile';
import type { BulkFormat, BulkInput, BulkOptions, BulkRow } from '../core/bulk/format/types';
import { type CoreDiagnostic, describeDiagnostic } from '../core/diagnostics';
import { utf8Chunks } from './utf8File';
import { copyOf } from '../core/text/copy';

/** Rows per chunk handed to the engine. */
const CHUNK_ROWS = 500;
/** Characters read at a time. */
const CHUNK_CHARS = 64 * 1024;
/** Problems kept word for word (the rest are counted). */
const LISTED = 1000;

export interface FileInput extends BulkInput {
  /** Errors and warnings of the last full read, counted. */
  problems(): { errors: string[]; warnings: string[]; errorCount: number; warningCount: number };
}

/**
 * The rows of `path` (`*.userupdates.jsonl` or `.csv`). Each `rows()` streams the file again; a row
 * with an error is not handed on (the formats layer reports it), and `problems()` says what the
 * last full read found, "line N: …", so the run refuses a file with errors.
 */
export function fileInput(path: string, format: BulkFormat, options: BulkOptions): FileInput {
  // Read strictly: bytes that are not UTF-8 are an error (at their line and cell), so nothing is sent.
  return checkedInput(
    (problem) => utf8Chunks(path, { csv: format === 'csv', chunkBytes: CHUNK_CHARS }, problem),
    format,
    options,
  );
}

/**
 * The same over a file's text read once (the editor: the bytes it hashed are the bytes that run,
 * whatever is saved meanwhile), handed on in pieces as a stream would be.
 */
export function textInput(text: string, format: BulkFormat, options: BulkOptions): FileInput {
  return checkedInput(
    function* () {
      for (let i = 0; i < text.length; i += CHUNK_CHARS) yield text.slice(i, i + CHUNK_CHARS);
    },
    format,
    options,
  );
}

function checkedInput(
  read: (
    problem: (d: CoreDiagnostic) => void,
  ) => Iterable<string> | AsyncIterable<string> | Promise<AsyncIterable<string>>,
  format: BulkFormat,
  options: BulkOptions,
): FileInput {
  let found = { errors: [] as string[], warnings: [] as string[], errorCount: 0, warningCount: 0 };
  return {
    async *rows(): AsyncGenerator<readonly BulkRow[]> {
      const seen = { errors: [] as string[], warnings: [] as string[], errorCount: 0, warningCount: 0 };
      let rows: BulkRow[] = [];
      const sink = {
        diagnostic(d: CoreDiagnostic) {
          if (d.severity === 'error') {
            if (seen.errorCount++ < LISTED) seen.errors.push(describeDiagnostic(d));
          } else if (d.severity === 'warning') {
            if (seen.warningCount++ < LISTED) seen.warnings.push(describeDiagnostic(d));
          }
        },
        // A row's text and target are slices of the chunk read; copied so that no chunk outlives its rows.
        row: (row: BulkRow) =>
          rows.push({
            ...row,
            text: copyOf(row.text),
            target: { kind: row.target.kind, value: copyOf(row.target.value) },
          }),
      };
      const checker = bulkChecker(format, options, sink);
      for await (const chunk of await read(sink.diagnostic)) {
        checker.push(chunk);
        if (rows.length >= CHUNK_ROWS) {
          yield rows;
          rows = [];
        }
      }
      checker.end();
      if (rows.length > 0) yield rows;
      found = seen;
    },
    problems: () => found,
  };
}
