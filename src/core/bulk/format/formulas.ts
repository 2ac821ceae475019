/**
 * CSV cells that a spreadsheet would run as a formula (OWASP, "CSV Injection"): those that start
 * with `=`, `+`, `-`, `@`, a tab or a carriage return. An export writes them with a leading
 * apostrophe (`'=HYPERLINK(…)`), which spreadsheets show as text; reading a CSV takes one
 * apostrophe off again, so an export read back gives the values it was made of.
 *
 * The scheme is reversible because a value that already starts with apostrophes followed by one of
 * those characters (`'=x`) gets one more apostrophe too (`''=x`); any other value is left as it is.
 */
const NEEDS_APOSTROPHE = /^'*[=+\-@\t\r]/;
const HAS_APOSTROPHE = /^'+[=+\-@\t\r]/;

/** The cell an export writes for `value`. */
export function neutraliseFormula(value: string): string {
  return NEEDS_APOSTROPHE.test(value) ? `'${value}` : value;
}

/** The value a CSV cell stands for (the inverse of `neutraliseFormula`). */
export function restoreFormula(cell: string): string {
  return HAS_APOSTROPHE.test(cell) ? cell.slice(1) : cell;
}
