import type { ClerkUser } from '../clerk/types';
import { type ApiVersion, METADATA_FIELDS, TIMESTAMP_FIELDS } from '../versions';

/**
 * The UpdateUser fields that hold user state Clerk returns, are not secret, and can be sent
 * back unchanged, in the order pulled files list them. Timestamps (`created_at`,
 * `legal_accepted_at`) are excluded: the User object has them as Unix milliseconds and sending
 * them back would rewrite them.
 */
export const PULLED_FIELDS = [
  'first_name',
  'last_name',
  'username',
  'external_id',
  'locale',
  'primary_email_address_id',
  'primary_phone_number_id',
  'primary_web3_wallet_id',
  'delete_self_enabled',
  'create_organization_enabled',
  'create_organizations_limit',
  'bypass_client_trust',
  ...METADATA_FIELDS,
] as const;

/** Body fields that are instructions for this request, not user state. */
export const OPTION_FIELDS = [
  'notify_primary_email_address_changed',
  'skip_password_checks',
  'sign_out_of_other_sessions',
  'skip_legal_checks',
  'password_hasher',
] as const;

function includes(list: readonly string[], key: string): boolean {
  return list.includes(key);
}

/** The current value of a stateful field, as the body would spell it (timestamps as RFC 3339). */
export function currentValue(user: ClerkUser, field: string): unknown {
  if (includes(TIMESTAMP_FIELDS, field)) {
    const ms = user[field];
    return typeof ms === 'number' ? new Date(ms).toISOString() : null;
  }
  if (includes(METADATA_FIELDS, field)) {
    const value = user[field];
    return value && typeof value === 'object' ? value : {};
  }
  const value = user[field];
  return value === undefined ? null : value;
}

/**
 * The user's editable, non-secret field values (every field of `PULLED_FIELDS`, `null`
 * included), for previews and undo.
 */
export function editableFields(user: ClerkUser): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of PULLED_FIELDS) out[field] = currentValue(user, field);
  return out;
}

/**
 * The text of a `*.userupdate.json` for a user: `$user_id`, `$api_version`, `"$metadata": "replace"`
 * (the file holds the whole current metadata, so a key removed there is removed at Clerk), then the
 * user's current values of `PULLED_FIELDS`. Fields that are `null` are left out, so that sending the
 * file unchanged changes nothing and clears nothing. Two-space indentation, trailing newline.
 */
export function renderUpdateFile(user: ClerkUser, apiVersion: ApiVersion): string {
  const out: Record<string, unknown> = { $user_id: user.id, $api_version: apiVersion, $metadata: 'replace' };
  for (const [field, value] of Object.entries(editableFields(user))) {
    if (value !== null) out[field] = value;
  }
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A file name for a pulled user: `<username or id>.userupdate.json` (safe characters only). */
export function updateFileName(user: Pick<ClerkUser, 'id' | 'username'>): string {
  const base = (user.username || user.id).replace(/[^A-Za-z0-9._-]/g, '_');
  return `${base}.userupdate.json`;
}
