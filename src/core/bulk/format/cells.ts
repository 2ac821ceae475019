import { isValueStart, parseDocument } from '../../parse/parser';
import type { FieldInfo } from '../../schema';
import { escapeSegment } from '../../text/pointer';
import type { DraftDiagnostic } from '../../validate/draft';
import type { Span } from './rowChecks';
import { rewordForPart } from './rowCheck';
import { restoreFormula } from './formulas';
import { isMetadataField } from '../../metadata/mode';
import { splitPath } from '../../metadata/paths';
import { type DeclaredColumn, readDeclaredCell } from '../../metadataTypes/cells';
import { DiagnosticCode } from '../../codes';
import { draftAt } from '../../validate/draft';
import type { Json } from './quickRow';

/**
 * One cell of a CSV record: its value (quotes removed, `""` undone) and where it is, relative to the
 * record's start.
 */
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
  /** The name as a JSON string: the key of the row's JSON text. */
  key: string;
  /** The keys of a dotted column (`dottedColumn`), for any other column undefined. */
  dotted: string[] | undefined;
  /**
   * A dotted column whose key the team's metadata declarations type (src/core/metadataTypes/cells.ts): its
   * cells are read as the declared type instead of by keyPathValue's untyped rule.
   */
  declared?: DeclaredColumn;
}

/**
 * The JSON text of a row's value, by the column's type. An empty cell is absent (undefined); the bare word
 * `null` clears the field; `true`/`false` (any case, as spreadsheets write them) for boolean fields;
 * integers for integer fields; the cell's own JSON for object and array fields (metadata, backup_codes)
 * when it starts with `{` or `[`; a string otherwise, so a value that does not fit its field gets the
 * pipeline's `wrong-type` diagnostic. A cell an export neutralised (`'=…`, see formulas.ts) is read without
 * its apostrophe.
 */
export function typedValue(cell: string, info: FieldInfo | undefined): TypedValue | undefined {
  if (cell === '') return undefined;
  // An exported cell that would be a formula starts with an apostrophe (formulas.ts): the value is without
  // it.
  const value = restoreFormula(cell);
  if (value === 'null') return { json: 'null', raw: false, value: null };
  if (info) {
    const types = info.types;
    if (types.includes('boolean')) {
      const lower = value.toLowerCase();
      if (lower === 'true' || lower === 'false') return { json: lower, raw: false, value: lower === 'true' };
    }
    if ((types.includes('integer') || types.includes('number')) && /^-?(?:0|[1-9]\d*)$/.test(value))
      return { json: value, raw: false };
    if (types.includes('object') || types.includes('array')) {
      const first = value.trimStart().charCodeAt(0);
      if ((first === 123 || first === 91) && value === cell) return { json: value, raw: true };
    }
  }
  return { json: JSON.stringify(value), raw: false, value };
}

/**
 * The keys of a dotted column (`public_metadata.role` → public_metadata, role), or undefined for any other
 * column.
 */
export function dottedColumn(name: string): string[] | undefined {
  if (!name.includes('.')) return undefined;
  const keys = splitPath(name);
  return keys.length > 1 && isMetadataField(keys[0]) && keys.every((k) => k !== '') ? keys : undefined;
}

/**
 * The JSON text of a dotted column's value (a merge of that key): `null` deletes the key; a value that is one
 * JSON value (`true`, `false`, a number, an object, an array, a "quoted string") is that value; any other
 * text is a string. The cell's text is read through `restoreFormula` first (see `dottedCellValue`).
 */
export function keyPathValue(value: string): { json: string; raw: boolean } {
  if (value === 'null') return { json: 'null', raw: false };
  // Text that cannot start a JSON value (most cells: `member`, `Paris`) is a string without a parse: a parse
  // that fails ends in a thrown error, the largest cost of a CSV validate with a dotted column.
  if (!isValueStart(value.charCodeAt(0))) return { json: JSON.stringify(value), raw: false };
  const parsed = parseDocument(value);
  if (parsed.complete && parsed.root && parsed.problems.length === 0 && value.trim() === value)
    return { json: value, raw: true };
  return { json: JSON.stringify(value), raw: false };
}

