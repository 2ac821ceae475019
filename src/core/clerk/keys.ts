/** The result of checking a pasted or stored secret key. Messages never contain the key. */
export type KeyCheck =
  | {
      ok: true;
      /** The key with surrounding whitespace removed: use this one. */ key: string;
      environment: 'test' | 'live';
    }
  | { ok: false; message: string };

const SECRET_PREFIX = /^sk_(test|live)_/;

/**
 * Check a Clerk secret key.
 *
 * Accepted: `sk_test_…` (development) and `sk_live_…` (production), after trimming whitespace
 * and line breaks around the key. Refused with a clear message that never echoes the key: an
 * empty value, whitespace inside the key, a publishable key (`pk_…`), and anything else.
 */
export function checkSecretKey(raw: string | undefined | null): KeyCheck {
  if (raw === undefined || raw === null || raw.trim() === '') {
    return {
      ok: false,
      message: 'No Clerk secret key is set. Set a secret key that starts with sk_test_ or sk_live_.',
    };
  }
  const key = raw.trim();
  if (/\s/.test(key)) {
    return {
      ok: false,
      message:
        'The Clerk secret key contains whitespace or a line break inside it. Copy it again from the Clerk Dashboard (API keys) as a single line.',
    };
  }
  if (/^pk_(test|live)_/.test(key)) {
    return {
      ok: false,
      message:
        'This is a publishable key (pk_…). Updating users needs a secret key, which starts with sk_test_ or sk_live_ (Clerk Dashboard → API keys).',
    };
  }
  const match = SECRET_PREFIX.exec(key);
  if (!match) {
    return {
      ok: false,
      message:
        'This is not a Clerk secret key. Secret keys start with sk_test_ (development) or sk_live_ (production).',
    };
  }
  if (key.length === match[0].length) {
    return {
      ok: false,
      message: 'The Clerk secret key is incomplete: nothing follows its sk_test_/sk_live_ prefix.',
    };
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    return {
      ok: false,
      message:
        'The Clerk secret key contains characters that cannot be part of a key. Copy it again from the Clerk Dashboard.',
    };
  }
  return { ok: true, key, environment: isProductionKey(key) ? 'live' : 'test' };
}

/**
 * The one production check: true for a production key (`sk_live_`), after trimming surrounding whitespace.
 */
export function isProductionKey(key: string | undefined): boolean {
  return key !== undefined && SECRET_PREFIX.exec(key.trim())?.[1] === 'live';
}

/** A safe label for a key, for logs and the status bar: `sk_test_…` or `sk_live_…`, never the secret. */
export function describeKey(key: string): string {
  const match = SECRET_PREFIX.exec(key.trim());
  return match ? `${match[0]}…` : 'an invalid key';
}
