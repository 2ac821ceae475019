import { parse } from 'csv-parse/sync';
import type { Range } from '../../diagnostics';
import { LineIndex } from '../../text/lineIndex';
import type { CsvCell } from './cells';
import { errorMessage } from '../../text/format';

/** One CSV record and where it is in the file. */
export interface CsvRecord {
  cells: CsvCell[];
  /** Offset of its first character in the file (UTF-16 units). */
  start: number;
  /** Its length without the record delimiter. */
  length: number;
  /** 0-based line of its first character. */
  line: number;
  /** Its text without the record delimiter. */
  raw: string;
  /** True when `known` said the record is known: it was not parsed, and `cells` is empty. */
  known?: boolean;
}

/** Where csv-parse stopped, in the file: the parse of the file ends there. */
export interface CsvError {
  offset: number;
  length: number;
  range: Range;
  message: string;
}

const QUOTE = 34;
const OPTIONS_BASE = { relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n'] };

/**
 * Reads CSV (RFC 4180) that arrives in chunks, with csv-parse. Between chunks it keeps only the text after
 * the last complete record: a record ends at a line break outside quotes, which in RFC 4180 is one where
 * the quotes so far are even. The batches of whole records go to csv-parse; each cell's place in the file
 * follows from csv-parse's values (a quoted cell is its value, its quotes doubled, and the two around it).
 * The first error ends the reading.
 */
export class CsvReader {
  private pending = '';
  private offset = 0;
  private line = 0;
  /**
   * How far `pending` has been scanned for quotes and breaks, the quote parity there, the end of its last
   * whole record.
   */
  private scanned = 0;
  private inQuotes = false;
  private cut = 0;
  private failed = false;
  /**
   * Whether the batch being read has a \r at all (most files have none: line breaks are then counted faster).
   */
  private hasCr = true;

  /**
   * @param known a record whose text this says is known (the editor's cache has its result) is not parsed, so
   *   a keystroke parses only the records it changed.
   */
  constructor(
    private readonly onRecord: (record: CsvRecord) => void,
    private readonly onError: (error: CsvError) => void,
    private readonly known?: (raw: string) => boolean,
  ) {}

  push(chunk: string): void {
    if (this.failed) return;
    this.pending += chunk;
    this.scan();
    if (this.cut > 0) this.take(this.cut);
  }

  end(): void {
    if (this.failed) return;
    if (this.pending.length > 0) this.take(this.pending.length);
  }

  private scan(): void {
    const text = this.pending;
    let i = this.scanned;
    let inQuotes = this.inQuotes;
    for (;;) {
      if (inQuotes) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          i = text.length;
          break;
        }
        inQuotes = false;
        i = q + 1;
        continue;
      }
      const q = text.indexOf('"', i);
      const lf = text.indexOf('\n', i);
      if (lf !== -1 && (q === -1 || lf < q)) {
        this.cut = lf + 1;
        i = lf + 1;
        continue;
      }
      if (q === -1) {
        i = text.length;
        break;
      }
      inQuotes = true;
      i = q + 1;
    }
    this.scanned = i;
    this.inQuotes = inQuotes;
  }

  /** Parses `pending` up to `end` (whole records) and keeps the rest. */
  private take(end: number): void {
    const batch = end === this.pending.length ? this.pending : this.pending.slice(0, end);
    this.pending = this.pending.slice(end);
    this.scanned -= end;
    this.cut = 0;
    // a BOM is not part of the header
    const from = this.offset === 0 && batch.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.hasCr = batch.indexOf('\r') !== -1;
    if (!this.known) {
      if (!this.parseRun(batch, from, batch.length)) return;
    } else {
      // Known records are passed on as they are; the runs of records between them are parsed. The file's
      // first
      // record (the header) is parsed first, so that what is known can depend on it.
      const ends = recordEnds(batch, from);
      let run = from;
      let start = from;
      let i = 0;
      if (this.offset === 0) {
        if (!this.parseRun(batch, from, ends[0])) return;
        run = start = ends[0];
        i = 1;
      }
      for (; i < ends.length; i++) {
        const recordEnd = ends[i];
        let rawEnd = recordEnd;
        if (batch.charCodeAt(rawEnd - 1) === 10) {
          rawEnd--;
          if (rawEnd > start && batch.charCodeAt(rawEnd - 1) === 13) rawEnd--;
        }
        const raw = batch.slice(start, rawEnd);
        if (this.known(raw)) {
          if (run < start && !this.parseRun(batch, run, start)) return;
          const line = this.line;
          this.line += lineBreaks(batch, start, recordEnd, this.hasCr);
          this.onRecord({
            cells: [],
            start: this.offset + start,
            length: raw.length,
            line,
            raw,
            known: true,
          });
          run = recordEnd;
        }
        start = recordEnd;
      }
      if (run < batch.length && !this.parseRun(batch, run, batch.length)) return;
    }
    this.offset += batch.length;
  }

  /** Parses and emits the whole records in batch[from, to); false after an error (which ends the reading). */
  private parseRun(batch: string, from: number, to: number): boolean {
    let records: string[][];
    try {
      records = parse(from === 0 && to === batch.length ? batch : batch.slice(from, to), OPTIONS_BASE);
    } catch (error) {
      this.failAt(batch.slice(0, to), from, error);
      return false;
    }
    this.emit(batch, from, records);
    return true;
  }

  /**
   * Emits the records of a batch, placing their cells; `pos` is where the first record starts. A cell is
   * quoted when it starts with a quote: csv-parse (strict, as RFC 4180) rejects a quote anywhere else.
   */
  private emit(batch: string, pos: number, records: string[][]): void {
    for (const values of records) {
      const start = pos;
      const cells: CsvCell[] = new Array(values.length);
      for (let c = 0; c < values.length; c++) {
        const value = values[c];
        const quoted = batch.charCodeAt(pos) === QUOTE;
        let length = value.length;
        if (quoted) {
          length += 2;
          for (let k = value.indexOf('"'); k !== -1; k = value.indexOf('"', k + 1)) length++;
        }
        cells[c] = { value, quoted, start: pos - start, end: pos + length - start };
        pos += length;
        if (c < values.length - 1) {
          if (batch.charCodeAt(pos) !== 44) throw new Error('csv: cells are not where csv-parse put them');
          pos++;
        }
      }
      const raw = batch.slice(start, pos);
      const line = this.line;
      if (batch.charCodeAt(pos) === 13 && batch.charCodeAt(pos + 1) === 10) pos += 2;
      else if (batch.charCodeAt(pos) === 10) pos++;
      this.line += lineBreaks(batch, start, pos, this.hasCr);
      this.onRecord({ cells, start: this.offset + start, length: raw.length, line, raw });
    }
  }

  /**
   * After an error in batch[from, …): the records before the failing one, then the error, at the character
   * that caused it.
   */
  private failAt(batch: string, from: number, error: unknown): void {
    this.failed = true;
    let pos = from;
    for (const end of recordEnds(batch, pos)) {
      const text = batch.slice(pos, end);
      let records: string[][];
      try {
        records = parse(text, OPTIONS_BASE);
      } catch {
        const where = locateError(text);
        const lines = new LineIndex(text);
        const start = lines.positionAt(where.at);
        const end = lines.positionAt(where.at + where.length);
        const range = {
          start: { line: start.line + this.line, character: start.character },
          end: { line: end.line + this.line, character: end.character },
        };
        this.onError({
          offset: this.offset + pos + where.at,
          length: where.length,
          range,
          message: where.message ?? describe(error),
        });
        return;
      }
      this.emit(batch.slice(0, end), pos, records);
      pos = end;
    }
    // The whole batch parses record by record: csv-parse objected to how the batch ended.
    this.onError({
      offset: this.offset + pos,
      length: 0,
      range: { start: { line: this.line, character: 0 }, end: { line: this.line, character: 0 } },
      message: describe(error),
    });
  }
}