/**
 * A dotted cell as the row's JSON: `keyPathValue` of the value an export wrote (a cell it neutralised,
 * `'-3` or `'=x`, is read without its apostrophe, as every other cell is). Offsets map one by one to the
 * cell's characters only when no apostrophe was taken off.
 */
export function dottedCellValue(cell: string): { json: string; raw: boolean } {
  const value = restoreFormula(cell);
  const typed = keyPathValue(value);
  return value === cell ? typed : { json: typed.json, raw: false };
}

/** A cell's value as JSON text. */
export interface TypedValue {
  json: string;
  /** The text is the cell's own JSON: its offsets map to the cell's characters one by one. */
  raw: boolean;
  /**
   * The value the text stands for, where it is known without a parse: a string, a boolean, null, and (from
   * rowJson) a cell's own JSON that parsed.
   */
  value?: Json;
}

/** The dotted cells of one metadata field (or of a key inside it), as a tree. */
interface KeyNode {
  /** The first column below this key: its key's problems go there. */
  column: number;
  children: Map<string, KeyNode>;
  leaves: Array<{ key: string; column: number; value: { json: string; raw: boolean } }>;
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
  /**
   * Problems of cells whose JSON is not one complete value, or that are not of their declared type, already
   * placed in the record.
   */
  cellProblems: DraftDiagnostic[];
  /** Each column's value (none for an empty cell or a dotted column), by column. */
  values: Array<TypedValue | undefined>;
  /** Where a span of `text` is in the record (relative offsets), or undefined for a column's key. */
  locate(offset: number, length: number): { span: Span; column: number; key: boolean } | undefined;
}

/**
 * Builds the row's JSON text from its cells (the header's names as keys) with an offset map back to the
 * cells: a value's problem maps to its cell, exactly to the characters inside a cell of raw JSON (through
 * the CSV quoting and its doubled quotes), a key's problem to the column; text between cells (braces,
 * commas) to the whole record.
 */
