import type { Severity } from '../diagnostics';

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
  /** Under 2026-05-12, a metadata field is sent after the update with PUT /v1/users/{id}/metadata. */
  MetadataSentSeparately: 'metadata-sent-separately',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export interface CodeInfo {
  severity: Severity;
  owner: 'syntax' | 'payload';
  /** One line, for the README and the closing note. */
  description: string;
}

/** Severity, owner and a one-line description of every code. */
export const CODE_INFO: Readonly<Record<DiagnosticCode, CodeInfo>> = {
  'invalid-json': { severity: 'error', owner: 'syntax', description: 'The text is not valid JSON at this point.' },
  'invalid-string': { severity: 'error', owner: 'syntax', description: 'Unterminated string, raw control character or invalid escape.' },
  'invalid-number': { severity: 'error', owner: 'syntax', description: 'A number not written as JSON allows (01, 1., +1, .5).' },
  'missing-comma': { severity: 'error', owner: 'syntax', description: 'A comma is missing between two values or properties.' },
  comment: { severity: 'error', owner: 'syntax', description: 'Comments are not allowed: the file is sent as strict JSON.' },
  'trailing-comma': { severity: 'error', owner: 'syntax', description: 'A comma before a closing } or ].' },
  'duplicate-key': { severity: 'error', owner: 'syntax', description: 'A key repeated in the same object (each later occurrence).' },
  bom: { severity: 'warning', owner: 'syntax', description: 'The file starts with a byte order mark; it is never sent.' },
  'empty-file': { severity: 'error', owner: 'payload', description: 'The file is empty.' },
  'root-not-object': { severity: 'error', owner: 'payload', description: 'The root value is not a JSON object.' },
  'nesting-too-deep': { severity: 'error', owner: 'payload', description: 'Objects/arrays nested more than 10,000 levels deep.' },
  'unknown-property': { severity: 'error', owner: 'payload', description: 'Not a field of this API version (with did-you-mean / snake_case fixes).' },
  'wrong-type': { severity: 'error', owner: 'payload', description: 'A value of the wrong JSON type.' },
  'invalid-enum-value': { severity: 'error', owner: 'payload', description: 'A value that is not one of the allowed values (password_hasher).' },
  'unknown-api-version': { severity: 'error', owner: 'payload', description: '$api_version is not a documented Clerk API version.' },
  'password-required': { severity: 'error', owner: 'payload', description: 'skip_password_checks / sign_out_of_other_sessions without password.' },
  'password-too-short': { severity: 'error', owner: 'payload', description: 'password shorter than 8 characters.' },
  'password-hasher-required': { severity: 'error', owner: 'payload', description: 'password_digest without password_hasher.' },
  'password-and-digest': { severity: 'error', owner: 'payload', description: 'password together with password_digest.' },
  'invalid-timestamp': { severity: 'error', owner: 'payload', description: 'created_at / legal_accepted_at not an RFC 3339 date-time.' },
  'invalid-locale': { severity: 'warning', owner: 'payload', description: 'locale is not a BCP-47 language tag.' },
  'negative-limit': { severity: 'error', owner: 'payload', description: 'create_organizations_limit is negative.' },
  'id-prefix-mismatch': { severity: 'warning', owner: 'payload', description: 'An id whose prefix does not fit ($user_id: user_, primary_*_id: idn_).' },
  'username-deletion': { severity: 'warning', owner: 'payload', description: 'username null or "" deletes the username for good.' },
  'metadata-too-large': { severity: 'error', owner: 'payload', description: 'A metadata field over 8 KB (UTF-8, without insignificant whitespace).' },
  'number-does-not-fit': { severity: 'error', owner: 'payload', description: 'A number too large for a double (1e400) or a fraction for an integer field.' },
  'metadata-sent-separately': { severity: 'information', owner: 'payload', description: 'Under 2026-05-12 this metadata field is sent with PUT /v1/users/{id}/metadata.' },
};
