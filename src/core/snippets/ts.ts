import { DEFAULT_API_URL } from '../clerk/url';
import { METADATA_FIELDS } from '../versions';
import { type SnippetField, type SnippetSource, secretVariable } from './source';

/**
 * The names @clerk/backend's `UpdateUserParams` (3.x) gives the body fields. Checked by a test that
 * compiles the generated snippets with tsc against the SDK's published types. Date fields take a `Date`.
 */
const SDK_NAMES: Readonly<Record<string, string>> = {
  external_id: 'externalId',
  first_name: 'firstName',
  last_name: 'lastName',
  locale: 'locale',
  primary_email_address_id: 'primaryEmailAddressID',
  notify_primary_email_address_changed: 'notifyPrimaryEmailAddressChanged',
  primary_phone_number_id: 'primaryPhoneNumberID',
  primary_web3_wallet_id: 'primaryWeb3WalletID',
  username: 'username',
  profile_image_id: 'profileImageID',
  password: 'password',
  password_digest: 'passwordDigest',
  password_hasher: 'passwordHasher',
  skip_password_checks: 'skipPasswordChecks',
  sign_out_of_other_sessions: 'signOutOfOtherSessions',
  totp_secret: 'totpSecret',
  backup_codes: 'backupCodes',
  delete_self_enabled: 'deleteSelfEnabled',
  create_organization_enabled: 'createOrganizationEnabled',
  legal_accepted_at: 'legalAcceptedAt',
  skip_legal_checks: 'skipLegalChecks',
  create_organizations_limit: 'createOrganizationsLimit',
  created_at: 'createdAt',
  public_metadata: 'publicMetadata',
  private_metadata: 'privateMetadata',
  unsafe_metadata: 'unsafeMetadata',
};
/** Where the generated code reads its secrets from. */
const ENV = 'process.env';
const DATE_FIELDS = new Set(['created_at', 'legal_accepted_at']);
/** The version @clerk/backend 3.x sends as Clerk-API-Version, whatever the file says. */
const SDK_API_VERSION = '2026-05-12';

/** A JavaScript string literal in single quotes. */
function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** A JSON value as a TypeScript expression (strings single-quoted), indented for its place. */
function literal(value: unknown, indent: string): string {
  if (typeof value === 'string') return quote(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return value.length === 0 ? '[]' : `[${value.map((v) => literal(v, inner)).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k));
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${literal(v, inner)},`).join('\n')}\n${indent}}`;
}

function property(field: SnippetField, indent: string): string[] {
  const name = SDK_NAMES[field.name];
  if (!name)
    return [`${indent}// '${field.name}' has no name in @clerk/backend's UpdateUserParams: not sent.`];
  if (field.secret) {
    const read = Array.isArray(field.value)
      ? `JSON.parse(${ENV}.${secretVariable(field.name)} as string) as string[]`
      : `${ENV}.${secretVariable(field.name)} as string`;
    const how = Array.isArray(field.value) ? 'as a JSON array' : '';
    return [
      `${indent}// '${field.name}' is not copied: set ${secretVariable(field.name)} to its value${how ? ` ${how}` : ''}.`,
      `${indent}${name}: ${read},`,
    ];
  }
  if (field.value === null)
    return [
      `${indent}${name}: null as never, // null clears '${field.name}' (the SDK's type has no null; it sends null)`,
    ];
  if (DATE_FIELDS.has(field.name) && typeof field.value === 'string') {
    const date = new Date(field.value);
    const sent = Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    const note =
      sent === field.value ? '' : ` // the SDK sends a Date as ${sent ? quote(sent) : 'null (not a date)'}`;
    return [`${indent}${name}: new Date(${quote(field.value)}),${note}`];
  }
  return [`${indent}${name}: ${literal(field.value, indent)},`];
}

function call(method: string, userId: string, fields: SnippetField[]): string {
  const body = fields.flatMap((f) => property(f, '  '));
  return `await clerkClient.users.${method}(${quote(userId)}, {\n${body.join('\n')}\n});`;
}

/**
 * @clerk/backend: `updateUser` for the fields; for the metadata `updateUserMetadata` (a merge, the
 * default) or `replaceUserMetadata` (`"$metadata": "replace"`), as a send does (`updateUser`'s
 * metadata parameters are deprecated in 3.x).
 */
export function typescriptSnippet(source: SnippetSource): string {
  const fields = source.requests.flatMap((r) => r.values);
  const metadata = fields.filter((f) => (METADATA_FIELDS as readonly string[]).includes(f.name));
  const others = fields.filter((f) => !metadata.includes(f));
  const options = [`secretKey: ${ENV}.CLERK_SECRET_KEY`];
  if (source.apiUrl !== DEFAULT_API_URL) options.push(`apiUrl: ${quote(source.apiUrl)}`);
  const lines = [`import { createClerkClient } from '@clerk/backend';`, ''];
  if (source.apiVersion !== SDK_API_VERSION)
    lines.push(
      `// @clerk/backend sends Clerk-API-Version ${SDK_API_VERSION}; this file is written for ${source.apiVersion}.`,
    );
  lines.push(`const clerkClient = createClerkClient({ ${options.join(', ')} });`, '');
  if (others.length > 0) lines.push(call('updateUser', source.userId, others));
  const merge = source.requests.some((r) => r.metadata === 'merge');
  if (metadata.length > 0)
    lines.push(call(merge ? 'updateUserMetadata' : 'replaceUserMetadata', source.userId, metadata));
  return `${lines.join('\n')}\n`;
}
