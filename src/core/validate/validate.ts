import type { CoreDiagnostic, QuickFix, Severity } from '../diagnostics';
import type { JsonNode, Located } from '../parse/parser';
import { type AjvError, type FieldInfo, fieldInfo, fieldMap, narrowedTypes, type PayloadKind, reservedKeys, validatorFor } from '../schema';
import { API_VERSIONS, DEFAULT_API_VERSION, METADATA_FIELDS, metadataSentSeparately, type ApiVersion } from '../versions';
import { clip, quote } from '../text/clip';
import { compactUtf8Size } from '../text/utf8';
import { CODE_INFO, DiagnosticCode } from './codes';
import { isBcp47, isRfc3339, suggestLocale } from './formats';
import { suggestField, suggestValue } from './suggest';

/** A diagnostic before its line/character range is computed. */
export type DraftDiagnostic = Omit<CoreDiagnostic, 'range'>;

export interface PayloadContext {
  version: ApiVersion;
  text: string;
  /** False when a syntax error cut the parse short: checks that need the whole object are skipped. */
  complete: boolean;
  /** Numbers that overflow a double, anywhere in the text. */
  hugeNumbers: readonly Located[];
  /** A single file (the default) or a row of a bulk file, which has two more reserved keys. */
  kind?: PayloadKind;
}

/** Metadata is limited to 8 KB per field (UTF-8, as serialized without insignificant whitespace). */
export const METADATA_LIMIT_BYTES = 8 * 1024;
export const MIN_PASSWORD_LENGTH = 8;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

interface Entry {
  prop: JsonNode;
  key: JsonNode;
  value: JsonNode | undefined;
}

export function draft(
  code: DiagnosticCode,
  message: string,
  path: string,
  offset: number,
  length: number,
  fixes?: QuickFix[],
  severity?: Severity,
): DraftDiagnostic {
  const info = CODE_INFO[code];
  const d: DraftDiagnostic = { severity: severity ?? info.severity, code, message, path, offset, length, owner: info.owner };
  if (fixes && fixes.length > 0) d.fixes = fixes;
  return d;
}

function replaceFix(title: string, node: JsonNode, newText: string, preferred = true): QuickFix {
  return { title, edits: [{ offset: node.offset, length: node.length, newText }], preferred };
}

/** `first_name`, `backup_codes[2]`, `public_metadata.plan.tier` */
export function label(pointer: string): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = '';
  for (const p of parts) {
    if (/^\d+$/.test(p) && out !== '') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return '`' + clip(out) + '`';
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  null: 'null',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'an object',
  array: 'an array',
};

function allowedProse(types: readonly string[], items?: string): string {
  const words = types.map((t) => (t === 'array' && items ? `an array of ${items}s` : (ARTICLE[t] ?? t)));
  if (words.length <= 1) return words[0] ?? 'nothing';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function actualProse(node: JsonNode): string {
  switch (node.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return node.value ? '`true`' : '`false`';
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    default:
      return node.type;
  }
}

function isFraction(raw: string): boolean {
  return /[.eE]/.test(raw);
}

/** The value JSON.parse would give, for the shallow data handed to ajv (containers are placeholders). */
function shallowValue(node: JsonNode | undefined, info: FieldInfo | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object':
      return {};
    case 'array': {
      if (!info?.items) return [];
      const kids = node.children ?? [];
      const out = new Array<unknown>(kids.length);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        out[i] = k.type === 'object' ? {} : k.type === 'array' ? [] : k.value;
      }
      return out;
    }
    default:
      return node.value;
  }
}

/**
 * Validates the root object of a *.userupdate.json: the per-version schema (ajv, compiled at build time),
 * then the checks beyond the spec. Each problem once, at its exact range.
 */
