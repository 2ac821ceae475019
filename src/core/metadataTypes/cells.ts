import type { Result } from '../result';
import { clip } from '../text/clip';
import { splitPath } from '../metadata/paths';
import { typeText } from './assist';
import {
  INTERFACE_OF,
  METADATA_FIELDS,
  type MetadataField,
  type MetaType,
  type MetadataTypes,
  propAt,
  resolve,
  typeAt,
} from './model';

/** What a CSV cell of a dotted metadata column (`public_metadata.seats`) is read as. */
export type CellType = 'string' | 'number' | 'boolean' | 'json' | 'untyped';

/**
 * A dotted column whose key a declaration reaches, with what its cells are read as and what a message about
 * a cell that cannot be read so names: the interface, the key below the field, the declared type.
 */
export interface DeclaredColumn {
  type: 'string' | 'number' | 'boolean';
  /** 'UserPublicMetadata'. */
  interfaceName: string;
  /** The key below the field ('seats', 'onboarding.step'). */
  key: string;
  /** The declared type as TypeScript writes it ('number', '1 | 2 | 3', 'Tier (1 | 2 | 3)'). */
  declared: string;
}

/**
 * The declared cell type of a dotted column (`public_metadata.seats` -> 'number'), or 'untyped' when no
 * declaration reaches it (the untyped rule of the CSV reader applies). A union of string literals is a
 * string; of number literals a number; an object, an array or a mixed union is written as JSON.
 */
export function cellTypeFor(types: MetadataTypes | undefined, column: string): CellType {
  const at = declaredAt(types, column);
  return at ? cellTypeOf(at.type, at.types) : 'untyped';
}

/**
 * The dotted column `column` as its declaration reads it, or undefined when its cells are read by the untyped
 * rule: no declaration reaches the key, or it is declared as JSON (an object, an array, a mixed union), which
 * the untyped rule already reads, the value then being checked against the declaration like any other.
 */
export function declaredColumn(types: MetadataTypes | undefined, column: string): DeclaredColumn | undefined {
  const at = declaredAt(types, column);
  if (!at) return undefined;
  const type = cellTypeOf(at.type, at.types);
  if (type !== 'string' && type !== 'number' && type !== 'boolean') return undefined;
  // As written ('Tier'), and what a name stands for ('Tier (1 | 2 | 3)').
  const written = propAt(at.types, at.field, at.keys)?.type ?? at.type;
  const resolved = typeText(at.type, at.types);
  const named = typeText(written, at.types);
  return {
    type,
    interfaceName: INTERFACE_OF[at.field],
    key: at.keys.join('.'),
    declared: named === resolved ? named : `${named} (${resolved})`,
  };
}

function declaredAt(
  types: MetadataTypes | undefined,
  column: string,
): { types: MetadataTypes; field: MetadataField; keys: string[]; type: MetaType } | undefined {
  if (!types) return undefined;
  const [field, ...keys] = splitPath(column);
  if (!(METADATA_FIELDS as readonly string[]).includes(field) || keys.length === 0) return undefined;
  const type = typeAt(types, field as MetadataField, keys);
  return type && { types, field: field as MetadataField, keys, type };
}

function cellTypeOf(type: MetaType, types: MetadataTypes): CellType {
  const t = resolve(type, types);
  switch (t.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return t.kind;
    case 'literal':
      return typeof t.value as 'string' | 'number' | 'boolean';
    case 'union': {
      // `null` members do not decide: an empty cell is no value, and 'null' is read as null for any type.
      const kinds = new Set(
        t.types.filter((m) => resolve(m, types).kind !== 'null').map((m) => cellTypeOf(m, types)),
      );
      return kinds.size === 1 ? [...kinds][0] : 'json';
    }
    case 'object':
    case 'array':
      return 'json';
    default:
      return 'untyped';
  }
}

/** A number as a cell may write it: JSON's, and also `007`, `3.` and `.5`. */
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * A cell's `text` read as the JSON its column's declaration says: `3` is the number 3 in a number column,
 * `true` (any case, as spreadsheets write it) the boolean in a boolean column, and any text is itself in a
 * string column (`3` stays "3"; `"3"`, as an export writes it, is "3" too). The bare word `null` is null in
 * every column (it deletes the key). Text that is not of the declared type is an error that says what the
 * cell holds and what is declared: "'three' is not a number: UserPublicMetadata declares 'seats' as number."
 */
export function readDeclaredCell(column: DeclaredColumn, text: string): Result<{ json: string }> {
  if (text === 'null') return { ok: true, json: 'null' };
  switch (column.type) {
    case 'string':
      return { ok: true, json: JSON.stringify(quotedString(text) ?? text) };
    case 'number': {
      const trimmed = text.trim();
      if (JSON_NUMBER.test(trimmed)) return { ok: true, json: trimmed };
      const n = Number(trimmed);
      if (NUMBER.test(trimmed) && Number.isFinite(n)) return { ok: true, json: String(n) };
      return { ok: false, message: notDeclared(text, 'a number', column) };
    }
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === 'false') return { ok: true, json: lower };
      return { ok: false, message: notDeclared(text, 'true or false', column) };
    }
  }
}

/**
 * The string a cell spells as a JSON string ("3", "null"): what an export writes for a string that would
 * otherwise read as another value, so it reads back the same under a declared string type too.
 */
function quotedString(text: string): string | undefined {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function notDeclared(text: string, what: string, column: DeclaredColumn): string {
  return `'${clip(text)}' is not ${what}: ${column.interfaceName} declares '${clip(column.key)}' as ${clip(column.declared, 60)}.`;
}

/** A cell read under its declared type: the JSON value to write, or why it cannot be read so. */
export type ParsedCell = Result<{ value: unknown }>;

/**
 * The cell `text` of column `column` as the value its declaration says (see readDeclaredCell), or undefined
 * for a column the untyped rule reads (see declaredColumn).
 */
export function parseCellByDeclaredType(
  types: MetadataTypes | undefined,
  column: string,
  text: string,
): ParsedCell | undefined {
  const declared = declaredColumn(types, column);
  if (!declared) return undefined;
  const read = readDeclaredCell(declared, text);
  return read.ok ? { ok: true, value: JSON.parse(read.json) as unknown } : read;
}