export function rowJson(
  cells: readonly CsvCell[],
  columns: readonly Column[],
  recordLength: number,
): RowJson {
  const segments: Segment[] = [];
  const cellProblems: DraftDiagnostic[] = [];
  const values: Array<TypedValue | undefined> = new Array(columns.length);
  let text = '{';
  let groups: Map<string, KeyNode> | undefined;
  for (let c = 0; c < cells.length && c < columns.length; c++) {
    const keys = columns[c].dotted;
    if (!keys || cells[c].value === '') continue;
    groups ??= new Map();
    const value = dottedValue(cells[c], columns[c], cellProblems);
    if (!value) continue; // not of its declared type: said on the cell, and nothing is written for it
    let node: KeyNode | undefined = groups.get(keys[0]);
    if (!node) groups.set(keys[0], (node = { column: c, children: new Map(), leaves: [] }));
    for (const key of keys.slice(1, -1)) {
      let next: KeyNode | undefined = node.children.get(key);
      if (!next) node.children.set(key, (next = { column: c, children: new Map(), leaves: [] }));
      node = next;
    }
    node.leaves.push({ key: keys[keys.length - 1], column: c, value });
  }
  let emitted: Set<string> | undefined;
  /** A key: `key` is its JSON text. */
  const keyText = (key: string, column: number): void => {
    segments.push({ from: text.length, to: text.length + key.length, column, key: true, exact: false });
    text += key + ':';
  };
  const valueText = (c: number, typed: { json: string; raw: boolean }): void => {
    segments.push({
      from: text.length,
      to: text.length + typed.json.length,
      column: c,
      key: false,
      exact: typed.raw,
    });
    text += typed.json;
  };
  const emitNode = (node: KeyNode): void => {
    text += '{';
    let first = true;
    for (const leaf of node.leaves) {
      if (!first) text += ',';
      first = false;
      keyText(JSON.stringify(leaf.key), leaf.column);
      valueText(leaf.column, leaf.value);
    }
    for (const [key, child] of node.children) {
      if (!first) text += ',';
      first = false;
      keyText(JSON.stringify(key), child.column);
      emitNode(child);
    }
    text += '}';
  };
  for (let c = 0; c < cells.length && c < columns.length; c++) {
    const cell = cells[c];
    const column = columns[c];
    const keys = column.dotted;
    if (keys) {
      // A dotted column: the first one of its field writes the field's object, with every dotted cell of it.
      const group = groups?.get(keys[0]);
      if (!group || emitted?.has(keys[0])) continue;
      (emitted ??= new Set()).add(keys[0]);
      if (text.length > 1) text += ',';
      keyText(JSON.stringify(keys[0]), group.column);
      emitNode(group);
      continue;
    }
    let typed = typedValue(cell.value, column.info);
    if (!typed) continue;
    if (typed.raw) {
      const own = parsedJson(cell.value);
      if (own !== NOT_JSON) {
        typed.value = own;
      } else {
        const parsed = parseDocument(cell.value);
        if (!parsed.complete || !parsed.root) {
          // Not one complete JSON value: it would swallow the cells after it. Say where, in the cell, and
          // put an empty value of the field's type in its place.
          const pointer = '/' + escapeSegment(column.name);
          for (const p of parsed.problems) {
            const at = exactSpan(cell, p.offset, p.length);
            cellProblems.push({
              severity: 'error',
              code: p.code,
              message: rewordForPart(p.message, 'cell'),
              path: pointer + p.path,
              offset: at.offset,
              length: at.length,
              owner: 'syntax',
            });
          }
          typed = { json: column.info?.types.includes('object') ? '{}' : '[]', raw: false };
        }
      }
    }
    values[c] = typed;
    if (text.length > 1) text += ',';
    keyText(column.key, c);
    valueText(c, typed);
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
    values,
    locate(offset, length) {
      const s = segmentAt(offset) ?? (length === 0 ? segmentAt(offset - 1) : undefined);
      if (!s) return { span: { offset: 0, length: recordLength }, column: -1, key: false };
      const cell = cells[s.column];
      if (s.key || !s.exact)
        return { span: { offset: cell.start, length: cell.end - cell.start }, column: s.column, key: s.key };
      const from = offset - s.from;
      const to = Math.min(offset + length, s.to) - s.from;
      return { span: exactSpan(cell, from, to - from), column: s.column, key: false };
    },
  };
}

const NOT_JSON = Symbol('not JSON');

/**
 * The value of `text` when it is one complete JSON value (V8's parser: most cells are, and then need no
 * parse with offsets here), else NOT_JSON.
 */
function parsedJson(text: string): Json | typeof NOT_JSON {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return NOT_JSON;
  }
}

/**
 * The JSON text of a dotted column's cell: by the column's declared type when it has one, else by the untyped
 * rule (keyPathValue). A cell that is not of its declared type gets its error, on the whole cell, in
 * `problems`, and no value (undefined).
 */
function dottedValue(
  cell: CsvCell,
  column: Column,
  problems: DraftDiagnostic[],
): { json: string; raw: boolean } | undefined {
  if (!column.declared) return dottedCellValue(cell.value);
  // An export's guard against spreadsheet formulas ('-2, '=x) is not part of the value.
  const read = readDeclaredCell(column.declared, restoreFormula(cell.value));
  if (read.ok) return { json: read.json, raw: false };
  const path = '/' + splitPath(column.name).map(escapeSegment).join('/');
  const at = { offset: cell.start, length: cell.end - cell.start };
  problems.push(draftAt(at, { code: DiagnosticCode.MetadataTypeMismatch, message: read.message, path }));
  return undefined;
}

/**
 * The record span of `length` characters at `offset` of a cell's value: through the quote and each doubled
 * `""`.
 */
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
