import { isWordChar } from './problems';

/**
 * The end of the number at `start` as reported in problems, and whether it is a JSON number: an
 * optional minus, digits without a leading zero, a fraction, an exponent, and any letters, digits,
 * `_` or `$` glued on (`12abc`, `01`, `1.e5` are each one invalid number). The scanner splits
 * such text into several tokens; a problem names it whole.
 */
export function readNumber(text: string, start: number): { end: number; valid: boolean } {
  const n = text.length;
  const at = (i: number): number => (i < n ? text.charCodeAt(i) : -1);
  let pos = start;
  let valid = true;
  if (at(pos) === 45) pos++;
  const intStart = pos;
  while (isDigit(at(pos))) pos++;
  const intLength = pos - intStart;
  if (intLength === 0 || (intLength > 1 && at(intStart) === 48)) valid = false;
  if (at(pos) === 46) {
    const fraction = ++pos;
    while (isDigit(at(pos))) pos++;
    if (pos === fraction) valid = false;
  }
  if (at(pos) === 101 || at(pos) === 69) {
    pos++;
    if (at(pos) === 43 || at(pos) === 45) pos++;
    const exponent = pos;
    while (isDigit(at(pos))) pos++;
    if (pos === exponent) valid = false;
  }
  while (isWordChar(at(pos))) {
    valid = false;
    pos++;
  }
  return { end: pos, valid };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
