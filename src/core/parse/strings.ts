/** Strings, walked once: where they end, what is wrong inside them, and their size in UTF-8. */

/** Where walkString reports (the parser, which knows the path and the limits). */
export interface StringSink {
  /** An invalid escape or a raw control character. */
  badCharacter(message: string, offset: number, length: number): void;
  /** A raw unpaired surrogate: not valid Unicode, so it cannot be sent as UTF-8. */
  loneSurrogate(offset: number): void;
}

export interface StringWalk {
  /**
   * Just after the closing quote, or where the string stops without one (a line break, the end);
   * without a sink, the first problem when there is one.
   */
  end: number;
  terminated: boolean;
  /** No invalid escape, raw control character or unpaired surrogate. */
  clean: boolean;
  /** Holds a backslash (so that its value differs from its text). */
  escapes: boolean;
  /**
   * UTF-8 bytes beyond one per UTF-16 unit: 2 bytes below U+0800, 3 above, 4 per surrogate pair,
   * and a lone surrogate counted as 2.
   */
  extra: number;
}

/**
 * Walks a string from `from` (just after its opening quote) to its end, into `out`. Each invalid
 * escape, raw control character and unpaired surrogate goes to `sink`; without one, the walk stops at
 * the first (`clean` false), to be walked again with a sink when the string is read.
 */
export function walkString(text: string, from: number, sink: StringSink | undefined, out: StringWalk): void {
  const n = text.length;
  let extra = 0;
  let clean = true;
  let escapes = false;
  let i = from;
  for (;;) {
    // A run of printable ASCII other than `"` and `\`: after 256 of them, the rest of the run is found
    // by the native search, so that a long string costs the same whatever the JIT is doing.
    const limit = i + 256 < n ? i + 256 : n;
    let c = -1;
    while (i < limit) {
      c = text.charCodeAt(i);
      if (c < 0x20 || c === 34 || c === 92 || c >= 0x80) break;
      i++;
    }
    if (i === limit) {
      if (i === n) {
        out.end = n;
        out.terminated = false;
        break;
      }
      PLAIN_END.lastIndex = i;
      i = PLAIN_END.test(text) ? PLAIN_END.lastIndex - 1 : n;
      continue;
    }
    if (c === 34) {
      out.end = i + 1;
      out.terminated = true;
      break;
    }
    if (c === 92) {
      escapes = true;
      const length = escapeLength(text, i);
      if (length < 0) {
        clean = false;
        if (!sink) break;
        badEscape(text, i, -length, sink);
        i -= length;
      } else {
        i += length;
      }
      continue;
    }
    if (c < 0x20) {
      if (c === 10 || c === 13) {
        out.end = i;
        out.terminated = false;
        break;
      }
      clean = false;
      if (!sink) break;
      const hex = c.toString(16).padStart(4, '0');
      sink.badCharacter(
        `Raw control character U+${hex.toUpperCase()} in a string; write it as an escape (e.g. \\t or \\u${hex}).`,
        i,
        1,
      );
    } else if (c < 0x800) {
      extra += 1;
    } else if (c < 0xd800 || c > 0xdfff) {
      extra += 2;
    } else if (c <= 0xdbff && i + 1 < n && isLowSurrogate(text.charCodeAt(i + 1))) {
      extra += 2;
      i++;
    } else {
      clean = false;
      if (!sink) break;
      sink.loneSurrogate(i);
      extra += 1;
    }
    i++;
  }
  if (!clean && !sink) {
    out.end = i;
    out.terminated = false;
  }
  out.clean = clean;
  out.escapes = escapes;
  out.extra = extra;
}

/** The first unit that is not printable ASCII other than `"` and `\`. */
const PLAIN_END = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Length of the valid escape at the backslash at `pos`, or minus the length of the invalid one there. */
function escapeLength(text: string, pos: number): number {
  if (pos + 1 >= text.length) return -1;
  const e = text.charCodeAt(pos + 1);
  // " \ / b f n r t
  if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)
    return 2;
  if (e !== 117) return -2;
  let digits = 0;
  while (digits < 4 && pos + 2 + digits < text.length && isHex(text.charCodeAt(pos + 2 + digits))) digits++;
  return digits === 4 ? 6 : -(digits + 2);
}

function badEscape(text: string, pos: number, length: number, sink: StringSink): void {
  // A backslash at the very end is not reported: the string is unterminated.
  if (length === 1) return;
  if (text.charCodeAt(pos + 1) === 117)
    sink.badCharacter('Invalid unicode escape: \\u must be followed by 4 hex digits.', pos, length);
  else
    sink.badCharacter(
      `Invalid escape "\\${text[pos + 1]}" in a string. JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.`,
      pos,
      2,
    );
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
