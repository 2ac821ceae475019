import { deepEqual } from '../payload/equal';
import { isRecord, joinPath, valueAt } from './paths';

/**
 * Deep merge as Clerk's `PATCH /v1/users/{id}/metadata` does: nested objects merge, `null` deletes that key
 * at any level, every other value (arrays included) replaces what was there. Neither argument is changed.
 */
export function mergeMetadata(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (isRecord(v)) out[k] = mergeMetadata(isRecord(out[k]) ? out[k] : {}, v);
    else out[k] = v;
  }
  return out;
}

/**
 * One key a merge touches: where, what it holds now (undefined: absent) and what it holds after (undefined:
 * deleted).
 */
export interface KeyChange {
  /** Dotted key path from the field, e.g. `public_metadata.role`. */
  path: string;
  keys: string[];
  before: unknown;
  after: unknown;
}

/**
 * The keys a merge of `patch` into `current` (the field's value) touches, one per leaf of the patch: a value
 * that is not an object, `null`, an empty object, or an object that lands where the user has something that
 * is not an object (it replaces that whole value). Paths start with `field`.
 */
export function mergeKeyChanges(
  field: string,
  current: unknown,
  patch: Record<string, unknown>,
): KeyChange[] {
  const out: KeyChange[] = [];
  const walk = (keys: string[], here: unknown, node: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(node)) {
      const at = [...keys, k];
      const now = isRecord(here) && Object.prototype.hasOwnProperty.call(here, k) ? here[k] : undefined;
      if (isRecord(v) && Object.keys(v).length > 0 && (now === undefined || isRecord(now))) {
        walk(at, now, v);
        continue;
      }
      const after = v === null ? undefined : isRecord(v) ? mergeMetadata(isRecord(now) ? now : {}, v) : v;
      out.push({ path: joinPath(at), keys: at, before: now, after });
    }
  };
  walk([field], current, patch);
  return out;
}

/** True when the merge changes the key: structural equality, key order ignored. */
export function keyChanges(change: KeyChange): boolean {
  return !deepEqual(change.before, change.after);
}

/**
 * The keys of `before` (the field's value) that replacing it with `after` removes, as paths from `field`
 * (leaves only).
 */
export function droppedKeys(field: string, before: unknown, after: unknown): string[] {
  const out: string[] = [];
  const walk = (keys: string[], was: unknown, now: unknown): void => {
    if (!isRecord(was)) return;
    for (const [k, v] of Object.entries(was)) {
      const at = [...keys, k];
      if (!isRecord(now) || !Object.prototype.hasOwnProperty.call(now, k)) out.push(joinPath(at));
      else if (isRecord(v) && isRecord(now[k])) walk(at, v, now[k]);
    }
  };
  walk([field], before, after);
  return out;
}

/**
 * A merge patch that sets each of `values` (key path → value; undefined or null: delete) inside its field, as
 * the bodies of undo and of CSV dotted columns are built. Keys are the paths' keys below the field.
 */
export function patchOf(
  values: ReadonlyArray<{ keys: readonly string[]; value: unknown }>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const { keys, value } of values) {
    const [field, ...rest] = keys;
    let node: Record<string, unknown> = (out[field] ??= {});
    for (let i = 0; i < rest.length - 1; i++) {
      const next = node[rest[i]];
      node = (isRecord(next) ? next : (node[rest[i]] = {})) as Record<string, unknown>;
    }
    if (rest.length > 0) node[rest[rest.length - 1]] = value === undefined ? null : value;
  }
  return out;
}

export { valueAt };
