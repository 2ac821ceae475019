const THOUSANDS = /\B(?=(\d{3})+$)/g;

/**
 * A count as people read it: 12,345 (and 41.3 for a rate). A whole number is grouped here, as
 * `toLocaleString('en-US')` would: its first call loads ICU's number formats, about 24 ms, which every
 * CLI process and the extension's activation paid for one count.
 */
export function formatCount(count: number): string {
  if (Number.isInteger(count) && Math.abs(count) < 1e21)
    return (count < 0 ? '-' : '') + String(Math.abs(count)).replace(THOUSANDS, ',');
  return count.toLocaleString('en-US');
}

/** What went wrong, from anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
