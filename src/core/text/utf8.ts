/** UTF-8 sizes of JSON text, computed on the UTF-16 string without encoding it. */

/**
 * Size in UTF-8 bytes of text[start, end) without the whitespace outside strings (JSON.stringify's
 * compact form, which is what Clerk measures metadata by). Escapes count as written.
 */
export function compactUtf8Size(text: string, start = 0, end = text.length): number {
  let size = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) {
        size += 2;
        i++;
        continue;
      }
      if (c === 34) inString = false;
    } else if (c === 32 || c === 10 || c === 13 || c === 9) {
      continue;
    } else if (c === 34) {
      inString = true;
    }
    if (c < 0x80) size += 1;
    else if (c < 0x800) size += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      size += 4;
      i++;
    } else size += 3;
  }
  return size;
}

/** Size in UTF-8 bytes of text[start, end), as written (lone surrogates count as U+FFFD: 3 bytes). */
export function utf8Length(text: string, start = 0, end = text.length): number {
  let size = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) size += 1;
    else if (c < 0x800) size += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size += 4;
      i++;
    } else size += 3;
  }
  return size;
}
