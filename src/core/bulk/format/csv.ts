import type { CoreDiagnostic, Range } from '../../diagnostics';
import { fieldInfo } from '../../schema';
import { LineIndex } from '../../text/lineIndex';
import { segmentsOf } from '../../text/pointer';
import { cellTypeMessage } from '../../validate/wording';
import { DiagnosticCode } from '../../codes';
import { type ApiVersion, isApiVersion } from '../../versions';
import { declaredColumn } from '../../metadataTypes/cells';
import { type Column, type CsvCell, dottedColumn, rowJson } from './cells';
import { TARGET_LIST, type Span } from './rowChecks';
import type { CsvRecord } from './csvRead';
import { quickColumns, quickRecord } from './quickRecord';
import { checkRowText, rowDiagnostic, type RowPlacement, type RowResult } from './rowCheck';
import { type BulkOptions, TARGET_KEYS } from './types';

/** Problems of a column, the same on every row: reported once, on the header's cell. */
const COLUMN_CODES: ReadonlySet<string> = new Set([
  DiagnosticCode.UnknownProperty,
  DiagnosticCode.DuplicateKey,
  DiagnosticCode.SecretInBulkFile,
  DiagnosticCode.MetadataSentSeparately,
  DiagnosticCode.MetadataMode,
]);
const TARGET_NAMES: ReadonlySet<string> = new Set(Object.values(TARGET_KEYS));

/** Row-relative range of a span of a record (most records are one line). */
function recordRange(raw: string): (span: Span) => Range {
  if (raw.indexOf('\n') === -1 && raw.indexOf('\r') === -1) {
    return (span) => ({
      start: { line: 0, character: span.offset },
      end: { line: 0, character: span.offset + span.length },
    });
  }
  const lines = new LineIndex(raw);
  return (span) => lines.rangeAt(span.offset, span.length);
}

/** The header of a `*.userupdates.csv`: its columns, typed by the schema of the file's API version. */
export class CsvHeader {
  readonly columns: Column[];
  readonly hasTarget: boolean;
  /** Its records may be quick rows (quickRecord.ts). */
  readonly quick: boolean;
  /** Index of the `$api_version` column, -1 if none. */
  private readonly versionColumn: number;

  constructor(
    readonly record: CsvRecord,
    private readonly options: BulkOptions,
  ) {
    this.columns = record.cells.map((c) => {
      const dotted = dottedColumn(c.value);
      const column: Column = { name: c.value, info: undefined, key: JSON.stringify(c.value), dotted };
      // A dotted column whose key the declarations type reads its cells as that type (3 a number, true a
      // boolean, 3 in a string column "3").
      const declared = dotted && declaredColumn(options.metadataTypes, c.value);
      if (declared) column.declared = declared;
      return column;
    });
    this.hasTarget = this.columns.some((c) => TARGET_NAMES.has(c.name));
    this.quick = quickColumns(this.columns);
    this.versionColumn = this.columns.findIndex((c) => c.name === '$api_version');
    this.typeFor(options.defaultApiVersion);
  }

  private typedFor: ApiVersion | undefined;

  /** Types the columns by the schema of `version` (the version of the rows being read). */
  typeFor(version: ApiVersion): void {
    if (this.typedFor === version) return;
    this.typedFor = version;
    for (const column of this.columns) column.info = fieldInfo(version, column.name, 'row');
  }

  /** The dotted columns (`public_metadata.role`), by index. */
  dottedColumns(): number[] {
    return this.columns.map((c, i) => (c.dotted ? i : -1)).filter((i) => i >= 0);
  }

  /**
   * Dotted columns whose field also has a whole-field column: both at once is an error, on each dotted cell.
   */
  private keyColumnConflicts(): Array<Span & { message: string }> {
    const out: Array<Span & { message: string }> = [];
    for (const i of this.dottedColumns()) {
      const name = this.columns[i].name;
      const field = this.columns[i].dotted![0];
      if (!this.columns.some((c) => c.name === field)) continue;
      const cell = this.record.cells[i];
      out.push({
        offset: cell.start,
        length: cell.end - cell.start,
        message: `The column '${name}' merges one key of '${field}', and the column '${field}' gives the whole field: use one or the other.`,
      });
    }
    return out;
  }

  /** The API version a record is read under: its `$api_version` cell if it names a documented one. */
  versionOf(cells: readonly CsvCell[]): ApiVersion {
    const value = this.versionColumn >= 0 ? cells[this.versionColumn]?.value : undefined;
    return isApiVersion(value) ? value : this.options.defaultApiVersion;
  }

