import type { DiagnosticCode } from '../codes';

/**
 * One line per diagnostic code, for the README, the closing note and `validate --help`-like listings.
 * Kept apart from ./codes so the extension bundle does not carry them.
 */
export const CODE_DESCRIPTIONS: Readonly<Record<DiagnosticCode, string>> = {
  'invalid-json': 'The text is not valid JSON at this point.',
  'invalid-string': 'Unterminated string, raw control character or invalid escape.',
  'invalid-number': 'A number not written as JSON allows (01, 1., +1, .5).',
  'missing-comma': 'A comma is missing between two values or properties.',
  comment: 'Comments are not allowed: the file is sent as strict JSON.',
  'trailing-comma': 'A comma before a closing } or ].',
  'duplicate-key': 'A key repeated in the same object (each later occurrence).',
  bom: 'The file starts with a byte order mark; it is never sent.',
  'empty-file': 'The file is empty.',
  'root-not-object': 'The root value is not a JSON object.',
  'nesting-too-deep': 'Objects/arrays nested more than 512 levels deep.',
  'unknown-property': 'Not a field of this API version (with did-you-mean / snake_case fixes).',
  'wrong-type': 'A value of the wrong JSON type.',
  'invalid-enum-value': 'A value that is not one of the allowed values (password_hasher).',
  'unknown-api-version': '$api_version is not a documented Clerk API version.',
  'password-required': 'skip_password_checks / sign_out_of_other_sessions without password.',
  'password-too-short': 'password shorter than 8 characters.',
  'password-hasher-required': 'password_digest without password_hasher.',
  'password-and-digest': 'password together with password_digest.',
  'invalid-timestamp': 'created_at / legal_accepted_at not an RFC 3339 date-time.',
  'invalid-locale': 'locale is not a BCP-47 language tag.',
  'negative-limit': 'create_organizations_limit is negative.',
  'id-prefix-mismatch': 'An id whose prefix does not fit ($user_id: user_, primary_*_id: idn_).',
  'username-deletion': 'username null or "" deletes the username for good.',
  'metadata-too-large': 'A metadata field over 8 KB (UTF-8, without insignificant whitespace).',
  'number-does-not-fit': 'A number too large for a double (1e400) or a fraction for an integer field.',
  'metadata-sent-separately': 'No longer reported: see metadata-mode.',
  'metadata-key-column':
    '(bulk CSV) A dotted column (public_metadata.role) with a whole-field column of the same field, or in a row with "$metadata": "replace".',
  'metadata-mode':
    'How a metadata field is sent: merged (PATCH /v1/users/{id}/metadata, the default) or replaced whole ("$metadata": "replace").',
  'metadata-keys-dropped':
    '(editor) A "$metadata": "replace" that would drop keys the user has now, as of the last read of the user (a preview, a send), with a fix that merges instead.',
  'metadata-null':
    'Under 2026-05-12 a metadata field cannot be null (PUT /metadata takes an object; {} clears it).',
  'unpaired-surrogate':
    'A string holds an unpaired surrogate: not valid Unicode, it would be sent as U+FFFD.',
  'invalid-id': 'An id with a character no Clerk id has (/, ?, #, %, whitespace, a control character).',
  'value-too-large': 'A string field over 8 KB, or the whole update over 64 KB (UTF-8).',
  'invalid-encoding': 'Bytes that are not UTF-8 (e.g. Latin-1): they would be sent as U+FFFD.',
  'missing-target':
    '(bulk) A row names no user (none of $user_id, $external_id, $email, or an empty one), or a CSV header has no target column.',
  'several-targets': '(bulk) A row names its user more than once (each target after the first).',
  'duplicate-target':
    '(bulk) A row targets the same user as an earlier row: the order of the two would matter.',
  'invalid-email': '(bulk) $email does not look like an email address.',
  'secret-in-bulk-file':
    '(bulk) password, password_digest, totp_secret or backup_codes without allowSecrets.',
  'mixed-api-versions': "(bulk) A row whose API version differs from the first row's.",
  'invalid-csv':
    '(bulk) Not valid CSV: a stray or unclosed quote, or a row whose cell count differs from the header.',
  'metadata-type-mismatch':
    "(typed) A metadata value the team's UserPublicMetadata… declaration does not allow.",
  'metadata-required-key': '(typed) A required metadata key set to null in a merge, or missing in a replace.',
  'metadata-key-typo': '(typed) An undeclared metadata key close to a declared one (did-you-mean fix).',
  'metadata-type-unchecked':
    '(typed) A metadata key whose declared type is not checked: any value is accepted.',
};
