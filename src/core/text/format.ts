/** A count as people read it: 12,345. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** What went wrong, from anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
