import type { CoreDiagnostic } from '../../diagnostics';
import { copyOf } from '../../text/copy';
import { CODE_INFO, DiagnosticCode } from '../../codes';
import { CsvHeader, checkCsvRecord, isBlankRecord } from './csv';
import { CsvReader } from './csvRead';
import { FileChecks } from './fileChecks';
import { checkJsonlLine, isBlank, LineSplitter } from './jsonl';
import { shiftDiagnostic, type RowResult } from './rowCheck';
import type { BulkFormat, BulkOptions, BulkRow } from './types';

/** Where the checks of a bulk file go, in file order. */
export interface BulkSink {
  /** A diagnostic with file-level offsets and range. */
  diagnostic(d: CoreDiagnostic): void;
  /** A row without errors, for the run engine (leave it out when only the diagnostics matter). */
  row?(row: BulkRow): void;
}

/**
 * Results of rows by their text (a JSONL line, a CSV record): the editor keeps them between keystrokes so
 * that only changed rows are checked again. A cache belongs to one set of options (and, for CSV, one header).
 */
export interface RowCache {
  get(text: string): RowResult | null | undefined;
  set(text: string, result: RowResult | null): void;
  /** The CSV header the rows are read with: the rows checked under another header do not apply. */
  forHeader?(raw: string): void;
}

/** Checks a bulk file that arrives in chunks; memory stays flat (see FileChecks for what is kept). */
export interface BulkChecker {
  push(chunk: string): void;
  /** The end of the file: the last row, and what can only be said at the end. */
  end(): void;
  /**
   * Rows read so far (non-blank lines or records, errors or not; a CSV header is no row): the editor's "Send
   * N updates".
   */
  rows(): number;
}

export function bulkChecker(
  format: BulkFormat,
  options: BulkOptions,
  sink: BulkSink,
  cache?: RowCache,
): BulkChecker {
  return format === 'jsonl' ? jsonlChecker(options, sink, cache) : csvChecker(options, sink, cache);
}

/** The diagnostics and rows of a whole bulk file. */
export function checkBulkText(
  text: string,
  format: BulkFormat,
  options: BulkOptions,
  cache?: RowCache,
): { diagnostics: CoreDiagnostic[]; rows: BulkRow[]; hasErrors: boolean } {
  const diagnostics: CoreDiagnostic[] = [];
  const rows: BulkRow[] = [];
  const checker = bulkChecker(
    format,
    options,
    { diagnostic: (d) => diagnostics.push(d), row: (r) => rows.push(r) },
    cache,
  );
  checker.push(text);
  checker.end();
  return { diagnostics, rows, hasErrors: diagnostics.some((d) => d.severity === 'error') };
}

/** Feeds `chunks` (e.g. a file read as UTF-8) through a checker. */
export async function checkBulkStream(
  chunks: AsyncIterable<string>,
  format: BulkFormat,
  options: BulkOptions,
  sink: BulkSink,
): Promise<void> {
  const checker = bulkChecker(format, options, sink);
  for await (const chunk of chunks) checker.push(chunk);
  checker.end();
}

function cached(
  cache: RowCache | undefined,
  text: string,
  check: (text: string) => RowResult | undefined,
): RowResult | undefined {
  if (!cache) return check(text);
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const own = copyOf(text); // what the cache keeps must not keep the document
  const result = check(own);
  cache.set(own, result ?? null);
  return result;
}

/** Places a checked row in the file and passes on its diagnostics and, without errors, the row. */
function finisher(
  options: BulkOptions,
  sink: BulkSink,
): { finish(result: RowResult, offset: number, line: number): void; rows: () => number } {
  const files = new FileChecks(options.defaultApiVersion);
  let rows = 0;
  return {
    finish(result, offset, line) {
      rows++;
      const { diagnostics, hasErrors } = files.check(result, line);
      for (const d of diagnostics) sink.diagnostic(shiftDiagnostic(d, offset, line));
      if (!hasErrors && result.target && sink.row)
        sink.row({ row: line + 1, text: result.text, target: result.target, apiVersion: result.apiVersion });
    },
    rows: () => rows,
  };
}

function emptyFile(message: string): CoreDiagnostic {
  const info = CODE_INFO[DiagnosticCode.EmptyFile];
  const at = { line: 0, character: 0 };
  return {
    severity: info.severity,
    code: DiagnosticCode.EmptyFile,
    message,
    path: '',
    offset: 0,
    length: 0,
    range: { start: at, end: at },
    owner: info.owner,
  };
}

function jsonlChecker(options: BulkOptions, sink: BulkSink, cache: RowCache | undefined): BulkChecker {
  const rows = finisher(options, sink);
  const lines = new LineSplitter((text, offset, line) => {
    if (isBlank(text)) return;
    const result = cached(cache, text, (own) => checkJsonlLine(own, options));
    if (result) rows.finish(result, offset, line);
  });
  return {
    push: (chunk) => lines.push(chunk),
    rows: rows.rows,
    end() {
      lines.end();
      if (rows.rows() === 0)
        sink.diagnostic(
          emptyFile(
            'The file has no rows: a *.userupdates.jsonl holds one JSON object per line, each naming its user.',
          ),
        );
    },
  };
}

function csvChecker(options: BulkOptions, sink: BulkSink, cache: RowCache | undefined): BulkChecker {
  const rows = finisher(options, sink);
  let header: CsvHeader | undefined;
  let headerReported = false;
  let failed = false;
  /** The cached result of the record the reader was just told is known. */
  let known: RowResult | undefined;
  const reportHeader = (version = options.defaultApiVersion) => {
    if (!header || headerReported) return;
    headerReported = true;
    for (const d of header.diagnostics(version))
      sink.diagnostic(shiftDiagnostic(d, header.record.start, header.record.line));
  };
  const reader = new CsvReader(
    (record) => {
      if (!header) {
        if (!isBlankRecord(record)) {
          header = new CsvHeader(record, options);
          cache?.forHeader?.(record.raw);
        }
        return;
      }
      const result = record.known
        ? known
        : cached(cache, record.raw, (raw) =>
            checkCsvRecord(raw === record.raw ? record : { ...record, raw }, header!, options),
          );
      if (!result) return; // a blank record
      reportHeader(result.apiVersion ?? options.defaultApiVersion);
      rows.finish(result, record.start, record.line);
    },
    (error) => {
      failed = true;
      reportHeader();
      const info = CODE_INFO[DiagnosticCode.InvalidCsv];
      sink.diagnostic({
        severity: info.severity,
        code: DiagnosticCode.InvalidCsv,
        message: error.message,
        path: '',
        offset: error.offset,
        length: error.length,
        range: error.range,
        owner: info.owner,
      });
    },
    // With a cache, a record whose result it has is not even parsed.
    cache &&
      ((raw) => {
        const hit = header && cache.get(raw);
        known = hit ?? undefined;
        return hit !== undefined;
      }),
  );
  return {
    push: (chunk) => reader.push(chunk),
    rows: rows.rows,
    end() {
      reader.end();
      reportHeader();
      if (failed) return;
      if (!header)
        sink.diagnostic(
          emptyFile(
            "The file is empty: a *.userupdates.csv starts with a header row (a target column such as '$user_id', and field columns), then one row per user.",
          ),
        );
      else if (rows.rows() === 0) sink.diagnostic(emptyFile('The file has a header but no rows.'));
    },
  };
}
