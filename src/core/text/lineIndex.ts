import type { Position, Range } from '../diagnostics';

/**
 * Offset <-> {line, character} for one text, in UTF-16 code units like the VS Code API.
 * Line starts are found on demand, only as far into the text as the offsets asked for (a diagnostic
 * near the top of a 5 MB file costs nothing), and each lookup is a binary search.
 * Line breaks are \n, \r\n and \r, as in VS Code.
 */
export class LineIndex {
  private starts = new Uint32Array(16);
  private count = 1;
  /** Everything before this offset has been scanned for line breaks. */
  private scanned = 0;

  constructor(private readonly text: string) {}

  /** Scans for line breaks up to (and including) `offset`. */
  private scanTo(offset: number): void {
    const text = this.text;
    const limit = Math.min(offset + 1, text.length);
    let i = this.scanned;
    if (i >= limit) return;
    let starts = this.starts;
    let n = this.count;
    for (; i < limit; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) {
        if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
        if (n === starts.length) {
          const bigger = new Uint32Array(starts.length * 2);
          bigger.set(starts);
          starts = bigger;
        }
        starts[n++] = i + 1;
      }
    }
    this.starts = starts;
    this.count = n;
    this.scanned = i;
  }

  get lineCount(): number {
    this.scanTo(this.text.length);
    return this.count;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    this.scanTo(clamped);
    const starts = this.starts;
    let lo = 0;
    let hi = this.count - 1;
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
    while (this.count <= position.line + 1 && this.scanned < this.text.length) this.scanTo(this.scanned + 4096);
    if (position.line >= this.count) return this.text.length;
    const start = this.starts[position.line];
    const end = position.line + 1 < this.count ? this.starts[position.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + Math.max(0, position.character), end));
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }
}
