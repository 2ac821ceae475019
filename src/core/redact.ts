import type * as jsonc from 'jsonc-parser';
import { parseDocument } from './parse/parser';
import { setOwn } from './parse/values';
import { SECRET_FIELDS } from './versions';

/**
 * The one redaction module: what a secret (the key, a secret field's value) becomes wherever
 * something is shown, logged or written.
 */
export const REDACTED = '[redacted]';

function isSecretField(key: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(key);
}

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
    out = out.split(secret).join(REDACTED);
    // The same secret as it appears inside JSON strings (quotes, backslashes escaped).
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.split(escaped).join(REDACTED);
  }
  return out.replace(/\bsk_(test|live)_[A-Za-z0-9_-]+/g, `sk_$1_${REDACTED}`);
}

/**
 * The string values of the secret fields of a parsed body, for `redactSecrets`. `backup_codes` contributes
 * each code.
 */
export function secretValuesOf(body: unknown): string[] {
  const out: string[] = [];
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return out;
  const record = body as Record<string, unknown>;
  for (const field of SECRET_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') out.push(v);
  }
  return out;
}

/**
 * A copy of a request body with the values of the secret fields (at any depth) replaced by
 * `"[redacted]"`.
 * - For a string, the text is edited in place by offsets, so the rest stays byte for byte. A
 *   text that is not JSON is redacted by pattern (a secret key followed by a value).
 * - For an object or array, a redacted deep copy is returned; the argument is not changed.
 */
export function redactBody(body: string): string;
export function redactBody<T>(body: T): T;
export function redactBody(body: unknown): unknown {
  if (typeof body === 'string') return redactText(body);
  return redactValue(body);
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      setOwn(out, k, isSecretField(k) ? REDACTED : redactValue(v));
    return out;
  }
  return value;
}

function redactText(text: string): string {
  // The core's strict parser (the one the diagnostics use); anything it does not accept is redacted by
  // pattern.
  const parsed = parseDocument(text);
  const root = parsed.root;
  if (!root || !parsed.complete || parsed.problems.some((p) => p.code !== 'bom'))
    return redactByPattern(text);
  const ranges: Array<{ offset: number; length: number }> = [];
  const visit = (node: jsonc.Node): void => {
    if (node.type === 'property') {
      const [key, value] = node.children ?? [];
      if (key && value && typeof key.value === 'string' && isSecretField(key.value)) {
        ranges.push({ offset: value.offset, length: value.length });
        return;
      }
    }
    for (const child of node.children ?? []) visit(child);
  };
  visit(root);
  let out = text;
  for (const r of ranges.sort((a, b) => b.offset - a.offset)) {
    out = out.slice(0, r.offset) + JSON.stringify(REDACTED) + out.slice(r.offset + r.length);
  }
  return out;
}

const SECRET_PATTERN = new RegExp(
  `("(?:${SECRET_FIELDS.join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|\\[[^\\]]*\\]?|[^,}\\]\\s]*)`,
  'g',
);

function redactByPattern(text: string): string {
  return text.replace(SECRET_PATTERN, (_m, prefix: string) => `${prefix}${JSON.stringify(REDACTED)}`);
}
