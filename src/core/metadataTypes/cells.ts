import { type MetadataField, type MetaType, type MetadataTypes, typeAt, resolve } from './model';
import { METADATA_FIELDS } from './model';

/** What a CSV cell of a dotted metadata column (`public_metadata.seats`) is read as. */
export type CellType = 'string' | 'number' | 'boolean' | 'json' | 'untyped';

/**
 * The declared cell type of a dotted column (`public_metadata.seats` -> 'number'), or 'untyped' when no
 * declaration
 * reaches it (the untyped rule of the CSV reader applies). A union of string literals is a string; of number
 * literals a number; an object, an array or a mixed union is written as JSON.
 */
export function cellTypeFor(types: MetadataTypes | undefined, column: string): CellType {
  if (!types) return 'untyped';
  const [field, ...rest] = column.split('.');
  if (!(METADATA_FIELDS as readonly string[]).includes(field) || rest.length === 0) return 'untyped';
  const t = typeAt(types, field as MetadataField, rest);
  return t ? cellTypeOf(t, types) : 'untyped';
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

/** A cell read under its declared type: the JSON value to write, or why it cannot be read so. */
export type ParsedCell = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * The cell `text` of column `column` as the value its declaration says: `3` is the number 3 in a number
 * column,
 * `true` the boolean in a boolean column, `null` is null everywhere. `three` in a number column is not a
 * number:
 * the message names the column and what it takes. Untyped columns are the caller's rule (undefined).
 */
export function parseCellByDeclaredType(
  types: MetadataTypes | undefined,
  column: string,
  text: string,
): ParsedCell | undefined {
  const type = cellTypeFor(types, column);
  if (type === 'untyped') return undefined;
  const trimmed = text.trim();
  if (trimmed === 'null') return { ok: true, value: null };
  const name = `'${column}'`;
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number': {
      const n = trimmed === '' ? NaN : Number(trimmed);
      return Number.isFinite(n) && /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)
        ? { ok: true, value: n }
        : { ok: false, message: `${name} takes a number (declared), not '${text}'.` };
    }
    case 'boolean':
      if (trimmed === 'true' || trimmed === 'false') return { ok: true, value: trimmed === 'true' };
      return { ok: false, message: `${name} takes true or false (declared), not '${text}'.` };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(trimmed) };
      } catch {
        const what = 'a JSON value (declared as an object, an array or a union)';
        return { ok: false, message: `${name} takes ${what}, not '${text}'.` };
      }
  }
}
