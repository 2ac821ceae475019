/**
 * A copy of `text` that shares no memory with the string it came from. In V8, a part of a string (a slice, a
 * concatenation) refers to the whole it came from, so keeping a small part keeps the whole alive: a row's
 * target kept for duplicate detection would keep the 64 KB chunk of the file it was read from, and a cached
 * line of the editor's document the whole document. Slicing a concatenation first flattens it into a fresh
 * string; the slice then refers to that copy only.
 */
export function copyOf(text: string): string {
  return (' ' + text).slice(1);
}
