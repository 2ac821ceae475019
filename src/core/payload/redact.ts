import type * as jsonc from 'jsonc-parser';
import { parseDocument } from '../parse/parser';
import { SECRET_FIELDS } from '../versions';

/** What a secret value is replaced by wherever a body is shown or logged. */
export const REDACTED = '[redacted]';

function isSecretField(key: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(key);
}

/**
 * A copy of a request body with the values of `password`, `password_digest`, `totp_secret` and
 * `backup_codes` (at any depth) replaced by `"[redacted]"`.
 *
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
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = isSecretField(k) ? REDACTED : redactValue(v);
    return out;
  }
  return value;
}

function redactText(text: string): string {
  // The core's strict parser (the one the diagnostics use); anything it does not accept is redacted by pattern.
  const parsed = parseDocument(text);
  const root = parsed.root;
  if (!root || !parsed.complete || parsed.problems.some((p) => p.code !== 'bom')) return redactByPattern(text);
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