export function validatePayload(root: JsonNode, ctx: PayloadContext): DraftDiagnostic[] {
  const out: DraftDiagnostic[] = [];
  const version = ctx.version;
  const props = root.children ?? [];

  const fields = fieldMap(version, ctx.kind);

  // The last occurrence of each key is what Clerk (and JSON.parse) would see.
  const last = new Map<string, Entry>();
  const data: Record<string, unknown> = {};
  let integers: Entry[] | undefined;
  for (let i = 0; i < props.length; i++) {
    const prop = props[i];
    const kids = prop.children as JsonNode[];
    const key = kids[0];
    const value = kids[1];
    const name = key.value as string;
    const entry: Entry = { prop, key, value };
    last.set(name, entry);
    const info = fields.get(name);
    data[name] = shallowValue(value, info);
    if (value !== undefined && value.type === 'number' && info !== undefined && info.types.includes('integer')) (integers ??= []).push(entry);
  }

  // Numbers that do not fit their field: reported by us, so ajv's type error on the same value is dropped.
  const ownPaths = new Set<string>();
  const reportedNumbers = new Set<number>();
  for (const entry of integers ?? []) {
    if (last.get(entry.key.value as string) !== entry) continue; // an earlier duplicate
    const v = entry.value as JsonNode;
    const name = entry.key.value as string;
    const raw = ctx.text.slice(v.offset, v.offset + v.length);
    const path = '/' + name;
    if (!Number.isFinite(v.value)) {
      out.push(draft(DiagnosticCode.NumberDoesNotFit, `${label(path)} must be a whole number; ${clip(raw)} is too large to be represented.`, path, v.offset, v.length));
    } else if (isFraction(raw)) {
      const whole = Number.isInteger(v.value) && Math.abs(v.value) <= Number.MAX_SAFE_INTEGER ? String(v.value) : undefined;
      out.push(
        draft(
          DiagnosticCode.NumberDoesNotFit,
          `${label(path)} must be a whole number, not ${clip(raw)}.`,
          path,
          v.offset,
          v.length,
          whole !== undefined ? [replaceFix(`Write ${whole}`, v, whole)] : undefined,
        ),
      );
    } else if (raw.length > 15 && /^-?\d+$/.test(raw)) {
      const big = BigInt(raw);
      if (big > INT64_MAX || big < INT64_MIN) {
        out.push(draft(DiagnosticCode.NumberDoesNotFit, `${label(path)} is ${clip(raw)}, which does not fit a 64-bit integer.`, path, v.offset, v.length));
      } else {
        continue;
      }
    } else {
      continue; // a malformed number: reported as a syntax problem
    }
    ownPaths.add(path);
    reportedNumbers.add(v.offset);
  }
  for (const huge of ctx.hugeNumbers) {
    if (reportedNumbers.has(huge.offset)) continue;
    const path = huge.path;
    const raw = ctx.text.slice(huge.offset, huge.offset + huge.length);
    out.push(draft(DiagnosticCode.NumberDoesNotFit, `${path ? label(path) : 'This number'} is ${clip(raw)}, too large for a JSON number (it overflows a 64-bit float).`, path, huge.offset, huge.length));
    ownPaths.add(path);
  }

  // The schema (one validator for every version), then the types this version narrows.
  const validate = validatorFor(version, ctx.kind);
  const valid = validate(data);
  const errors = valid ? [] : (validate.errors ?? []);
  if (!valid) schemaErrors(out, errors, props, last, ownPaths, ctx);
  const narrowed = narrowedTypes(version);
  if (narrowed.size > 0) narrowerTypes(out, narrowed, errors, last, ownPaths, ctx);
  checksBeyondSpec(out, last, ctx);
  return out;
}

