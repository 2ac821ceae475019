// The documents the benchmarks validate. Deterministic, so runs can be compared.
import { DEMO_USER_IDS } from '../src/fake/seed';

/** The demo user the typical payload targets (the fake knows her). */
export const BENCH_USER_ID = DEMO_USER_IDS.ada;
export const BENCH_API_VERSION = '2026-05-12';

/**
 * A typical payload: 10 fields plus `$user_id` and `$api_version`, under 1 KB, error-free (the three
 * metadata fields get the information that they go with PUT /metadata). `variant` changes one value,
 * so a run can validate changing documents without a text repeating back to back.
 */
export function typicalPayload(variant = 0): string {
  const doc = {
    $user_id: BENCH_USER_ID,
    $api_version: BENCH_API_VERSION,
    first_name: variant === 0 ? 'Ada' : `Ada ${variant}`,
    last_name: 'Lovelace',
    locale: 'en-GB',
    delete_self_enabled: false,
    create_organization_enabled: true,
    create_organizations_limit: 3,
    legal_accepted_at: '2024-03-01T09:30:00.000Z',
    public_metadata: { plan: 'pro', seats: 5, features: ['sso', 'audit-log'] },
    private_metadata: {
      stripe_customer_id: 'cus_Nf8aA1b2C3d4E5',
      notes: 'migrated from Auth0 on 2024-03-01',
    },
    unsafe_metadata: { theme: 'dark', onboarding: { step: 3, done: false } },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/**
 * A payload whose `public_metadata` holds about `metadataBytes` bytes of nested objects
 * (1 MiB by default). Clerk limits metadata to 8 KB, so our pipeline reports it as too large;
 * the point is how long validation of such a file takes.
 */
export function largePayload(metadataBytes = 1024 * 1024): string {
  const entries: string[] = [];
  let size = 0;
  for (let i = 0; size < metadataBytes; i++) {
    const id = String(i).padStart(6, '0');
    const entry =
      `\n    "item_${id}": {\n      "name": "Item ${id} \\u00e9t\\u00e9",\n      "score": ${(i * 7.25) % 1000},\n      "active": ${i % 3 === 0},\n` +
      `      "tags": ["alpha", "beta-${i % 17}", "gamma"],\n      "owner": null,\n      "nested": { "level": ${i % 5}, "path": "a/b/c/${id}" }\n    }`;
    entries.push(entry);
    size += entry.length + 1;
  }
  return (
    '{\n' +
    `  "$user_id": "${BENCH_USER_ID}",\n  "$api_version": "${BENCH_API_VERSION}",\n  "first_name": "Ada",\n  "last_name": "Lovelace",\n` +
    `  "public_metadata": {${entries.join(',')}\n  }\n}\n`
  );
}

/** Fields typed into the typical payload after it is complete (keystroke replay, second phase). */
const ADDED_FIELDS = [
  '\n  "username": "ada_lovelace_1815",',
  '\n  "external_id": "crm-000123",',
  '\n  "skip_legal_checks": false,',
  '\n  "notify_primary_email_address_changed": true,',
  '\n  "bypass_client_trust": false,',
  '\n  "totp_secret": null,',
  '\n  "created_at": "2019-05-04T12:00:00Z",',
];

/**
 * `count` single-keystroke edits (1,000 by default), each as the whole document text after the
 * keystroke: typing the typical payload into an empty file, then typing more fields into it after
 * its first line. Only insertions, so every text is different (nothing can be served from a cache).
 */
export function keystrokeTexts(count = 1000): string[] {
  const texts: string[] = [];
  const full = typicalPayload();
  for (let i = 1; i <= full.length && texts.length < count; i++) texts.push(full.slice(0, i));
  let doc = full;
  let insertAt = doc.indexOf('\n'); // just after `{`
  for (let round = 0; texts.length < count; round++) {
    const field = ADDED_FIELDS[round % ADDED_FIELDS.length].replace(
      /"(\w+)":/,
      round < ADDED_FIELDS.length ? '"$1":' : `"$1_${round}":`,
    );
    for (let i = 0; i < field.length && texts.length < count; i++) {
      doc = doc.slice(0, insertAt) + field[i] + doc.slice(insertAt);
      insertAt++;
      texts.push(doc);
    }
  }
  return texts;
}
