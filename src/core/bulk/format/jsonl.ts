import type { Range } from '../../diagnostics';
import type { Span } from './rowChecks';
import { checkRowText, rewordForPart, type RowPlacement, type RowResult } from './rowCheck';
import type { BulkOptions } from './types';

/** A JSONL line has no line break: a span of it is on the row's line 0. */
const LINE: RowPlacement = {
  place: (_code, offset, length) => ({ offset, length }),
  range: (span: Span): Range => ({
    start: { line: 0, character: span.offset },
    end: { line: 0, character: span.offset + span.length },
  }),
  keepFixes: true,
  identity: true,
  reword: (message) => rewordForPart(message, 'line'),
};

/** True for a line of only whitespace (JSON's, or any other Unicode space): blank lines are ignored. */
export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && !(c > 127 && /\s/.test(line[i]))) return false;
  }
  return true;
}

/**
 * One non-blank line of a `*.userupdates.jsonl`, checked as a `*.userupdate.json` and as a bulk row (`quick`:
 * see checkRowText).
 */
export function checkJsonlLine(line: string, options: BulkOptions, quick = true): RowResult {
  let start = 0;
  let end = line.length;
  while (start < end && isBlank(line[start])) start++;
  while (end > start && isBlank(line[end - 1])) end--;
  return checkRowText(line, { offset: start, length: end - start }, LINE, options, quick);
}

/**
 * Cuts a text that arrives in chunks into lines (breaks: \n, \r\n and \r, as in VS Code), keeping only the
 * unfinished last line between chunks. `onLine` gets each line without its break, its offset in the whole
 * text (UTF-16 units) and its 0-based number.
 */
export class LineSplitter {
  private pending = '';
  /** Offset of `pending` in the whole text. */
  private offset = 0;
  private line = 0;

  constructor(private readonly onLine: (text: string, offset: number, line: number) => void) {}

  push(chunk: string): void {
    const text = this.pending.length === 0 ? chunk : this.pending + chunk;
    let start = 0;
    let cr = text.indexOf('\r');
    for (;;) {
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      const lf = text.indexOf('\n', start);
      const brk = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (brk === -1) break;
      let next = brk + 1;
      if (brk === cr) {
        if (brk + 1 === text.length) break; // a \n may follow in the next chunk
        if (text.charCodeAt(brk + 1) === 10) next++;
      }
      this.onLine(text.slice(start, brk), this.offset + start, this.line++);
      start = next;
    }
    this.pending = text.slice(start);
    this.offset += start;
  }

  end(): void {
    // a final \r is a break
    const last = this.pending.endsWith('\r') ? this.pending.slice(0, -1) : this.pending;
    if (last.length > 0) this.onLine(last, this.offset, this.line++);
    this.offset += this.pending.length;
    this.pending = '';
  }
}
