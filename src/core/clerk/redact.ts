/** What a removed secret is replaced by in messages and logs. */
export const SECRET_MARKER = '[redacted]';

/**
 * Replace every occurrence of each secret (the key, secret field values) in `text` by
 * `[redacted]`. Also masks anything shaped like a Clerk secret key (`sk_test_…`, `sk_live_…`),
 * whether or not it was passed in. Secrets shorter than 6 characters are ignored (too likely to
 * match ordinary text); they are never echoed by the core anyway.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  let out = text;
  const list = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 6)
    .sort((a, b) => b.length - a.length);
  for (const secret of list) {
    out = out.split(secret).join(SECRET_MARKER);
    // The same secret as it appears inside JSON strings (quotes, backslashes escaped).
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(SECRET_MARKER);
  }
  return out.replace(/\bsk_(test|live)_[A-Za-z0-9_-]+/g, `sk_$1_${SECRET_MARKER}`);
}

/**
 * The string values of the secret fields of a parsed body, for `redactSecrets`.
 * `backup_codes` contributes each code.
 */
export function secretValuesOf(body: unknown): string[] {
  const out: string[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return out;
  const record = body as Record<string, unknown>;
  for (const field of ['password', 'password_digest', 'totp_secret', 'backup_codes']) {
    const value = record[field];
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') out.push(v);
  }
  return out;
}
