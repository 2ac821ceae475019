import type { Range } from '../../diagnostics';
import { parseDocument } from '../../parse/parser';
import { LineIndex } from '../../text/lineIndex';
import { isBlankRecord } from './csv';
import { CsvReader } from './csvRead';
import { isBlank, LineSplitter } from './jsonl';
import type { BulkFormat } from './types';

/** A row that failed at Clerk, as its report line names it. */
export interface FailedRow {
  /** The row's 1-based line (a CSV record: the line it starts on). */
  row: number;
  /** `formatTarget` of the row's target: "$email:ada@example.com". */
  target: string;
  /** The field Clerk's error names, when it names one. */
  param?: string;
}

/**
 * Where a failed row is shown in its file: JSONL, the key of the field Clerk names when the line has
 * it, else the line (without the whitespace around it); CSV, the cell of that field when the row has
 * one that is not empty, else the row's target cell. Rows that are not in the text are left out.
 */
export function locateFailedRows(
  text: string,
  format: BulkFormat,
  failed: readonly FailedRow[],
): Map<number, Range> {
  const wanted = new Map(failed.map((f) => [f.row, f]));
  const spans = format === 'jsonl' ? jsonlSpans(text, wanted) : csvSpans(text, wanted);
  const lines = new LineIndex(text);
  const out = new Map<number, Range>();
  for (const [row, span] of spans) out.set(row, lines.rangeAt(span.offset, span.length));
  return out;
}

type Spans = Map<number, { offset: number; length: number }>;

function jsonlSpans(text: string, wanted: ReadonlyMap<number, FailedRow>): Spans {
  const spans: Spans = new Map();
  const lines = new LineSplitter((line, offset, index) => {
    const failed = wanted.get(index + 1);
    if (!failed || isBlank(line)) return;
    const key = failed.param === undefined ? undefined : keyOf(line, failed.param);
    if (key) {
      spans.set(failed.row, { offset: offset + key.offset, length: key.length });
      return;
    }
    let start = 0;
    let end = line.length;
    while (start < end && isBlank(line[start])) start++;
    while (end > start && isBlank(line[end - 1])) end--;
    spans.set(failed.row, { offset: offset + start, length: end - start });
  });
  lines.push(text);
  lines.end();
  return spans;
}

/** The key (quotes included) of the root property `name` of a JSON object's text. */
function keyOf(json: string, name: string): { offset: number; length: number } | undefined {
  const root = parseDocument(json).root;
  if (root?.type !== 'object') return undefined;
  for (const property of root.children ?? []) {
    const key = property.children?.[0];
    if (key && key.value === name) return { offset: key.offset, length: key.length };
  }
  return undefined;
}

function csvSpans(text: string, wanted: ReadonlyMap<number, FailedRow>): Spans {
  const spans: Spans = new Map();
  let header: string[] | undefined;
  const reader = new CsvReader(
    (record) => {
      if (!header) {
        if (!isBlankRecord(record)) header = record.cells.map((c) => c.value);
        return;
      }
      const failed = wanted.get(record.line + 1);
      if (!failed) return;
      const cellOf = (column: string) => {
        const cell = record.cells[header!.indexOf(column)];
        return cell && cell.end > cell.start ? cell : undefined;
      };
      const cell =
        (failed.param === undefined ? undefined : cellOf(failed.param)) ??
        cellOf(failed.target.slice(0, failed.target.indexOf(':')));
      spans.set(
        failed.row,
        cell
          ? { offset: record.start + cell.start, length: cell.end - cell.start }
          : { offset: record.start, length: record.length },
      );
    },
    () => undefined,
  );
  reader.push(text);
  reader.end();
  return spans;
}
