import type { ClerkUser } from '../../clerk/types';
import { isRecord, joinPath, valueAt } from '../../metadata/paths';
import { METADATA_FIELDS } from '../../versions';
import { keyPathValue } from '../format/cells';

/*
 * A CSV export with one column per metadata key path (`public_metadata.role`,
 * `private_metadata.billing.plan`): the dotted columns of src/core/bulk/format/cells.ts, so that a row
 * sent back merges its keys one by one and an edited cell changes that key only. Each cell is written
 * so that reading it gives the value back: an empty cell for a key the user lacks (unchanged), JSON for
 * anything that is not a string, and a string as itself unless that would read as something else
 * (`"true"`, `"3"`, `"null"`, `""` are written quoted as JSON strings).
 */

/**
 * The key paths of a user's metadata that can hold a column: each leaf (a value that is not an object,
 * arrays included) at any depth, each key one element. Left out: keys holding `null` (a `null` cell would
 * delete them) and empty objects (a merge of `{}` changes nothing). A key that is the empty string cannot
 * be a column's segment: the object holding it is a leaf instead (written as JSON), or, directly below the
 * field, the key is left out.
 */
export function metadataKeyPaths(user: ClerkUser): string[][] {
  const out: string[][] = [];
  const walk = (keys: string[], node: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(node)) {
      if (key === '') {
        if (keys.length > 1) out.push(keys);
        continue;
      }
      const at = [...keys, key];
      if (value === null || value === undefined) continue;
      if (isRecord(value)) {
        if (Object.keys(value).length > 0) walk(at, value);
      } else out.push(at);
    }
  };
  for (const field of METADATA_FIELDS) {
    const value = user[field];
    if (isRecord(value)) walk([field], value);
  }
  return out;
}

/** Key by key, in code unit order; a path sorts before the paths below it. */
function comparePaths(a: readonly string[], b: readonly string[]): number {
  const fields: readonly string[] = METADATA_FIELDS;
  const fieldOrder = fields.indexOf(a[0]) - fields.indexOf(b[0]);
  if (fieldOrder !== 0) return fieldOrder;
  for (let i = 1; i < a.length && i < b.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return a.length - b.length;
}

/** The metadata columns of an export: the key paths of the users seen, gathered one user at a time. */
export class MetadataColumns {
  private readonly paths = new Map<string, string[]>();

  add(user: ClerkUser): void {
    for (const keys of metadataKeyPaths(user)) {
      const name = joinPath(keys);
      if (!this.paths.has(name)) this.paths.set(name, keys);
    }
  }

  /**
   * The columns, by field (public, private, unsafe) then key by key in code unit order. A path that is a
   * leaf for one user and an object for another (`billing` is "none" here, `{"plan": "pro"}` there) is one
   * column, the shorter: a row could not give both, and a cell of JSON merges into the object all the same.
   */
  columns(): string[][] {
    const sorted = [...this.paths.values()].sort(comparePaths);
    const out: string[][] = [];
    for (const keys of sorted) {
      const last = out[out.length - 1];
      if (last && last.length < keys.length && last.every((k, i) => k === keys[i])) continue;
      out.push(keys);
    }
    return out;
  }
}

/** A value without the object keys that hold `null` (at any depth; arrays are values, kept whole). */
function withoutNulls(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out;
}

/**
 * The cell of a metadata column for a value (undefined: the user lacks the key), before the CSV line
 * neutralises formulas. Reading it back (`dottedCellValue`) gives the same value: empty for absent or `null`
 * (left unchanged, never deleted); a string as itself when it reads back as that string, else as a JSON
 * string; anything else as its JSON (an object without the keys that hold `null`, which would delete them).
 */
export function metadataCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') {
    const read = keyPathValue(value);
    return value !== '' && !read.raw && read.json === JSON.stringify(value) ? value : JSON.stringify(value);
  }
  const json = JSON.stringify(withoutNulls(value));
  return json === '{}' ? '' : json;
}

/** The cells of a user's row under `columns` (from `MetadataColumns.columns()`). */
export function metadataCells(
  metadata: Readonly<Record<string, unknown>>,
  columns: readonly (readonly string[])[],
): string[] {
  return columns.map(([field, ...keys]) => metadataCell(valueAt(metadata[field], keys)));
}
