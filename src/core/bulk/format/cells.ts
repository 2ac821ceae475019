import { parseDocument } from '../../parse/parser';
import type { FieldInfo } from '../../schema';
import { escapeSegment } from '../../text/pointer';
import type { DraftDiagnostic } from '../../validate/draft';
import type { Span } from './rowChecks';
import { rewordForPart } from './rowCheck';
import { restoreFormula } from './formulas';

/** One cell of a CSV record: its value (quotes removed, `""` undone) and where it is, relative to the record's start. */
export interface CsvCell {
  value: string;
  quoted: boolean;
  start: number;
  end: number;
}

/** A header column: its name and what the schema says about it (nothing for an unknown column). */
export interface Column {
  name: string;
  info: FieldInfo | undefined;
}

/**
 * The JSON text of a row's value, by the column's type. An empty cell is absent (undefined); the bare word
 * `null` clears the field; `true`/`false` (any case, as spreadsheets write them) for boolean fields;
 * integers for integer fields; the cell's own JSON for object and array fields (metadata, backup_codes)
 * when it starts with `{` or `[`; a string otherwise, so a value that does not fit its field gets the
 * pipeline's `wrong-type` diagnostic. A cell an export neutralised (`'=…`, see formulas.ts) is read without its apostrophe.
 */
export function typedValue(cell: string, info: FieldInfo | undefined): { json: string; raw: boolean } | undefined {
  if (cell === '') return undefined;
  // An exported cell that would be a formula starts with an apostrophe (formulas.ts): the value is without it.
  const value = restoreFormula(cell);
  if (value === 'null') return { json: 'null', raw: false };
  if (info) {
    const types = info.types;
    if (types.includes('boolean')) {
      const lower = value.toLowerCase();
      if (lower === 'true' || lower === 'false') return { json: lower, raw: false };
    }
    if ((types.includes('integer') || types.includes('number')) && /^-?(?:0|[1-9]\d*)$/.test(value)) return { json: value, raw: false };
    if (types.includes('object') || types.includes('array')) {
      const first = value.trimStart().charCodeAt(0);
      if ((first === 123 || first === 91) && value === cell) return { json: value, raw: true };
    }
  }
  return { json: JSON.stringify(value), raw: false };
}

/** A piece of a row's JSON text that came from a cell (its key, from the header, or its value). */
interface Segment {
  from: number;
  to: number;
  column: number;
  key: boolean;
  /** The value is the cell's own JSON: offsets map to its characters one by one. */
  exact: boolean;
}

/** A CSV row as the JSON object of its non-empty cells, and the way back from that text to the cells. */
export interface RowJson {
  text: string;
  /** Problems of cells whose JSON is not one complete value, already placed in the record. */
  cellProblems: DraftDiagnostic[];
  /** Where a span of `text` is in the record (relative offsets), or undefined for a column's key. */
  locate(offset: number, length: number): { span: Span; column: number; key: boolean } | undefined;
}

/**
 * Builds the row's JSON text from its cells (the header's names as keys) with an offset map back to the
 * cells: a value's problem maps to its cell, exactly to the characters inside a cell of raw JSON (through
 * the CSV quoting and its doubled quotes), a key's problem to the column; text between cells (braces,
 * commas) to the whole record.
 */
export function rowJson(cells: readonly CsvCell[], columns: readonly Column[], recordLength: number): RowJson {
  const segments: Segment[] = [];
  const cellProblems: DraftDiagnostic[] = [];
  let text = '{';
  for (let c = 0; c < cells.length && c < columns.length; c++) {
    const cell = cells[c];
    const column = columns[c];
    let typed = typedValue(cell.value, column.info);
    if (!typed) continue;
    if (typed.raw) {
      const parsed = parseDocument(cell.value);
      if (!parsed.complete || !parsed.root) {
        // Not one complete JSON value: it would swallow the cells after it. Say where, in the cell, and
        // put an empty value of the field's type in its place.
        const pointer = '/' + escapeSegment(column.name);
        for (const p of parsed.problems) {
          const at = exactSpan(cell, p.offset, p.length);
          cellProblems.push({ severity: 'error', code: p.code, message: rewordForPart(p.message, 'cell'), path: pointer + p.path, offset: at.offset, length: at.length, owner: 'syntax' });
        }
        typed = { json: column.info?.types.includes('object') ? '{}' : '[]', raw: false };
      }
    }
    if (text.length > 1) text += ',';
    const key = JSON.stringify(column.name);
    segments.push({ from: text.length, to: text.length + key.length, column: c, key: true, exact: false });
    text += key + ':';
    segments.push({ from: text.length, to: text.length + typed.json.length, column: c, key: false, exact: typed.raw });
    text += typed.json;
  }
  text += '}';

  const segmentAt = (offset: number): Segment | undefined => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = segments[mid];
      if (offset < s.from) hi = mid - 1;
      else if (offset >= s.to) lo = mid + 1;
      else return s;
    }
    return undefined;
  };

  return {
    text,
    cellProblems,
    locate(offset, length) {
      const s = segmentAt(offset) ?? (length === 0 ? segmentAt(offset - 1) : undefined);
      if (!s) return { span: { offset: 0, length: recordLength }, column: -1, key: false };
      const cell = cells[s.column];
      if (s.key || !s.exact) return { span: { offset: cell.start, length: cell.end - cell.start }, column: s.column, key: s.key };
      const from = offset - s.from;
      const to = Math.min(offset + length, s.to) - s.from;
      return { span: exactSpan(cell, from, to - from), column: s.column, key: false };
    },
  };
}

/** The record span of `length` characters at `offset` of a cell's value: through the quote and each doubled `""`. */
function exactSpan(cell: CsvCell, offset: number, length: number): Span {
  if (!cell.quoted) return { offset: cell.start + offset, length };
  const at = (i: number): number => cell.start + 1 + i + quotesBefore(cell.value, i);
  const start = at(offset);
  return { offset: start, length: at(offset + length) - start };
}

function quotesBefore(value: string, end: number): number {
  let n = 0;
  for (let i = value.indexOf('"'); i !== -1 && i < end; i = value.indexOf('"', i + 1)) n++;
  return n;
}