/** Line breaks (\n, \r\n, \r, as VS Code counts them) in text[from, to). */
function lineBreaks(text: string, from: number, to: number, hasCr: boolean): number {
  let n = 0;
  // The native search: most records have one \n and no \r (a loop over every character was 4 % of a
  // validate).
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  if (!hasCr) return n;
  for (let i = text.indexOf('\r', from); i !== -1 && i < to; i = text.indexOf('\r', i + 1))
    if (text.charCodeAt(i + 1) !== 10) n++;
  return n;
}

/** The ends of the records of `text` from `from` (after each line break outside quotes, and the end). */
function recordEnds(text: string, from: number): number[] {
  const ends: number[] = [];
  let inQuotes = false;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === 10 && !inQuotes) ends.push(i + 1);
  }
  if (ends.length === 0 || ends[ends.length - 1] !== text.length) ends.push(text.length);
  return ends;
}

/** Where in a record csv-parse objected, by RFC 4180's rules for quotes. */
function locateError(text: string): { at: number; length: number; message?: string } {
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === QUOTE) {
      const open = i;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          return {
            at: open,
            length: 1,
            message: `This cell opens a quote that is never closed, so the rest of the file would be one cell. Close it, or double a quote that belongs to the cell ("").`,
          };
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      const c = text.charCodeAt(i);
      if (i < text.length && c !== 44 && c !== 10 && c !== 13) {
        return {
          at: i,
          length: 1,
          message:
            'Only a comma or the end of the line may follow the quote that closes a cell: double a quote that belongs to the cell ("").',
        };
      }
    } else {
      for (; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 44 || c === 10 || c === 13) break;
        if (c === QUOTE)
          return {
            at: i,
            length: 1,
            message:
              'A quote inside a cell that does not start with one: put the whole cell in quotes and double this one ("a ""b"" c").',
          };
      }
    }
    if (text.charCodeAt(i) !== 44) return { at: 0, length: text.length };
    i++;
  }
}

function describe(error: unknown): string {
  const message = errorMessage(error);
  return `Not valid CSV: ${message.replace(/ at line \d+/g, '')}`;
}
