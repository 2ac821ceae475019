import type { QuickFix } from '../diagnostics';
import type { JsonNode } from '../parse/parser';
import { quote } from '../text/clip';
import { toPointer } from '../text/pointer';
import { compactUtf8Size } from '../text/utf8';
import { METADATA_FIELDS, TIMESTAMP_FIELDS, metadataSentSeparately, type ApiVersion } from '../versions';
import { CODE_INFO, DiagnosticCode } from '../codes';
import { draftAt, replaceFix, type DraftDiagnostic } from './draft';
import { isBcp47, isRfc3339, suggestLocale } from './formats';
import type { Entry } from './shape';
import { quoted } from './wording';
import { METADATA_MODE_KEY, type MetadataMode, metadataModeOf } from '../metadata/mode';

/** Metadata is limited to 8 KB per field (UTF-8, as serialized without insignificant whitespace). */
export const METADATA_LIMIT_BYTES = 8 * 1024;
/** Any other string field: the same bound as metadata (no user's name, id or digest comes near it). */
export const STRING_LIMIT_BYTES = 8 * 1024;
/** The update as a whole (every field at its limit is far less): nothing larger is uploaded. */
export const BODY_LIMIT_BYTES = 64 * 1024;
/**
 * A character no Clerk id holds and that would change the request's URL: `/ ? # % \`, whitespace, control
 * characters.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const NOT_IN_ID = /[/?#%\\\s\x00-\x1f\x7f-\x9f]/u;
export const MIN_PASSWORD_LENGTH = 8;

/** Options of a password change: they need a `password` in the same update. */
const PASSWORD_OPTIONS = ['skip_password_checks', 'sign_out_of_other_sessions'] as const;
/** Fields holding an id, the prefix of that kind of id, and what it is. */
const ID_PREFIXES: ReadonlyArray<readonly [string, string, string]> = [
  ['$user_id', 'user_', 'a user id'],
  ['primary_email_address_id', 'idn_', 'an email address id'],
  ['primary_phone_number_id', 'idn_', 'a phone number id'],
  ['primary_web3_wallet_id', 'idn_', 'a web3 wallet id'],
];

/** What the id rules say of `value` in the field `name` (a field of ID_PREFIXES), or undefined. */
function idProblem(name: string, value: string): { code: DiagnosticCode; message: string } | undefined {
  const rule = ID_PREFIXES.find(([field]) => field === name);
  if (!rule) return undefined;
  const [, prefix, what] = rule;
  const bad = NOT_IN_ID.exec(value);
  if (bad)
    return {
      code: DiagnosticCode.InvalidId,
      message:
        `${quoted(name)} cannot be ${what}: ${quote(value)} holds ${describeChar(bad[0])}, ` +
        'which no Clerk id has (ids are letters, digits and underscores).',
    };
  if (!value.startsWith(prefix))
    return {
      code: DiagnosticCode.IdPrefixMismatch,
      message: `${quoted(name)} should be ${what}, which starts with "${prefix}"; ${quote(value)} does not.`,
    };
  return undefined;
}

/** True when the id rules have nothing to say of `value` in the field `name`. */
export function isCleanId(name: string, value: string): boolean {
  return idProblem(name, value) === undefined;
}

export interface RuleContext {
  version: ApiVersion;
  text: string;
  /** False when a syntax error cut the parse short: the cross-field rules are skipped. */
  complete: boolean;
}

const kb = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;

/** "a '/'", "a space", "U+000A (a control character)". */
function describeChar(c: string): string {
  if (c === ' ') return 'a space';
  const code = c.codePointAt(0) ?? 0;
  const unit = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/\s/u.test(c)) return `${unit} (whitespace)`;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `${unit} (a control character)`;
  return `a '${c}'`;
}

function present(entry: Entry | undefined): entry is Entry & { value: JsonNode } {
  return entry !== undefined && entry.value !== undefined && entry.value.type !== 'null';
}

/** A problem at a key or value of the field `name`. */
function at(code: DiagnosticCode, name: string, node: JsonNode, message: string): DraftDiagnostic {
  return draftAt(node, { code, message, path: toPointer([name]) });
}

/**
 * The rules of Clerk's API that its OpenAPI spec does not state, on the last occurrence of each key. The
 * quick check of bulk rows (bulk/format/quickRow.ts) accepts some fields without these: a rule added on one
 * of its QUICK_FIELDS goes there too.
 */