function schemaErrors(out: DraftDiagnostic[], errors: readonly AjvError[], props: readonly JsonNode[], last: Map<string, Entry>, ownPaths: Set<string>, ctx: PayloadContext): void {
  const version = ctx.version;
  const unknown = new Set<string>();
  const byPath = new Map<string, AjvError>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      unknown.add(String(e.params.additionalProperty));
      continue;
    }
    if (ownPaths.has(e.instancePath)) continue;
    const seen = byPath.get(e.instancePath);
    if (!seen || (seen.keyword !== 'type' && e.keyword === 'type')) byPath.set(e.instancePath, e);
  }

  for (const prop of props) {
    const key = (prop.children as JsonNode[])[0];
    const name = key.value as string;
    if (unknown.has(name)) out.push(unknownProperty(name, key, version, last, ctx.kind));
  }

  for (const [path, e] of byPath) {
    const segments = path.split('/');
    const name = segments[1].replace(/~1/g, '/').replace(/~0/g, '~');
    const entry = last.get(name);
    if (!entry?.value) continue;
    let node: JsonNode = entry.value;
    if (segments.length > 2) node = (node.children ?? [])[Number(segments[2])] ?? node;
    const info = fieldInfo(version, name, ctx.kind);
    if (e.keyword === 'type') {
      const types = segments.length > 2 ? [info?.items ?? String(e.params.type)] : (info?.types ?? String(e.params.type ?? 'valid').split(','));
      out.push(wrongType(path, node, types, segments.length > 2 ? undefined : info?.items, ctx.text));
    } else if (e.keyword === 'enum') {
      const allowed = (info?.enum ?? (e.params.allowedValues as string[] | undefined) ?? []) as readonly string[];
      out.push(badEnumValue(path, name, node, allowed));
    } else {
      out.push(draft(DiagnosticCode.WrongType, `${label(path)} ${e.message ?? 'is not valid'}.`, path, node.offset, node.length));
    }
  }
}

function fitsTypes(node: JsonNode, types: readonly string[]): boolean {
  if (node.type === 'number') return types.includes('number') || (types.includes('integer') && Number.isInteger(node.value));
  return types.includes(node.type);
}

/**
 * Values the common validator accepts but `ctx.version` does not (its schema types the field more narrowly,
 * e.g. metadata, which under 2026-05-12 goes to PUT /v1/users/{id}/metadata and must be an object).
 */
function narrowerTypes(
  out: DraftDiagnostic[],
  narrowed: ReadonlyMap<string, readonly string[]>,
  errors: readonly AjvError[],
  last: Map<string, Entry>,
  ownPaths: Set<string>,
  ctx: PayloadContext,
): void {
  for (const [name, types] of narrowed) {
    const v = last.get(name)?.value;
    if (!v || fitsTypes(v, types)) continue;
    const path = '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
    if (ownPaths.has(path) || errors.some((e) => e.instancePath === path)) continue; // already reported
    if (v.type === 'null' && (METADATA_FIELDS as readonly string[]).includes(name)) {
      out.push(
        draft(
          DiagnosticCode.MetadataNull,
          `\`${name}\` cannot be null under API version ${ctx.version}: it is sent with PUT /v1/users/{id}/metadata, which takes an object. Write {} to clear it, or remove the key to leave it unchanged.`,
          path,
          v.offset,
          v.length,
          [replaceFix(`Write {} (clears \`${name}\`)`, v, '{}')],
        ),
      );
    } else {
      out.push(wrongType(path, v, types, fieldInfo(ctx.version, name)?.items, ctx.text));
    }
  }
}

