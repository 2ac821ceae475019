/** Format checks beyond the spec: RFC 3339 date-times and BCP-47 language tags. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * True for an RFC 3339 date-time as Go's time.RFC3339 parses it: `2012-10-20T07:15:20.902Z`,
 * `2012-10-20T09:15:20+02:00`.
 */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (day > days) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return false;
  return true;
}

// RFC 5646 (BCP 47) language tag syntax, case-insensitive.
const ALNUM = '[a-z0-9]';
const LANGUAGE = '(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})';
const SCRIPT = '(?:-[a-z]{4})?';
const REGION = '(?:-(?:[a-z]{2}|[0-9]{3}))?';
const VARIANT = `(?:-(?:${ALNUM}{5,8}|[0-9]${ALNUM}{3}))*`;
const EXTENSION = `(?:-[0-9a-wyz](?:-${ALNUM}{2,8})+)*`;
const PRIVATE = `(?:-x(?:-${ALNUM}{1,8})+)?`;
const LANGTAG = new RegExp(`^${LANGUAGE}${SCRIPT}${REGION}${VARIANT}${EXTENSION}${PRIVATE}$`, 'i');
const PRIVATEUSE = new RegExp(`^x(?:-${ALNUM}{1,8})+$`, 'i');
const GRANDFATHERED = new Set(
  [
    'en-GB-oed',
    'i-ami',
    'i-bnn',
    'i-default',
    'i-enochian',
    'i-hak',
    'i-klingon',
    'i-lux',
    'i-mingo',
    'i-navajo',
    'i-pwn',
    'i-tao',
    'i-tay',
    'i-tsu',
    'sgn-BE-FR',
    'sgn-BE-NL',
    'sgn-CH-DE',
    'art-lojban',
    'cel-gaulish',
    'no-bok',
    'no-nyn',
    'zh-guoyu',
    'zh-hakka',
    'zh-min',
    'zh-min-nan',
    'zh-xiang',
  ].map((t) => t.toLowerCase()),
);

/** True for a well-formed BCP-47 language tag (`en`, `en-US`, `zh-Hant-TW`, `de-CH-1901`). */
const SIMPLE_TAG = /^[a-z]{2,3}(?:-[a-z]{2}|-[0-9]{3})?$/i;

export function isBcp47(value: string): boolean {
  if (value.length === 0 || value.length > 64) return false;
  if (SIMPLE_TAG.test(value)) return true; // en, en-US, es-419: the common case, fast
  if (LANGTAG.test(value) || PRIVATEUSE.test(value)) {
    // No repeated variant and no repeated extension singleton (RFC 5646 sections 2.2.5, 2.2.6).
    const parts = value.toLowerCase().split('-');
    const seen = new Set<string>();
    let inExtensions = false;
    for (let i = 1; i < parts.length; i++) {
      const p = parts[i];
      if (p === 'x') break;
      if (p.length === 1) inExtensions = true;
      const variant = !inExtensions && (p.length >= 5 || (p.length === 4 && /^[0-9]/.test(p)));
      if (variant || p.length === 1) {
        if (seen.has(p)) return false;
        seen.add(p);
      }
    }
    return true;
  }
  return GRANDFATHERED.has(value.toLowerCase());
}

/** A likely BCP-47 spelling of a near miss (`en_US` -> `en-US`), or undefined. */
export function suggestLocale(value: string): string | undefined {
  const fixed = value.trim().replace(/_/g, '-');
  if (fixed !== value && isBcp47(fixed)) return fixed;
  return undefined;
}
