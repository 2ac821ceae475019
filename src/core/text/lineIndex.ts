import type { Position, Range } from '../diagnostics';

/**
 * Offset <-> {line, character} for one text, in UTF-16 code units like the VS Code API.
 * Line starts are found on demand, only as far into the text as the offsets asked for (a diagnostic
 * near the top of a 5 MB file costs little), with the native indexOf while no \r is in the way, and
 * each lookup is a binary search.
 * Line breaks are \n, \r\n and \r, as in VS Code.
 */
export class LineIndex {
  /** Offsets where lines start, as far as scanned. */
  private readonly starts: number[] = [0];
  /** Everything before this offset has been scanned for line breaks. */
  private scanned = 0;
  /** Offset of the first `\r` at or after `scanned`, -1 if there is none, -2 before the first search. */
  private nextCr = -2;

  constructor(private readonly text: string) {}

  /** Scans for line breaks up to (and including) `offset`. */
  private scanTo(offset: number): void {
    const text = this.text;
    const limit = Math.min(offset + 1, text.length);
    let i = this.scanned;
    if (i >= limit) return;
    const starts = this.starts;
    if (this.nextCr === -2 || (this.nextCr !== -1 && this.nextCr < i)) this.nextCr = text.indexOf('\r', i);
    if (this.nextCr === -1 || this.nextCr >= limit) {
      // No \r before the limit: only \n breaks lines, and the native search finds them.
      for (;;) {
        const lf = text.indexOf('\n', i);
        if (lf === -1 || lf >= limit) break;
        starts.push(lf + 1);
        i = lf + 1;
      }
      this.scanned = limit;
      return;
    }
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && i + 1 < text.length && text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.scanned = i;
  }

  get lineCount(): number {
    this.scanTo(this.text.length);
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(clamped);
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - starts[lo] };
  }

  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    // Scan until the line (and the next one, for clamping) is known.
    const starts = this.starts;
    while (starts.length <= position.line + 1 && this.scanned < this.text.length)
      this.scanTo(this.scanned + 4096);
    if (position.line >= starts.length) return this.text.length;
    const start = starts[position.line];
    const end = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }
}
