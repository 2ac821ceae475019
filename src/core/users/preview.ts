import type { ClerkUser } from '../clerk/types';
import { isReservedKey } from '../payload/plan';
import { type ApiVersion, METADATA_FIELDS, SECRET_FIELDS, TIMESTAMP_FIELDS } from '../versions';
import { OPTION_FIELDS, currentValue, editableFields } from './editable';
import { deepEqual } from '../payload/equal';
import { type MetadataMode, isMetadataField } from '../metadata/mode';
import { mergeKeyChanges, mergeMetadata } from '../metadata/merge';
import { isKeyPath, isRecord, splitPath, valueAt } from '../metadata/paths';

/** Shown instead of secret values. */
export const WILL_BE_SET = '(will be set)';
export const WILL_BE_CLEARED = '(will be cleared)';

/** What a send does to one field. */
export interface FieldChange {
  /** A field, or a key path inside a metadata field that a merge touches (`public_metadata.role`). */
  field: string;
  /**
   * - `set`: gets a new value; `cleared`: becomes null/empty; `unchanged`: same value as now;
   * - `secret`: a write-only secret (`password`, `password_digest`, `totp_secret`,
   *   `backup_codes`) or `profile_image_id`; values are never shown;
   * - `option`: an instruction for this request (`skip_password_checks`, …), not user state.
   */
  change: 'set' | 'cleared' | 'unchanged' | 'secret' | 'option';
  /** Current value (secrets: "(set)"/"(not set)"; a key path: undefined when the key is absent). */
  before: unknown;
  /**
   * Value after the send (secrets: "(will be set)"/"(will be cleared)"; a key path: undefined when deleted).
   */
  after: unknown;
}

export interface UpdatePreview {
  /** Current editable fields (plus timestamps and secrets the payload touches). */
  before: Record<string, unknown>;
  /** The same fields after the send, computed locally. */
  after: Record<string, unknown>;
  /** One entry per payload field, in payload order. */
  changes: FieldChange[];
  /** `before` as pretty JSON (left side of the diff editor), made when read. */
  readonly beforeText: string;
  /** `after` as pretty JSON (right side), made when read. */
  readonly afterText: string;
}

function isSecret(field: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(field);
}

function secretState(user: ClerkUser, field: string): string {
  const enabled =
    field === 'totp_secret'
      ? user.totp_enabled
      : field === 'backup_codes'
        ? user.backup_code_enabled
        : field === 'profile_image_id'
          ? user.has_image
          : user.password_enabled;
  return enabled ? '(set)' : '(not set)';
}

export { deepEqual };

/** The value a field has after a send of `value`, with the API's semantics. */
function applied(field: string, value: unknown): unknown {
  if (field === 'username' && (value === '' || value === null)) return null;
  if ((METADATA_FIELDS as readonly string[]).includes(field)) {
    // Replace mode: PATCH /v1/users (≤ 2025-11-10) and PUT …/metadata (2026-05-12) both replace
    // the field whole; null clears it.
    return value === null ? {} : value;
  }
  if ((TIMESTAMP_FIELDS as readonly string[]).includes(field) && typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? value : new Date(ms).toISOString();
  }
  return value;
}

/**
 * What sending `payload` (the parsed file without its `$` keys; `$` keys are ignored anyway) to
 * `user` will do, computed locally: absent = unchanged, `null` = cleared (`username` `""` too),
 * secrets shown as "(will be set)" and never echoed. Metadata fields are merged (`mode` `merge`, the
 * default): one change per key path the merge touches, `null` deleting a key; or replaced whole
 * (`replace`; null clears the field). A payload field that is itself a key path (`public_metadata.role`,
 * as undo restores them) is a merge of that one key.
 *
 * @param apiVersion kept for versions whose semantics differ; metadata is handled the same in all of
 *   them the way this extension sends it.
 */
