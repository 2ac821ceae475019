// A bulk file on disk as the run engine's input (BulkInput): read as a stream each time (or its text,
// read once), checked by the formats layer, its rows handed on in chunks. Used by the CLI and the editor.
import { createReadStream } from 'node:fs';
import { bulkChecker } from '../core/bulk/format/checkFile';
import type { BulkFormat, BulkInput, BulkOptions, BulkRow } from '../core/bulk/format/types';
import { describeDiagnostic } from '../core/diagnostics';
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
  return checkedInput(() => createReadStream(path, { encoding: 'utf8', highWaterMark: CHUNK_CHARS }) as AsyncIterable<string>, format, options);
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

function checkedInput(read: () => Iterable<string> | AsyncIterable<string>, format: BulkFormat, options: BulkOptions): FileInput {
  let found = { errors: [] as string[], warnings: [] as string[], errorCount: 0, warningCount: 0 };
  return {
    async *rows(): AsyncGenerator<readonly BulkRow[]> {
      const seen = { errors: [] as string[], warnings: [] as string[], errorCount: 0, warningCount: 0 };
      let rows: BulkRow[] = [];
      const checker = bulkChecker(format, options, {
        diagnostic(d) {
          if (d.severity === 'error') {
            if (seen.errorCount++ < LISTED) seen.errors.push(describeDiagnostic(d));
          } else if (d.severity === 'warning') {
            if (seen.warningCount++ < LISTED) seen.warnings.push(describeDiagnostic(d));
          }
        },
        // A row's text is a slice of the chunk read; copied so that no chunk outlives its rows.
        row: (row) => rows.push({ ...row, text: copyOf(row.text) }),
      });
      for await (const chunk of read()) {
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
