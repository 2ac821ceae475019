import { type SnippetField, type SnippetSource, secretVariable } from './source';

/**
 * The fields of clerk-rs's `UpdateUserRequest` and their Rust types, from the seed document
 * (the clerk-rs docs of the struct). `Option<Option<T>>`: absent = `None`, null = `Some(None)`;
 * `Option<T>`: absent or a value.
 */
type RustType =
  | 'Option<Option<String>>'
  | 'Option<String>'
  | 'Option<Option<bool>>'
  | 'Option<bool>'
  | 'Option<Vec<String>>'
  | 'Option<Value>';
const CLERK_RS_FIELDS: Readonly<Record<string, RustType>> = {
  external_id: 'Option<Option<String>>',
  first_name: 'Option<Option<String>>',
  last_name: 'Option<Option<String>>',
  primary_email_address_id: 'Option<String>',
  notify_primary_email_address_changed: 'Option<bool>',
  primary_phone_number_id: 'Option<String>',
  primary_web3_wallet_id: 'Option<String>',
  username: 'Option<Option<String>>',
  profile_image_id: 'Option<Option<String>>',
  password: 'Option<Option<String>>',
  skip_password_checks: 'Option<Option<bool>>',
  sign_out_of_other_sessions: 'Option<Option<bool>>',
  totp_secret: 'Option<String>',
  backup_codes: 'Option<Vec<String>>',
  public_metadata: 'Option<Value>',
  private_metadata: 'Option<Value>',
  unsafe_metadata: 'Option<Value>',
  delete_self_enabled: 'Option<Option<bool>>',
  create_organization_enabled: 'Option<Option<bool>>',
  created_at: 'Option<String>',
};

const RUST_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A Rust string literal (other control characters as `\u{…}`). */
function rustString(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    out += RUST_ESCAPES[c] ?? (code < 0x20 || code === 0x7f ? `\\u{${code.toString(16)}}` : c);
  }
  return `"${out}"`;
}

/** The value inside the outer `Some(…)`, or a comment when the type cannot hold it. */
function rustValue(field: SnippetField, type: RustType): string | { skip: string } {
  const v = field.value;
  if (field.secret) {
    const read = `std::env::var(${rustString(secretVariable(field.name))})?`;
    if (type === 'Option<Vec<String>>') return `serde_json::from_str(&${read})?`;
    return type === 'Option<Option<String>>' ? `Some(${read})` : read;
  }
  switch (type) {
    case 'Option<Value>':
      return v === null ? 'serde_json::Value::Null' : `serde_json::json!(${JSON.stringify(v)})`;
    case 'Option<Option<String>>':
    case 'Option<Option<bool>>':
      if (v === null) return 'None';
      return `Some(${typeof v === 'string' ? `${rustString(v)}.into()` : String(v)})`;
    case 'Option<String>':
    case 'Option<bool>':
      if (v === null)
        return { skip: `null cannot be written as clerk-rs's ${type}: '${field.name}' is not sent.` };
      return typeof v === 'string' ? `${rustString(v)}.into()` : String(v);
    case 'Option<Vec<String>>':
      return `vec![${(v as string[]).map((s) => `${rustString(s)}.into()`).join(', ')}]`;
  }
}

/**
 * clerk-rs: one `UpdateUserRequest` literal with the fields the file sets (`..UpdateUserRequest::new()`
 * leaves the others `None`, i.e. unchanged) and the call. A metadata merge (the default) is an
 * `UpdateUserMetadataRequest` sent with `update_user_metadata`; with `"$metadata": "replace"` clerk-rs sends
 * the metadata in the same PATCH (it sends no Clerk-API-Version header).
 */
export function rustSnippet(source: SnippetSource): string {
  const lines: string[] = [];
  const comments: string[] = [];
  const merge = source.requests.find((r) => r.metadata === 'merge');
  for (const field of source.requests.filter((r) => r !== merge).flatMap((r) => r.values)) {
    const type = CLERK_RS_FIELDS[field.name];
    if (!type) {
      comments.push(`    // '${field.name}' is not a field of clerk-rs's UpdateUserRequest: not sent.`);
      continue;
    }
    const value = rustValue(field, type);
    if (typeof value !== 'string') {
      comments.push(`    // ${value.skip}`);
      continue;
    }
    if (field.secret)
      lines.push(
        `    // '${field.name}' is not copied: set ${secretVariable(field.name)} to its value${type === 'Option<Vec<String>>' ? ' as a JSON array' : ''}.`,
      );
    lines.push(`    ${field.name}: Some(${value}),`);
  }
  const models = [
    ...(lines.length + comments.length > 0 || !merge ? ['UpdateUserRequest'] : []),
    ...(merge ? ['UpdateUserMetadataRequest'] : []),
  ];
  const header = [
    `use clerk_rs::{apis::users_api::User, clerk::Clerk, models::${models.length > 1 ? `{${models.join(', ')}}` : models[0]}, ClerkConfiguration};`,
    '',
    `// clerk-rs sends no Clerk-API-Version header; this file is written for ${source.apiVersion} against ${source.apiUrl}.`,
    'let config = ClerkConfiguration::new(None, None, Some(std::env::var("CLERK_SECRET_KEY")?), None);',
    'let clerk = Clerk::new(config);',
    '',
  ];
  const body: string[] = [];
  if (lines.length + comments.length > 0 || !merge) {
    body.push(
      'let request = UpdateUserRequest {',
      ...comments,
      ...lines,
      '    ..UpdateUserRequest::new()',
      '};',
    );
    body.push(`User::update_user(&clerk, ${rustString(source.userId)}, request).await?;`);
  }
  if (merge) {
    // A merge (PATCH /v1/users/{id}/metadata): only the given keys change, null deletes one.
    const fields = merge.values.map(
      (f) => `    ${f.name}: Some(${rustValue(f, 'Option<Value>') as string}),`,
    );
    body.push(
      'let metadata = UpdateUserMetadataRequest {',
      ...fields,
      '    ..UpdateUserMetadataRequest::new()',
      '};',
    );
    body.push(`User::update_user_metadata(&clerk, ${rustString(source.userId)}, Some(metadata)).await?;`);
  }
  return `${[...header, ...body].join('\n')}\n`;
}