export function previewUpdate(
  user: ClerkUser,
  payload: Record<string, unknown>,
  _apiVersion?: ApiVersion,
  mode: MetadataMode = 'merge',
): UpdatePreview {
  const before = editableFields(user);
  const after: Record<string, unknown> = { ...before };
  const changes: FieldChange[] = [];
  for (const [field, value] of Object.entries(payload)) {
    if (isReservedKey(field)) continue;
    if ((OPTION_FIELDS as readonly string[]).includes(field)) {
      changes.push({ field, change: 'option', before: undefined, after: value });
      continue;
    }
    if (isSecret(field) || field === 'profile_image_id') {
      const now = secretState(user, field);
      const next = value === null ? WILL_BE_CLEARED : WILL_BE_SET;
      before[field] = now;
      after[field] = next;
      changes.push({ field, change: 'secret', before: now, after: next });
      continue;
    }
    if (isKeyPath(field) && isMetadataField(splitPath(field)[0])) {
      const [top, ...keys] = splitPath(field);
      const was = valueAt(before[top], keys);
      const next =
        value === null ? undefined : isRecord(value) && isRecord(was) ? mergeMetadata(was, value) : value;
      after[top] = mergeMetadata(isRecord(after[top]) ? after[top] : {}, nest(keys, value));
      changes.push({
        field,
        change: deepEqual(was, next) ? 'unchanged' : next === undefined ? 'cleared' : 'set',
        before: was,
        after: next,
      });
      continue;
    }
    if (mode === 'merge' && isMetadataField(field) && (value === null || isRecord(value))) {
      const current = isRecord(before[field]) ? before[field] : {};
      // null in a merge clears the field: every key of it deleted.
      const patch = value === null ? Object.fromEntries(Object.keys(current).map((k) => [k, null])) : value;
      after[field] = mergeMetadata(current, patch);
      const keys = mergeKeyChanges(field, current, patch);
      for (const k of keys) {
        const change = deepEqual(k.before, k.after) ? 'unchanged' : k.after === undefined ? 'cleared' : 'set';
        changes.push({ field: k.path, change, before: k.before, after: k.after });
      }
      if (keys.length === 0)
        changes.push({ field, change: 'unchanged', before: current, after: after[field] });
      continue;
    }
    if (!(field in before)) {
      const now = currentValue(user, field);
      before[field] = now;
      after[field] = now;
    }
    const next = applied(field, value);
    const previous = before[field];
    after[field] = next;
    const change = deepEqual(previous, next)
      ? 'unchanged'
      : next === null || (typeof next === 'object' && next !== null && Object.keys(next).length === 0)
        ? 'cleared'
        : 'set';
    changes.push({ field, change, before: previous, after: next });
  }
  return new Preview(before, after, changes);
}

/**
 * An `UpdatePreview` whose texts are made when asked for: a bulk run compares every row and never shows them.
 * A class, so its getters are on the prototype. Getters in an object literal are a new accessor pair per
 * preview, which V8 allocates in the old generation: through it, the getters' closures and the preview's
 * values outlived every scavenge (a dry run of 100,000 rows promoted about 130 MB of previews).
 */
class Preview implements UpdatePreview {
  constructor(
    readonly before: Record<string, unknown>,
    readonly after: Record<string, unknown>,
    readonly changes: FieldChange[],
  ) {}

  get beforeText(): string {
    return `${JSON.stringify(this.before, null, 2)}\n`;
  }

  get afterText(): string {
    return `${JSON.stringify(this.after, null, 2)}\n`;
  }
}

/** A value as the previews show it: JSON, secrets' placeholders as they are, `(absent)`. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (typeof value === 'string' && /^\((will be set|will be cleared|set|not set)\)$/.test(value))
    return value;
  return JSON.stringify(value);
}

/**
 * A field-by-field summary for the CLI (`send --dry-run`) and logs, one line per field:
 * `  first_name: "Ada" → "Augusta"`, `  password: (set) → (will be set)`.
 */
export function formatChanges(changes: FieldChange[]): string {
  return changes
    .map((c) => {
      if (c.change === 'option') return `  ${c.field}: ${showValue(c.after)} (option for this request)`;
      if (c.change === 'unchanged') return `  ${c.field}: ${showValue(c.before)} (unchanged)`;
      return `  ${c.field}: ${showValue(c.before)} → ${showValue(c.after)}`;
    })
    .join('\n');
}

/** `{a: {b: value}}` for keys `a`, `b`. */
function nest(keys: readonly string[], value: unknown): Record<string, unknown> {
  let out: unknown = value;
  for (let i = keys.length - 1; i >= 0; i--) out = { [keys[i]]: out };
  return out as Record<string, unknown>;
}
