import type { Position, Range } from '../diagnostics';

/**
 * Offset <-> {line, character} for one text, in UTF-16 code units like the VS Code API.
 * The line starts are computed on first use, and each lookup is a binary search.
 * Line breaks are \n, \r\n and \r, as in VS Code.
 */
export class LineIndex {
  private starts: Uint32Array | undefined;
  private count = 0;

  constructor(private readonly text: string) {}

  private lineStarts(): Uint32Array {
    if (this.starts) return this.starts;
    const text = this.text;
    let starts = new Uint32Array(64);
    let n = 0;
    starts[n++] = 0;
    for (let i = 0; i < text.length; i++) {
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
    this.count = n;
    this.starts = starts;
    return starts;
  }

  get lineCount(): number {
    this.lineStarts();
    return this.count;
  }

  positionAt(offset: number): Position {
    const starts = this.lineStarts();
    const clamped = Math.max(0, Math.min(offset, this.text.length));
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
    const starts = this.lineStarts();
    if (position.line < 0) return 0;
    if (position.line >= this.count) return this.text.length;
    const start = starts[position.line];
    const end = position.line + 1 < this.count ? starts[position.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + position.character, end));
  }

  rangeAt(offset: number, length: number): Range {
    return { start: this.positionAt(offset), end: this.positionAt(offset + length) };
  }
}