  /**
   * The problems of the columns themselves (unknown, repeated, secret, sent separately; no target column), on
   * the header's cells, under the API version of the rows.
   */
  diagnostics(version: ApiVersion): CoreDiagnostic[] {
    const cells = this.record.cells;
    // The header as a row whose every cell is null: the single-file pipeline then says what it says about
    // keys.
    const nulls = cells.map((c) => ({ ...c, value: 'null' }));
    const json = rowJson(nulls, this.columns, this.record.length);
    const range = recordRange(this.record.raw);
    const placement: RowPlacement = {
      place: (code, offset, length) => {
        const at = json.locate(offset, length);
        return at && at.key && COLUMN_CODES.has(code) ? at.span : undefined;
      },
      range,
      keepFixes: false,
    };
    const result = checkRowText(json.text, { offset: 0, length: json.text.length }, placement, {
      ...this.options,
      defaultApiVersion: version,
    });
    const conflicts = this.keyColumnConflicts();
    const inConflict = (d: CoreDiagnostic): boolean =>
      conflicts.some((c) => d.offset >= c.offset && d.offset < c.offset + c.length);
    const out = result.diagnostics.filter((d) => !(d.code === DiagnosticCode.DuplicateKey && inConflict(d)));
    for (const c of conflicts)
      out.push(rowDiagnostic(DiagnosticCode.MetadataKeyColumn, c.message, '', c, range));
    if (!this.hasTarget) {
      const whole = { offset: 0, length: this.record.length };
      out.push(
        rowDiagnostic(
          DiagnosticCode.MissingTarget,
          `The header has no target column: add a column ${TARGET_LIST}, so that each row names its user.`,
          '',
          whole,
          range,
        ),
      );
    }
    return out.sort((a, b) => a.offset - b.offset || a.length - b.length);
  }
}

/**
 * One data record of a `*.userupdates.csv`, checked as a bulk row (undefined for a blank record: skipped).
 * The common record is checked without the parser (./quickRecord), with the same result; `quick: false`
 * always takes the full pipeline (the tests compare the two).
 */
export function checkCsvRecord(
  record: CsvRecord,
  header: CsvHeader,
  options: BulkOptions,
  quick = true,
): RowResult | undefined {
  const cells = record.cells;
  if (isBlankRecord(record)) return undefined;
  const range = recordRange(record.raw);
  const whole = { offset: 0, length: record.length };
  if (cells.length !== header.columns.length) {
    const message = `This row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'}, the header ${header.columns.length}: a missing or extra comma would put values under the wrong columns.`;
    return {
      diagnostics: [rowDiagnostic(DiagnosticCode.InvalidCsv, message, '', whole, range)],
      hasErrors: true,
      text: '',
      namesApiVersion: false,
      span: whole,
      rangeOf: range,
    };
  }
  const version = header.versionOf(cells);
  header.typeFor(version);
  const json = rowJson(cells, header.columns, record.length);
  if (quick && header.quick) {
    const result = quickRecord(cells, header.columns, json, version, options, whole, range);
    if (result) return result;
  }
  const placement: RowPlacement = {
    place: (code, offset, length) => {
      const at = json.locate(offset, length);
      if (!at) return undefined;
      if (at.key) {
        if (COLUMN_CODES.has(code)) return undefined; // on the header, once
        const cell = cells[at.column];
        return { offset: cell.start, length: cell.end - cell.start };
      }
      if (code === DiagnosticCode.MissingTarget && !header.hasTarget) return undefined; // on the header, once
      return at.span;
    },
    range,
    keepFixes: false,
  };
  const result = checkRowText(json.text, { offset: 0, length: json.text.length }, placement, {
    ...options,
    defaultApiVersion: version,
  });
  result.diagnostics = result.diagnostics.map((d) => inCellWords(d, cells, header.columns));
  const modeColumn = header.columns.findIndex((c) => c.name === '$metadata');
  if (modeColumn >= 0 && cells[modeColumn]?.value === 'replace') {
    const added = header
      .dottedColumns()
      .filter((i) => cells[i].value !== '')
      .map((i) => {
        const message = `The column '${header.columns[i].name}' merges one key, and this row replaces its metadata ("$metadata": "replace"): give the whole field instead, or merge.`;
        return rowDiagnostic(
          DiagnosticCode.MetadataKeyColumn,
          message,
          '',
          { offset: cells[i].start, length: cells[i].end - cells[i].start },
          range,
        );
      });
    if (added.length > 0) {
      result.diagnostics = [...result.diagnostics, ...added].sort(
        (a, b) => a.offset - b.offset || a.length - b.length,
      );
      result.hasErrors = true;
    }
  }
  if (json.cellProblems.length > 0) {
    result.hasErrors = true;
    result.diagnostics = [
      ...result.diagnostics,
      ...json.cellProblems.map((p) => ({ ...p, range: range(p) })),
    ].sort((a, b) => a.offset - b.offset || a.length - b.length);
  }
  return result;
}

/** A value of the wrong type, said of the cell it came from: its text, its column, what the column takes. */
function inCellWords(
  d: CoreDiagnostic,
  cells: readonly CsvCell[],
  columns: readonly Column[],
): CoreDiagnostic {
  if (d.code !== DiagnosticCode.WrongType) return d;
  const segments = segmentsOf(d.path);
  const column = segments.length === 1 ? columns.findIndex((c) => c.name === segments[0]) : -1;
  const info = columns[column]?.info;
  if (!info || !cells[column]) return d;
  return {
    ...d,
    message: cellTypeMessage(cells[column].value, columns[column].name, info.types, info.items),
  };
}

/** A record whose cells are all empty (an empty line, or only commas): skipped like a blank line. */
export function isBlankRecord(record: CsvRecord): boolean {
  return record.cells.every((c) => c.value === '');
}