function unknownProperty(name: string, key: JsonNode, version: ApiVersion, present: Map<string, Entry>, kind?: PayloadKind): DraftDiagnostic {
  const path = '/' + name.replace(/~/g, '~0').replace(/\//g, '~1');
  const suggestion = suggestField(name, version, kind);
  const fixes: QuickFix[] = [];
  if (suggestion && !present.has(suggestion.field)) {
    fixes.push(replaceFix(`Rename to \`${suggestion.field}\``, key, JSON.stringify(suggestion.field)));
  }
  const shown = clip(name);
  let message: string;
  if (suggestion?.kind === 'camelCase') {
    message = `\`${shown}\` is not a field: Clerk's API spells it \`${suggestion.field}\` (snake_case).`;
  } else if (name.startsWith('$')) {
    const keys = reservedKeys(kind).map((k) => `\`${k}\``);
    message = `\`${shown}\` is not a reserved key. The reserved keys are ${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]}.`;
    if (suggestion) message += ` Did you mean \`${suggestion.field}\`?`;
  } else {
    message = `\`${shown}\` is not a field of the user update (API version ${version}); Clerk rejects unknown fields.`;
    if (suggestion) message += ` Did you mean \`${suggestion.field}\`?`;
  }
  return draft(DiagnosticCode.UnknownProperty, message, path, key.offset, key.length, fixes);
}

function wrongType(path: string, node: JsonNode, types: readonly string[], items: string | undefined, text: string): DraftDiagnostic {
  const message = `${label(path)} must be ${allowedProse(types, items)}, not ${actualProse(node)}.`;
  const fixes: QuickFix[] = [];
  const raw = text.slice(node.offset, node.offset + node.length);
  if (node.type === 'string') {
    const s = node.value as string;
    if (types.includes('boolean') && (s === 'true' || s === 'false')) fixes.push(replaceFix(`Write ${s} without quotes`, node, s));
    if (types.includes('null') && s === 'null') fixes.push(replaceFix('Write null without quotes', node, 'null'));
    if ((types.includes('integer') || types.includes('number')) && /^-?(0|[1-9]\d{0,14})$/.test(s)) fixes.push(replaceFix(`Write ${s} without quotes`, node, s));
  } else if ((node.type === 'number' || node.type === 'boolean') && types.includes('string')) {
    fixes.push(replaceFix(`Put ${clip(raw)} in quotes`, node, JSON.stringify(raw)));
  }
  if (node.type === 'string' && types.includes('array') && items === 'string' && fixes.length === 0) {
    fixes.push(replaceFix('Wrap the value in an array', node, `[${raw}]`));
  }
  return draft(DiagnosticCode.WrongType, message, path, node.offset, node.length, fixes);
}

function badEnumValue(path: string, name: string, node: JsonNode, allowed: readonly string[]): DraftDiagnostic {
  const given = quote(node.value);
  if (name === '$api_version') {
    const fixes = [...API_VERSIONS].reverse().map((v) => replaceFix(`Use API version ${v}`, node, JSON.stringify(v), v === DEFAULT_API_VERSION));
    return draft(
      DiagnosticCode.UnknownApiVersion,
      `\`$api_version\` ${given} is not a documented Clerk API version. Use one of ${API_VERSIONS.join(', ')}.`,
      path,
      node.offset,
      node.length,
      fixes,
    );
  }
  const guess = typeof node.value === 'string' ? suggestValue(node.value, allowed) : undefined;
  let message = `${label(path)} must be one of ${allowed.join(', ')}; ${given} is not supported.`;
  if (guess) message += ` Did you mean \`${guess}\`?`;
  return draft(DiagnosticCode.InvalidEnumValue, message, path, node.offset, node.length, guess ? [replaceFix(`Use \`${guess}\``, node, JSON.stringify(guess))] : undefined);
}

const PASSWORD_OPTIONS = ['skip_password_checks', 'sign_out_of_other_sessions'] as const;
const TIMESTAMP_FIELDS = ['created_at', 'legal_accepted_at'] as const;
const ID_PREFIXES: ReadonlyArray<readonly [string, string, string]> = [
  ['$user_id', 'user_', 'a user id'],
  ['primary_email_address_id', 'idn_', 'an email address id'],
  ['primary_phone_number_id', 'idn_', 'a phone number id'],
  ['primary_web3_wallet_id', 'idn_', 'a web3 wallet id'],
];

function present(entry: Entry | undefined): boolean {
  return entry !== undefined && entry.value !== undefined && entry.value.type !== 'null';
}

function checksBeyondSpec(out: DraftDiagnostic[], last: Map<string, Entry>, ctx: PayloadContext): void {
  const text = ctx.text;
  const password = last.get('password');
  const digest = last.get('password_digest');

  if (ctx.complete) {
    // Cross-field checks need the whole object.
    if (!present(password)) {
      for (const name of PASSWORD_OPTIONS) {
        const entry = last.get(name);
        if (present(entry)) {
          out.push(
            draft(DiagnosticCode.PasswordRequired, `\`${name}\` can only be used together with \`password\`; add a \`password\` or remove \`${name}\`.`, '/' + name, entry!.key.offset, entry!.key.length),
          );
        }
      }
    }
    if (present(digest) && !present(last.get('password_hasher'))) {
      out.push(
        draft(DiagnosticCode.PasswordHasherRequired, '`password_digest` needs `password_hasher`: say which algorithm produced the digest (e.g. "bcrypt").', '/password_digest', digest!.key.offset, digest!.key.length),
      );
    }
  }
  if (present(password) && present(digest)) {
    out.push(
      draft(DiagnosticCode.PasswordAndDigest, 'Give either `password` or `password_digest`, not both.', '/password_digest', digest!.key.offset, digest!.key.length),
    );
  }

  const pw = password?.value;
  if (pw && pw.type === 'string') {
    const length = [...(pw.value as string)].length;
    if (length < MIN_PASSWORD_LENGTH) {
      out.push(
        draft(DiagnosticCode.PasswordTooShort, `\`password\` must be at least ${MIN_PASSWORD_LENGTH} characters long; this one has ${length}.`, '/password', pw.offset, pw.length),
      );
    }
  }

  for (const name of TIMESTAMP_FIELDS) {
    const v = last.get(name)?.value;
    if (v && v.type === 'string' && !isRfc3339(v.value as string)) {
      out.push(
        draft(DiagnosticCode.InvalidTimestamp, `\`${name}\` must be an RFC 3339 date-time such as "2012-10-20T07:15:20.902Z", not ${quote(v.value)}.`, '/' + name, v.offset, v.length),
      );
    }
  }

  const locale = last.get('locale')?.value;
  if (locale && locale.type === 'string' && !isBcp47(locale.value as string)) {
    const better = suggestLocale(locale.value as string);
    out.push(
      draft(
        DiagnosticCode.InvalidLocale,
        `\`locale\` should be a BCP-47 language tag such as "en-US" or "fr-FR", not ${quote(locale.value)}.` + (better ? ` Did you mean "${better}"?` : ''),
        '/locale',
        locale.offset,
        locale.length,
        better ? [replaceFix(`Use "${better}"`, locale, JSON.stringify(better))] : undefined,
      ),
    );
  }

  const limit = last.get('create_organizations_limit')?.value;
  if (limit && limit.type === 'number' && Number.isFinite(limit.value) && limit.value < 0) {
    out.push(
      draft(DiagnosticCode.NegativeLimit, '`create_organizations_limit` cannot be negative; use 0 for unlimited or a positive number.', '/create_organizations_limit', limit.offset, limit.length),
    );
  }

  for (const [name, prefix, what] of ID_PREFIXES) {
    const v = last.get(name)?.value;
    if (v && v.type === 'string' && !(v.value as string).startsWith(prefix)) {
      const pointer = '/' + name;
      out.push(
        draft(DiagnosticCode.IdPrefixMismatch, `\`${name}\` should be ${what}, which starts with "${prefix}"; ${quote(v.value)} does not.`, pointer, v.offset, v.length),
      );
    }
  }

  const username = last.get('username')?.value;
  if (username && (username.type === 'null' || (username.type === 'string' && username.value === ''))) {
    out.push(
      draft(
        DiagnosticCode.UsernameDeletion,
        `\`username\` set to ${username.type === 'null' ? 'null' : '""'} removes the user's username for good: Clerk deletes the identification forever.`,
        '/username',
        username.offset,
        username.length,
      ),
    );
  }

  const separately = metadataSentSeparately(ctx.version);
  for (const name of METADATA_FIELDS) {
    const entry = last.get(name);
    if (!entry) continue;
    const v = entry.value;
    if (v && (v.type === 'object' || v.type === 'array' || v.type === 'string')) {
      const size = v.compactSize >= 0 ? v.compactSize : compactUtf8Size(text, v.offset, v.offset + v.length);
      if (size > METADATA_LIMIT_BYTES) {
        out.push(
          draft(
            DiagnosticCode.MetadataTooLarge,
            `\`${name}\` is ${(size / 1024).toFixed(1)} KB (${size} bytes) once serialized; Clerk limits metadata to 8 KB.`,
            '/' + name,
            entry.key.offset,
            entry.key.length,
          ),
        );
      }
    }
    if (separately) {
      out.push(
        draft(
          DiagnosticCode.MetadataSentSeparately,
          `Under API version ${ctx.version}, \`${name}\` is not part of the user update: it is sent after it with PUT /v1/users/{id}/metadata, which replaces the whole \`${name}\` (fields you leave out of the file are untouched).`,
          '/' + name,
          entry.key.offset,
          entry.key.length,
        ),
      );
    }
  }
}