export function checkRules(out: DraftDiagnostic[], last: ReadonlyMap<string, Entry>, ctx: RuleContext): void {
  // Passwords.
  const password = last.get('password');
  const digest = last.get('password_digest');
  if (ctx.complete) {
    // Cross-field rules need the whole object.
    if (!present(password)) {
      for (const name of PASSWORD_OPTIONS) {
        const entry = last.get(name);
        if (present(entry)) {
          out.push(
            at(
              DiagnosticCode.PasswordRequired,
              name,
              entry.key,
              `${quoted(name)} can only be used together with 'password'; add a 'password' or remove ${quoted(name)}.`,
            ),
          );
        }
      }
    }
    if (present(digest) && !present(last.get('password_hasher'))) {
      out.push(
        at(
          DiagnosticCode.PasswordHasherRequired,
          'password_digest',
          digest.key,
          `'password_digest' needs 'password_hasher': say which algorithm produced the digest (e.g. "bcrypt").`,
        ),
      );
    }
  }
  if (present(password) && present(digest)) {
    out.push(
      at(
        DiagnosticCode.PasswordAndDigest,
        'password_digest',
        digest.key,
        `Give either 'password' or 'password_digest', not both.`,
      ),
    );
  }
  const pw = password?.value;
  if (pw && pw.type === 'string') {
    const length = [...(pw.value as string)].length;
    if (length < MIN_PASSWORD_LENGTH) {
      out.push(
        at(
          DiagnosticCode.PasswordTooShort,
          'password',
          pw,
          `'password' must be at least ${MIN_PASSWORD_LENGTH} characters long; this one has ${length}.`,
        ),
      );
    }
  }

  // Values of one field.
  for (const name of TIMESTAMP_FIELDS) {
    const v = last.get(name)?.value;
    if (v && v.type === 'string' && !isRfc3339(v.value as string)) {
      out.push(
        at(
          DiagnosticCode.InvalidTimestamp,
          name,
          v,
          `${quoted(name)} must be an RFC 3339 date-time such as "2012-10-20T07:15:20.902Z", not ${quote(v.value)}.`,
        ),
      );
    }
  }

  const locale = last.get('locale')?.value;
  if (locale && locale.type === 'string' && !isBcp47(locale.value as string)) {
    const better = suggestLocale(locale.value as string);
    out.push(
      draftAt(locale, {
        code: DiagnosticCode.InvalidLocale,
        message:
          `'locale' should be a BCP-47 language tag such as "en-US" or "fr-FR", not ${quote(locale.value)}.` +
          (better ? ` Did you mean "${better}"?` : ''),
        path: toPointer(['locale']),
        fixes: better ? [replaceFix(`Use "${better}"`, locale, JSON.stringify(better))] : undefined,
      }),
    );
  }

  const limit = last.get('create_organizations_limit')?.value;
  if (limit && limit.type === 'number' && Number.isFinite(limit.value) && limit.value < 0) {
    out.push(
      at(
        DiagnosticCode.NegativeLimit,
        'create_organizations_limit',
        limit,
        `'create_organizations_limit' cannot be negative; use 0 for unlimited or a positive number.`,
      ),
    );
  }

  for (const [name] of ID_PREFIXES) {
    const v = last.get(name)?.value;
    const problem = v && v.type === 'string' ? idProblem(name, v.value as string) : undefined;
    if (v && problem) out.push(at(problem.code, name, v, problem.message));
  }

  const username = last.get('username')?.value;
  if (username && (username.type === 'null' || (username.type === 'string' && username.value === ''))) {
    out.push(
      at(
        DiagnosticCode.UsernameDeletion,
        'username',
        username,
        `'username' set to ${username.type === 'null' ? 'null' : '""'} removes the user's username for good: Clerk deletes the identification forever.`,
      ),
    );
  }

  // Sizes: every string field, and the update as a whole (metadata has its own bound, below).
  const metadata = METADATA_FIELDS as readonly string[];
  for (const [name, entry] of last) {
    const v = entry.value;
    if (!v || v.type !== 'string' || metadata.includes(name)) continue;
    const size =
      v.compactSize >= 0 ? v.compactSize : compactUtf8Size(ctx.text, v.offset, v.offset + v.length);
    if (size > STRING_LIMIT_BYTES) {
      const why = `${quoted(name)} is ${kb(size)} (${size} bytes); a string field is at most 8 KB, so it is not sent.`;
      out.push(at(DiagnosticCode.ValueTooLarge, name, v, why));
    }
  }
  // Metadata: its size, and how it is sent.
  const separately = metadataSentSeparately(ctx.version);
  const modeEntry = last.get(METADATA_MODE_KEY);
  const mode = metadataModeOf(modeEntry?.value?.value);
  for (const name of METADATA_FIELDS) {
    const entry = last.get(name);
    if (!entry) continue;
    const v = entry.value;
    if (v && (v.type === 'object' || v.type === 'array' || v.type === 'string')) {
      // The parser measures the root's values as it reads them; a value built later is measured here.
      const size =
        v.compactSize >= 0 ? v.compactSize : compactUtf8Size(ctx.text, v.offset, v.offset + v.length);
      if (size > METADATA_LIMIT_BYTES) {
        out.push(
          at(
            DiagnosticCode.MetadataTooLarge,
            name,
            entry.key,
            `${quoted(name)} is ${(size / 1024).toFixed(1)} KB (${size} bytes) once serialized; Clerk limits metadata to 8 KB.`,
          ),
        );
      }
    }
    out.push(metadataModeNote(name, entry.key, mode, separately, modeEntry, ctx.text));
  }
  // The update as a whole, once nothing else blocks it (every field within its bound can still add up).
  const blocked = out.some((d) => CODE_INFO[d.code as DiagnosticCode]?.severity === 'error');
  const root = last.values().next().value?.key.parent?.parent;
  const body = root ? compactUtf8Size(ctx.text, root.offset, root.offset + root.length) : 0;
  if (ctx.complete && !blocked && root && body > BODY_LIMIT_BYTES) {
    const message = `The update is ${kb(body)} (${body} bytes); at most 64 KB is sent (metadata alone is at most 8 KB a field).`;
    out.push(draftAt(root, { code: DiagnosticCode.ValueTooLarge, message, path: '' }));
  }
}

