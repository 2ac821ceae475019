import { conforms } from '../../metadataTypes/conforms';
import type { MetadataField, MetadataTypes } from '../../metadataTypes/model';
import { schemaFor } from '../../schema';
import { type DraftDiagnostic } from '../../validate/draft';
import { isBcp47, isRfc3339 } from '../../validate/formats';
import { METADATA_LIMIT_BYTES, isCleanId, metadataModeNote } from '../../validate/rules';
import { type ApiVersion, METADATA_FIELDS, metadataSentSeparately, TIMESTAMP_FIELDS } from '../../versions';
import { EMAIL, KIND_OF_KEY, type RowChecks } from './rowChecks';
import { type BulkOptions, TARGET_KEYS, type TargetKind } from './types';

/**
 * The fields a quick row may have besides its target, with what the full pipeline checks beyond the schema
 * (a row with any other key takes the full pipeline). Each of these is checked here with the same functions
 * as there; a rule added to one of them in validate/rules.ts must be added here, or the field taken out.
 */
const PLAIN = 0;
const NAMED = 1;
const TIMESTAMP = 2;
const LOCALE = 3;
const METADATA = 4;
const QUICK_FIELDS: ReadonlyMap<string, number> = new Map([
  ['external_id', PLAIN],
  ['first_name', PLAIN],
  ['last_name', PLAIN],
  ['profile_image_id', PLAIN],
  ['notify_primary_email_address_changed', PLAIN],
  ['delete_self_enabled', PLAIN],
  ['create_organization_enabled', PLAIN],
  ['skip_legal_checks', PLAIN],
  ['bypass_client_trust', PLAIN],
  // null or "" deletes the username: the full pipeline warns.
  ['username', NAMED],
  ...TIMESTAMP_FIELDS.map((name) => [name, TIMESTAMP] as const),
  ['locale', LOCALE],
  ...METADATA_FIELDS.map((name) => [name, METADATA] as const),
]);
/**
 * A row no longer than this cannot reach a size bound: a UTF-16 unit is at most 3 bytes of UTF-8, and the
 * smallest bound (a string field, a metadata field) is 8 KB.
 */
export const MOST_UNITS = Math.floor(METADATA_LIMIT_BYTES / 3);
/** Far below the parser's nesting limit. */
const MOST_DEPTH = 64;
/** A surrogate without its other half. */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The checks of the common bulk row without the offset parser: a strict JSON object with no backslash, one
 * target, and only fields of QUICK_FIELDS with values they accept (metadata that conforms to its
 * declaration). Gives exactly what the full pipeline (analyzeDocument, then checkRow) gives such a row: no
 * problem, and the metadata notes; for any other row, undefined, and the full pipeline checks it. With no
 * backslash, a quote always opens or closes a string, so keys and values are found in the text by their
 * quotes.
 */
