import { DiagnosticCode } from '../codes';
import type { CoreDiagnostic } from '../diagnostics';

/**
 * Bytes read as UTF-8, strictly: the text (bytes that are not UTF-8 become U+FFFD, so the rest can
 * still be checked) and, at the first byte that is not UTF-8, an error at its line (and, in a CSV
 * file, its cell). A file whose bytes are not UTF-8 (a Latin-1 `é`) is never sent as U+FFFD.
 * Fed in chunks, as a file is streamed; the well-formed sequences are those of Unicode's Table 3-7.
 */
export class Utf8Reader {
  // ignoreBOM: a byte order mark stays in the text (the parser warns about it).
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  readonly #csv: boolean;
  /** Bytes seen before the current chunk. */
  #offset = 0;
  /** Continuation bytes the current sequence still needs, the range of the next one, where it began. */
  #need = 0;
  #lo = 0x80;
  #hi = 0xbf;
  #start = 0;
  #badByte = 0;
  /** Where the text read so far ends. */
  #line = 0;
  #lineText = '';
  #chars = 0;
  #problem: CoreDiagnostic | undefined;

  constructor(options: { csv?: boolean } = {}) {
    this.#csv = options.csv === true;
  }

  /** The error at the first byte that is not UTF-8, once one was read. */
  get problem(): CoreDiagnostic | undefined {
    return this.#problem;
  }

  /** The text of `bytes` (a sequence cut at the end of the chunk is completed by the next one). */
  push(bytes: Uint8Array): string {
    const bad = this.#problem ? undefined : this.#check(bytes);
    if (bad === undefined) return this.#advance(this.#decoder.decode(bytes, { stream: true }));
    const cut = Math.max(0, bad - this.#offset);
    const before = this.#advance(this.#decoder.decode(bytes.subarray(0, cut), { stream: true }));
    this.#report();
    const after = this.#decoder.decode(bytes.subarray(cut), { stream: true });
    this.#offset += bytes.length;
    return before + after;
  }

  /** The end of the bytes: a sequence left incomplete is an error too. */
  end(): string {
    if (!this.#problem && this.#need > 0) {
      this.#report();
    }
    return this.#decoder.decode();
  }

  /** The offset of the first byte of `bytes` (or of a sequence begun before) that is not UTF-8. */
  #check(bytes: Uint8Array): number | undefined {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (this.#need > 0) {
        if (b < this.#lo || b > this.#hi) return this.#bad(this.#start);
        this.#lo = 0x80;
        this.#hi = 0xbf;
        this.#need--;
        continue;
      }
      if (b < 0x80) continue;
      this.#start = this.#offset + i;
      this.#badByte = b;
      if (b >= 0xc2 && b <= 0xdf) this.#need = 1;
      else if (b === 0xe0) [this.#need, this.#lo] = [2, 0xa0];
      else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) this.#need = 2;
      else if (b === 0xed) [this.#need, this.#hi] = [2, 0x9f];
      else if (b === 0xf0) [this.#need, this.#lo] = [3, 0x90];
      else if (b >= 0xf1 && b <= 0xf3) this.#need = 3;
      else if (b === 0xf4) [this.#need, this.#hi] = [3, 0x8f];
      else return this.#bad(this.#start);
    }
    this.#offset += bytes.length;
    return undefined;
  }

  #bad(at: number): number {
    this.#need = 0;
    return at;
  }

  /** Keeps track of where the text ends: its line, that line's text, its length. */
  #advance(text: string): string {
    this.#chars += text.length;
    const last = text.lastIndexOf('\n');
    if (last < 0) this.#lineText += text;
    else {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#line++;
      this.#lineText = text.slice(last + 1);
    }
    return text;
  }

  #report(): void {
    const character = this.#lineText.length;
    const hex = this.#badByte.toString(16).toUpperCase().padStart(2, '0');
    const cell = this.#csv ? `, cell ${cellOf(this.#lineText)}` : '';
    const message = `Byte 0x${hex} (line ${this.#line + 1}${cell}) is not UTF-8: the file is in another encoding (Latin-1, Windows-1252?). Save it as UTF-8; nothing is sent until then.`;
    const at = { line: this.#line, character };
    this.#problem = {
      severity: 'error',
      code: DiagnosticCode.InvalidEncoding,
      message,
      path: '',
      offset: this.#chars,
      length: 1,
      range: { start: at, end: { line: at.line, character: character + 1 } },
      owner: 'payload',
    };
  }
}

/** The 1-based cell of a CSV line that ends where `lineText` ends (commas outside quotes). */
function cellOf(lineText: string): number {
  let cell = 1;
  let quoted = false;
  for (const c of lineText) {
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) cell++;
  }
  return cell;
}

/** The whole of `bytes` read strictly (see Utf8Reader). */
export function readUtf8(
  bytes: Uint8Array,
  options: { csv?: boolean } = {},
): { text: string; problem: CoreDiagnostic | undefined } {
  const reader = new Utf8Reader(options);
  const text = reader.push(bytes) + reader.end();
  return { text, problem: reader.problem };
}
