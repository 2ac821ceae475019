import { isWordChar } from './problems';

/**
 * The number at `start` as this parser reads one: an optional minus, digits, a fraction, an exponent,
 * and any letters, digits, `_` or `$` glued on, so that `12abc`, `01` or `1.e5` is one invalid number
 * in a problem rather than several tokens. Returns its end when it is a JSON number (no leading zero,
 * digits after `.` and `e`, nothing glued on), else `~end` (negative).
 */
export function readNumber(text: string, start: number): number {
  const n = text.length;
  let pos = start;
  let valid = true;
  if (pos < n && text.charCodeAt(pos) === 45) pos++;
  const intStart = pos;
  while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
  const intLength = pos - intStart;
  if (intLength === 0 || (intLength > 1 && text.charCodeAt(intStart) === 48)) valid = false;
  if (pos < n && text.charCodeAt(pos) === 46) {
    const fraction = ++pos;
    while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
    if (pos === fraction) valid = false;
  }
  if (pos < n && (text.charCodeAt(pos) | 0x20) === 101) {
    pos++;
    if (pos < n && (text.charCodeAt(pos) === 43 || text.charCodeAt(pos) === 45)) pos++;
    const exponent = pos;
    while (pos < n && isDigit(text.charCodeAt(pos))) pos++;
    if (pos === exponent) valid = false;
  }
  while (pos < n && isWordChar(text.charCodeAt(pos))) {
    valid = false;
    pos++;
  }
  return valid ? pos : ~pos;
}

/**
 * Whether the well-formed number text[start, end) may be too large for a double: only an exponent or over 308
 * digits can make it so.
 */
export function mayOverflow(text: string, start: number, end: number): boolean {
  if (end - start > 308) return true;
  for (let i = start; i < end; i++) if ((text.charCodeAt(i) | 0x20) === 101) return true;
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