export function quickRowChecks(text: string, options: BulkOptions): RowChecks | undefined {
  if (text.length > MOST_UNITS || text.indexOf('\\') !== -1) return undefined;
  if (LONE_SURROGATE.test(text)) return undefined;
  let row: Json;
  try {
    row = JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return undefined;
  const fields = quickFields(row, options.defaultApiVersion, options.metadataTypes);
  if (!fields) return undefined;
  const { targetKind, metadata } = fields;
  // Every key once: JSON.parse keeps the last of two, the parser reports the first. A key given twice is a
  // string more in the text than in the value.
  if (countQuotes(text) !== 2 * fields.strings) return undefined;

  const targetName = TARGET_KEYS[targetKind];
  const targetKey = keyAt(text, targetName);
  if (targetKey < 0) return undefined;
  const targetValue = row[targetName] as string;
  const valueAt = valueStart(text, targetKey + targetName.length + 2);
  if (valueAt < 0) return undefined;
  const drafts: DraftDiagnostic[] = [];
  if (metadata) {
    const separately = metadataSentSeparately(options.defaultApiVersion);
    for (const name of METADATA_FIELDS) {
      if (!metadata.includes(name)) continue;
      const at = keyAt(text, name);
      if (at < 0) return undefined;
      drafts.push(
        metadataModeNote(name, { offset: at, length: name.length + 2 }, 'merge', separately, undefined, text),
      );
    }
  }
  return {
    drafts,
    target: { kind: targetKind, value: targetValue },
    targetSpan: { offset: valueAt, length: targetValue.length + 2 },
    namesApiVersion: false,
  };
}

/** What quickFields found in a row. */
export interface QuickFields {
  targetKind: TargetKind;
  /** The metadata fields the row has, in the row's order. */
  metadata: string[] | undefined;
  /** The row's keys and string values, with those inside its metadata. */
  strings: number;
  /** The keys and string values inside its metadata. */
  metadataStrings: number;
}

/**
 * The checks of a quick row on its value: one target the full pipeline takes without a word, and only fields
 * of QUICK_FIELDS with values they accept, by the schema of `version` (metadata that conforms to its
 * declaration); undefined for any other row.
 */
export function quickFields(
  row: { [key: string]: Json },
  version: ApiVersion,
  metadataTypes: MetadataTypes | undefined,
): QuickFields | undefined {
  const schema = schemaFor(version, 'row');
  const data: Record<string, unknown> = {};
  let targetKind: TargetKind | undefined;
  let strings = 0;
  let metadataStrings = 0;
  let metadata: string[] | undefined;
  for (const name in row) {
    strings++;
    const value = row[name];
    const kind = KIND_OF_KEY.get(name);
    if (kind) {
      if (targetKind || typeof value !== 'string' || !isTarget(kind, value)) return undefined;
      targetKind = kind;
      strings++;
      data[name] = value;
      continue;
    }
    const field = QUICK_FIELDS.get(name);
    if (field === undefined) return undefined;
    if (field === METADATA) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      const counted = countStrings(value, 1);
      if (counted < 0) return undefined;
      // Declared metadata that JSON.parse's value conforms to: what the full pipeline's typed checks accept
      // without a word (metadataTypes/checkFields.ts).
      const declared = metadataTypes?.fields[name as MetadataField];
      if (declared && !conforms(value, declared, metadataTypes!, 'merge')) return undefined;
      strings += counted;
      metadataStrings += counted;
      (metadata ??= []).push(name);
      data[name] = {};
      continue;
    }
    if (typeof value === 'string') {
      strings++;
      if (field === NAMED && value === '') return undefined;
      if (field === TIMESTAMP && !isRfc3339(value)) return undefined;
      if (field === LOCALE && !isBcp47(value)) return undefined;
    } else if (value === null) {
      if (field === NAMED) return undefined;
    } else if (typeof value === 'object' || (typeof value === 'number' && !Number.isFinite(value))) {
      return undefined;
    }
    data[name] = value;
  }
  if (!targetKind) return undefined;
  for (const [name, types] of schema.narrowed) {
    const value = data[name];
    if (value !== undefined && !types.includes(value === null ? 'null' : typeof value)) return undefined;
  }
  if (!schema.validate(data)) return undefined;
  return { targetKind, metadata, strings, metadataStrings };
}

/** True for a column or key a quick row may have: a target, or a field of QUICK_FIELDS. */
export function isQuickKey(name: string): boolean {
  return KIND_OF_KEY.has(name) || QUICK_FIELDS.has(name);
}

/** A target the full pipeline takes without a word: not empty, an id that looks like one, an address. */
function isTarget(kind: TargetKind, value: string): boolean {
  if (value === '') return false;
  if (kind === 'user_id') return isCleanId(TARGET_KEYS.user_id, value);
  if (kind === 'email') return EMAIL.test(value);
  return true;
}

/**
 * The keys and string values of a metadata value and everything in it, or -1 when it nests too deep for a
 * quick row or holds a number too large for a double (the parser reports it).
 */
function countStrings(value: Json, depth: number): number {
  if (typeof value === 'string') return 1;
  if (typeof value === 'number') return Number.isFinite(value) ? 0 : -1;
  if (typeof value !== 'object' || value === null) return 0;
  if (depth > MOST_DEPTH) return -1;
  let strings = 0;
  if (Array.isArray(value)) {
    for (const item of value) {
      const n = countStrings(item, depth + 1);
      if (n < 0) return -1;
      strings += n;
    }
    return strings;
  }
  for (const name in value) {
    const n = countStrings(value[name], depth + 1);
    if (n < 0) return -1;
    strings += n + 1;
  }
  return strings;
}

export function countQuotes(text: string): number {
  let n = 0;
  for (let at = text.indexOf('"'); at !== -1; at = text.indexOf('"', at + 1)) n++;
  return n;
}

/** The offset of the quote that opens the key `name`, or -1 unless it is a key exactly once in the text. */
function keyAt(text: string, name: string): number {
  const quoted = `"${name}"`;
  let found = -1;
  for (let at = text.indexOf(quoted); at !== -1; at = text.indexOf(quoted, at + 1)) {
    if (text.charCodeAt(skipSpace(text, at + quoted.length)) !== 58 /* : */) continue;
    if (found !== -1) return -1;
    found = at;
  }
  return found;
}

/** Where the string value after the key ending before `from` starts, or -1. */
function valueStart(text: string, from: number): number {
  const colon = skipSpace(text, from);
  if (text.charCodeAt(colon) !== 58) return -1;
  const at = skipSpace(text, colon + 1);
  return text.charCodeAt(at) === 34 /* " */ ? at : -1;
}

function skipSpace(text: string, from: number): number {
  let at = from;
  for (;;) {
    const c = text.charCodeAt(at);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return at;
    at++;
  }
}
