import type { Severity } from './diagnostics';

/**
 * Every diagnostic code the core reports. Codes are stable: quick fixes, docs and tests key off them.
 * `owner` says who shows it in the editor (docs/architecture.md, "Who reports what").
 */
export const DiagnosticCode = {
  // --- JSON syntax (owner 'syntax': VS Code's JSON language service shows these in the editor) ---
  /** The text is not valid JSON at this point (unexpected character, missing value, bracket or colon). */
  InvalidJson: 'invalid-json',
  /** A string is unterminated, contains a raw control character or an invalid escape. */
  InvalidString: 'invalid-string',
  /** A number is not written as JSON allows (leading zero, `1.`, `+1`, `.5`, `-`). */
  InvalidNumber: 'invalid-number',
  /** A comma is missing between two values or properties. */
  MissingComma: 'missing-comma',
  /** A comment: the file is sent as strict JSON. */
  Comment: 'comment',
  /** A comma before a closing `}` or `]`. */
  TrailingComma: 'trailing-comma',
  /** A key that already appeared in the same object (reported on every later occurrence). */
  DuplicateKey: 'duplicate-key',
  /** The file starts with a byte order mark. */
  Bom: 'bom',

  // --- The payload (owner 'payload': only we report these) ---
  /** The file is empty or holds only whitespace. */
  EmptyFile: 'empty-file',
  /** The root value is not a JSON object. */
  RootNotObject: 'root-not-object',
  /** Objects and arrays nested deeper than the API accepts. */
  NestingTooDeep: 'nesting-too-deep',
  /** A key that is not a field of the UpdateUser body for this API version, nor a reserved `$` key. */
  UnknownProperty: 'unknown-property',
  /** A value of the wrong JSON type. */
  WrongType: 'wrong-type',
  /** A value outside the field's list of allowed values (e.g. `password_hasher`). */
  InvalidEnumValue: 'invalid-enum-value',
  /** `$api_version` is not a documented Clerk API version. */
  UnknownApiVersion: 'unknown-api-version',
  /** `skip_password_checks` or `sign_out_of_other_sessions` without a `password`. */
  PasswordRequired: 'password-required',
  /** `password` shorter than 8 characters. */
  PasswordTooShort: 'password-too-short',
  /** `password_digest` without `password_hasher`. */
  PasswordHasherRequired: 'password-hasher-required',
  /** `password` and `password_digest` in the same update. */
  PasswordAndDigest: 'password-and-digest',
  /** `created_at` or `legal_accepted_at` is not an RFC 3339 date-time. */
  InvalidTimestamp: 'invalid-timestamp',
  /** `locale` is not a BCP-47 language tag. */
  InvalidLocale: 'invalid-locale',
  /** `create_organizations_limit` is negative. */
  NegativeLimit: 'negative-limit',
  /** An id whose prefix does not fit the field (`$user_id`: `user_`, `primary_*_id`: `idn_`). */
  IdPrefixMismatch: 'id-prefix-mismatch',
  /** `username` set to null or "": the username is deleted for good. */
  UsernameDeletion: 'username-deletion',
  /** A metadata field larger than 8 KB once serialized. */
  MetadataTooLarge: 'metadata-too-large',
  /** A number that does not fit its field: too large for a double (`1e400`), or a fraction for an integer. */
  NumberDoesNotFit: 'number-does-not-fit',
  /**
   * No longer reported (see MetadataMode): under 2026-05-12, a metadata field sent with PUT
   * /v1/users/{id}/metadata.
   */
  MetadataSentSeparately: 'metadata-sent-separately',
  /**
   * On each metadata key: merged (PATCH /v1/users/{id}/metadata) or replaced whole, by the file's
   * `$metadata`.
   */
  MetadataMode: 'metadata-mode',
  /**
   * (bulk CSV) A dotted column (`public_metadata.role`) next to a whole-field column of the same field, or in
   * a row that replaces metadata.
   */
  MetadataKeyColumn: 'metadata-key-column',
  /**
   * Under 2026-05-12, a metadata field set to null: PUT /v1/users/{id}/metadata takes an object (`{}` clears
   * it).
   */
  MetadataNull: 'metadata-null',
  /**
   * A replace (`"$metadata": "replace"`) that would drop metadata keys the user has, as of the last read of
   * the user (a preview, a send): reported by the editor, which knows that user.
   */
  MetadataKeysDropped: 'metadata-keys-dropped',
  /**
   * An id (`$user_id`, `primary_*_id`) holding a character no Clerk id has (`/`, `?`, `#`, `%`, whitespace, a
   * control character).
   */
  InvalidId: 'invalid-id',
  /**
   * A string field larger than 8 KB, or the whole update larger than 64 KB: refused before anything is
   * uploaded.
   */
  ValueTooLarge: 'value-too-large',
  /** The file (or a CSV cell) holds bytes that are not UTF-8: read as U+FFFD, they would be sent changed. */
  InvalidEncoding: 'invalid-encoding',
  /**
   * A string holds a raw unpaired surrogate: not valid Unicode, it cannot be sent as UTF-8 (it would arrive
   * as U+FFFD).
   */
  UnpairedSurrogate: 'unpaired-surrogate',

  // --- Bulk files (*.userupdates.jsonl, *.userupdates.csv; src/core/bulk) ---
  /** A row that names no user: none of `$user_id`, `$external_id`, `$email`, or an empty one. */
  MissingTarget: 'missing-target',
  /** A row that names its user more than once (each target after the first). */
  SeveralTargets: 'several-targets',
  /** A row that targets the same user (same key, same value) as an earlier row: the order would matter. */
  DuplicateTarget: 'duplicate-target',
  /** `$email` that does not look like an email address. */
  InvalidEmail: 'invalid-email',
  /** `password`, `password_digest`, `totp_secret` or `backup_codes` in a bulk file without allowSecrets. */
  SecretInBulkFile: 'secret-in-bulk-file',
  /** A row whose API version differs from the first row's. */
  MixedApiVersions: 'mixed-api-versions',
  /**
   * Not valid CSV (RFC 4180): a stray or unclosed quote, or a row whose cell count differs from the header's.
   */
  InvalidCsv: 'invalid-csv',

  // --- Typed metadata (the team's UserPublicMetadata… declarations; src/core/metadataTypes) ---
  /** A metadata value the declaration does not allow (a type or a literal), at any depth. */
  MetadataTypeMismatch: 'metadata-type-mismatch',
  /** A required metadata key set to null in a merge (it would be deleted), or missing in a replace. */
  MetadataRequiredKey: 'metadata-required-key',
  /** An undeclared metadata key a few edits from a declared one ('rol' for 'role'). */
  MetadataKeyTypo: 'metadata-key-typo',
  /**
   * A metadata key whose declared type is not checked (a Date, a function, a generic): any value is accepted.
   */
  MetadataTypeUnchecked: 'metadata-type-unchecked',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface CodeInfo {
  severity: Severity;
  owner: 'syntax' | 'payload';
}

const E = 'error',
  W = 'warning',
  I = 'information',
  S = 'syntax',
  P = 'payload';
const info = (severity: Severity, owner: 'syntax' | 'payload'): CodeInfo => ({ severity, owner });

/** Default severity and owner of every code (descriptions: CODE_DESCRIPTIONS in ./codeDescriptions). */
export const CODE_INFO: Readonly<Record<DiagnosticCode, CodeInfo>> = {
  'invalid-json': info(E, S),
  'invalid-string': info(E, S),
  'invalid-number': info(E, S),
  'missing-comma': info(E, S),
  comment: info(E, S),
  'trailing-comma': info(E, S),
  'duplicate-key': info(E, S),
  bom: info(W, S),
  'empty-file': info(E, P),
  'root-not-object': info(E, P),
  'nesting-too-deep': info(E, P),
  'unknown-property': info(E, P),
  'wrong-type': info(E, P),
  'invalid-enum-value': info(E, P),
  'unknown-api-version': info(E, P),
  'password-required': info(E, P),
  'password-too-short': info(E, P),
  'password-hasher-required': info(E, P),
  'password-and-digest': info(E, P),
  'invalid-timestamp': info(E, P),
  'invalid-locale': info(W, P),
  'negative-limit': info(E, P),
  'id-prefix-mismatch': info(W, P),
  'username-deletion': info(W, P),
  'metadata-too-large': info(E, P),
  'number-does-not-fit': info(E, P),
  'metadata-sent-separately': info(I, P),
  'metadata-mode': info(I, P),
  'metadata-key-column': info(E, P),
  'metadata-null': info(E, P),
  'metadata-keys-dropped': info(W, P),
  'unpaired-surrogate': info(E, P),
  'invalid-id': info(E, P),
  'value-too-large': info(E, P),
  'invalid-encoding': info(E, P),
  'missing-target': info(E, P),
  'several-targets': info(E, P),
  'duplicate-target': info(W, P),
  'invalid-email': info(W, P),
  'secret-in-bulk-file': info(E, P),
  'mixed-api-versions': info(E, P),
  'invalid-csv': info(E, P),
  'metadata-type-mismatch': info(E, P),
  'metadata-required-key': info(E, P),
  'metadata-key-typo': info(W, P),
  'metadata-type-unchecked': info(I, P),
};
