/** Longest user text (a key, a value, a number as written) quoted in a diagnostic message. */
export const MAX_QUOTED = 80;

/**
 * `text`, or its first characters and `…` when it is longer than `max`: messages quote keys and values
 * from the file, and a 2 MB key must not become a 2 MB message (nor cost its copies on every keystroke).
 * Never cuts a surrogate pair in two.
 */
export function clip(text: string, max = MAX_QUOTED): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + '…';
}

/** JSON.stringify of a string value, clipped (see clip). */
export function quote(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(clip(value))
    : clip(JSON.stringify(value) ?? String(value));
}
