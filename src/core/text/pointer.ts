/** JSON pointers (RFC 6901): the one place that escapes and unescapes their segments. */

/** `a/b` -> `a~1b`, `a~b` -> `a~0b`. */
export function escapeSegment(segment: string): string {
  return segment.indexOf('~') === -1 && segment.indexOf('/') === -1
    ? segment
    : segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** `a~1b` -> `a/b`, `a~0b` -> `a~b`. */
export function unescapeSegment(segment: string): string {
  return segment.indexOf('~') === -1 ? segment : segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * The pointer of a path: `toPointer(['public_metadata', 'a/b', 0])` -> `/public_metadata/a~1b/0`; `[]` ->
 * `''`.
 */
export function toPointer(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) out += '/' + (typeof s === 'number' ? String(s) : escapeSegment(s));
  return out;
}

/** The unescaped segments of a pointer: `/public_metadata/a~1b/0` -> `['public_metadata', 'a/b', '0']`. */
export function segmentsOf(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeSegment);
}
