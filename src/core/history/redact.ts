import { REDACTED, redactSecrets } from '../redact';
import { SECRET_FIELDS } from '../versions';
import { type HistoryEntry, SET } from './entry';

export function isSecretField(field: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(field);
}

/**
 * An entry as it may be stored: a secret field's before is null and its after `(set)`, and every
 * occurrence of `secrets` (the key, secret values) and anything shaped like a key is `[redacted]`.
 */
export function redactEntry(entry: HistoryEntry, secrets: ReadonlyArray<string | undefined>): HistoryEntry {
  const fields: HistoryEntry['fields'] = {};
  for (const [name, values] of Object.entries(entry.fields))
    fields[name] = isSecretField(name) ? { before: null, after: SET } : values;
  const text = redactSecrets(JSON.stringify({ ...entry, fields }), secrets);
  return JSON.parse(text) as HistoryEntry;
}

export { REDACTED };