/**
 * What a metadata field does when sent, by the file's `$metadata` mode: said on its key (hover shows it
 * too).
 */
export function metadataModeMessage(name: string, mode: MetadataMode, separately: boolean): string {
  if (mode === 'merge') {
    return `${quoted(name)} is merged into the user's ${name} (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.`;
  }
  const how = separately
    ? 'with PUT /v1/users/{id}/metadata, after the user update'
    : 'in the PATCH /v1/users/{id} body';
  return `${quoted(name)} replaces the user's whole ${name} (${how}, "$metadata": "replace"); keys not given are removed.`;
}

/** The information on a metadata key (its span, with the quotes), and the fix that switches the mode. */
export function metadataModeNote(
  name: string,
  key: { offset: number; length: number },
  mode: MetadataMode,
  separately: boolean,
  modeEntry: Entry | undefined,
  text: string,
): DraftDiagnostic {
  const other: MetadataMode = mode === 'merge' ? 'replace' : 'merge';
  return draftAt(key, {
    code: DiagnosticCode.MetadataMode,
    message: metadataModeMessage(name, mode, separately),
    path: toPointer([name]),
    fixes: [metadataModeFix(other, key, modeEntry?.value, text)],
  });
}

/**
 * The quick fix that switches a file to `mode`: it rewrites the `$metadata` value when there is one
 * (`modeValue`), else adds `"$metadata"` before the metadata key `key`, on a line of its own when the key
 * starts its line.
 */
export function metadataModeFix(
  mode: MetadataMode,
  key: { offset: number },
  modeValue: { offset: number; length: number } | undefined,
  text: string,
): QuickFix {
  const title =
    mode === 'replace'
      ? `Replace the whole metadata fields instead ("$metadata": "replace")`
      : `Merge the metadata keys instead ("$metadata": "merge")`;
  if (modeValue) return replaceFix(title, modeValue, JSON.stringify(mode), false);
  const lineStart = text.lastIndexOf('\n', key.offset - 1) + 1;
  const indent = text.slice(lineStart, key.offset);
  const sep = /^[ \t]*$/.test(indent) ? `,\n${indent}` : ', ';
  return replaceFix(
    title,
    { offset: key.offset, length: 0 },
    `"$metadata": ${JSON.stringify(mode)}${sep}`,
    false,
  );
}
