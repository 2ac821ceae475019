import type { Range } from '../../diagnostics';
import type { ApiVersion } from '../../versions';
import type { Column, CsvCell, RowJson } from './cells';
import { countQuotes, isQuickKey, type Json, LONE_SURROGATE, MOST_UNITS, quickFields } from './quickRow';
import { targetKey, type RowResult } from './rowCheck';
import type { Span } from './rowChecks';
import { type BulkOptions, TARGET_KEYS } from './types';

/**
 * True when the records under these columns may be quick rows: each column is a target or a field of a quick
 * row, once (no dotted column, no `$api_version` or `$metadata`).
 */
export function quickColumns(columns: readonly Column[]): boolean {
  const seen = new Set<string>();
  for (const column of columns) {
    if (!isQuickKey(column.name) || seen.has(column.name)) return false;
    seen.add(column.name);
  }
  return true;
}

/**
 * A CSV record under quick columns, checked on the values its cells stand for (rowJson's) instead of a parse
 * of its JSON text: the result the full pipeline gives a quick row (quickRow.ts), or undefined and the full
 * pipeline checks it. Such a row has nothing to say in a CSV file: its metadata notes are said on the header.
 */
export function quickRecord(
  cells: readonly CsvCell[],
  columns: readonly Column[],
  json: RowJson,
  version: ApiVersion,
  options: BulkOptions,
  whole: Span,
  range: (span: Span) => Range,
): RowResult | undefined {
  if (json.text.length > MOST_UNITS || json.cellProblems.length > 0) return undefined;
  const row: { [key: string]: Json } = {};
  let rawQuotes = 0;
  for (let c = 0; c < columns.length; c++) {
    const typed = json.values[c];
    if (!typed) continue;
    const value = typed.value;
    if (value === undefined) return undefined;
    if (typed.raw) {
      // The cell's own JSON, as a quick row's text: no backslash, so that each quote opens or closes a
      // string.
      const text = cells[c].value;
      if (text.indexOf('\\') !== -1 || LONE_SURROGATE.test(text)) return undefined;
      rawQuotes += countQuotes(text);
    } else if (typeof value === 'string' && typed.json.length !== value.length + 2) {
      // JSON.stringify escaped something (a quote, a backslash, a control character, a lone surrogate).
      return undefined;
    }
    row[columns[c].name] = value;
  }
  const fields = quickFields(row, version, options.metadataTypes);
  if (!fields) return undefined;
  // Only metadata takes a cell's own JSON here. A key given twice in a cell is a string more in its text than
  // in its value (and no cell has fewer quotes than twice its strings).
  if (rawQuotes !== 2 * fields.metadataStrings) return undefined;
  const name = TARGET_KEYS[fields.targetKind];
  const cell = cells[columns.findIndex((c) => c.name === name)];
  const target = { kind: fields.targetKind, value: row[name] as string };
  return {
    diagnostics: [],
    hasErrors: false,
    text: json.text,
    target,
    targetKey: targetKey(target),
    targetSpan: { offset: cell.start, length: cell.end - cell.start },
    apiVersion: undefined,
    apiVersionSpan: undefined,
    namesApiVersion: false,
    span: whole,
    rangeOf: range,
  };
}
