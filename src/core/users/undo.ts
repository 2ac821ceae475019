import type { ClerkUser } from '../clerk/types';
import { type PlannedRequest, isReservedKey, metadataPath, userPath } from '../payload/plan';
import { type ApiVersion, METADATA_FIELDS, SECRET_FIELDS, metadataSentSeparately } from '../versions';
import { OPTION_FIELDS, currentValue } from './editable';
import { deepEqual } from '../payload/equal';
import { patchOf } from '../metadata/merge';
import { isKeyPath, splitPath, valueAt } from '../metadata/paths';

/** How to restore what a successful send changed. */
export interface UndoPlan {
  userId: string;
  /**
   * The requests that restore the previous values (PATCH, then PUT …/metadata under 2026-05-12). Empty when
   * nothing can be restored.
   */
  requests: PlannedRequest[];
  /**
   * Fields restored, with the value they get back; or key paths inside metadata (`public_metadata.role`),
   * restored by a merge, with `expected`: the value the change left there (null: absent), which the key must
   * still hold to be restored.
   */
  restores: Restore[];
  /** Sent fields that cannot be restored (secrets and `profile_image_id`). */
  notRestorable: string[];
  /** `updated_at` of the user right after the send; undo only applies while it is unchanged. */
  expectedUpdatedAt: number;
  /** A sentence for the notification: what undo restores and what it cannot. */
  summary: string;
  /** The API version the requests were built for (a smaller plan after `checkUndo` is built the same). */
  apiVersion: ApiVersion;
}

/** One field (or metadata key path) to give back its value. */
export interface Restore {
  field: string;
  value: unknown;
  /** Key paths: what the change wrote (null: deleted); a key that holds something else is left alone. */
  expected?: unknown;
}

const NOT_RESTORABLE = new Set<string>([...SECRET_FIELDS, 'profile_image_id']);

/**
 * Build the undo of a successful send.
 *
 * @param before the user read before the send (`SendOutcome.before`)
 * @param after the user returned by the send (`SendOutcome.user`)
 * @param sentFields the fields the send carried (all `PlannedRequest.fields`), or the key paths a merge
 *   touched (see `sentKeysOf`)
 */
export function buildUndo(
  before: ClerkUser,
  after: ClerkUser,
  sentFields: readonly string[],
  apiVersion: ApiVersion,
): UndoPlan {
  const changes = sentFields.map((field) => ({
    field,
    before: NOT_RESTORABLE.has(field) ? undefined : valueOf(before, field),
    after: NOT_RESTORABLE.has(field) ? undefined : valueOf(after, field),
  }));
  return undoOfValues(after.id, changes, after.updated_at, apiVersion);
}

/** A field's current value, or a metadata key's (null when absent: what a merge that deletes it sends). */
export function valueOf(user: ClerkUser, field: string): unknown {
  if (!isKeyPath(field)) return currentValue(user, field);
  const [top, ...keys] = splitPath(field);
  return valueAt(currentValue(user, top), keys) ?? null;
}

/**
 * The undo of a change known by its values (a send's before and after users, or a history
 * entry): the fields whose value changed get their before-value back; secret fields and
 * `profile_image_id` cannot be restored.
 */
export function undoOfValues(
  userId: string,
  changes: ReadonlyArray<{ field: string; before: unknown; after: unknown }>,
  expectedUpdatedAt: number,
  apiVersion: ApiVersion,
): UndoPlan {
  const restores: Restore[] = [];
  const notRestorable: string[] = [];
  for (const { field, before, after } of changes) {
    if (isReservedKey(field) || (OPTION_FIELDS as readonly string[]).includes(field)) continue;
    if (NOT_RESTORABLE.has(field)) {
      if (!notRestorable.includes(field)) notRestorable.push(field);
      continue;
    }
    if (deepEqual(before, after)) continue;
    if (!restores.some((r) => r.field === field))
      restores.push(isKeyPath(field) ? { field, value: before, expected: after } : { field, value: before });
  }
  const requests = restoreRequests(userId, restores, apiVersion);
  const parts: string[] = [];
  parts.push(
    restores.length
      ? `Undo restores ${restores.map((r) => r.field).join(', ')}.`
      : 'Nothing that changed can be restored.',
  );
  if (notRestorable.length)
    parts.push(`It cannot restore ${notRestorable.join(', ')} (write-only); those stay as sent.`);
  return {
    userId,
    requests,
    restores,
    notRestorable,
    expectedUpdatedAt,
    summary: parts.join(' '),
    apiVersion,
  };
}

/**
 * The requests that give fields back their values: PATCH, then (under 2026-05-12) the metadata
 * fields with PUT …/metadata, which replaces each given field whole; key paths with a merge,
 * PATCH …/metadata, that sets just those keys (null deletes one). Empty when `restores` is.
 */
export function restoreRequests(
  userId: string,
  restores: ReadonlyArray<{ field: string; value: unknown }>,
  apiVersion: ApiVersion,
): PlannedRequest[] {
  const separate = metadataSentSeparately(apiVersion);
  const isMeta = (f: string): boolean => (METADATA_FIELDS as readonly string[]).includes(f);
  const keys = restores.filter((r) => isKeyPath(r.field));
  const whole = restores.filter((r) => !isKeyPath(r.field));
  const patch = whole.filter((r) => !(separate && isMeta(r.field)));
  const put = whole.filter((r) => separate && isMeta(r.field));
  const requests: PlannedRequest[] = [];
  const toBody = (list: typeof restores): string =>
    `${JSON.stringify(Object.fromEntries(list.map((r) => [r.field, r.value])), null, 2)}\n`;
  if (patch.length)
    requests.push({
      method: 'PATCH',
      path: userPath(userId),
      body: toBody(patch),
      fields: patch.map((r) => r.field),
    });
  if (put.length)
    requests.push({
      method: 'PUT',
      path: metadataPath(userId),
      body: toBody(put),
      fields: put.map((r) => r.field),
      metadata: 'replace',
    });
  if (keys.length) {
    const body = patchOf(keys.map((r) => ({ keys: splitPath(r.field), value: r.value })));
    requests.push({
      method: 'PATCH',
      path: metadataPath(userId),
      body: `${JSON.stringify(body, null, 2)}\n`,
      fields: Object.keys(body),
      metadata: 'merge',
    });
  }
  return requests;
}

/**
 * What `checkUndo` decided: refuse, send the plan, or send a smaller plan (`plan`) leaving some keys alone
 * (`note`).
 */
export type UndoCheck = { ok: true; plan?: PlannedRequest[]; note?: string } | { ok: false; message: string };

/**
 * Whether an undo may still be sent, from the user read right before it.
 * - Fields outside metadata (and metadata replaced whole): only while the user's `updated_at` is the one the
 *   send left.
 * - Metadata keys restored by a merge: per key. A key that still holds what the change wrote is restored; one
 *   that holds something else (someone changed it since) is left alone and named in `note`. Changes to other
 *   keys since do not matter: the merge does not touch them.
 */
export function checkUndo(current: ClerkUser, plan: UndoPlan): UndoCheck {
  if (plan.requests.length === 0) return { ok: false, message: plan.summary };
  const keys = plan.restores.filter((r) => isKeyPath(r.field));
  const moved = current.updated_at !== plan.expectedUpdatedAt;
  if (moved && keys.length < plan.restores.length) {
    return {
      ok: false,
      message: `Undo was not sent: ${current.id} changed after the update (updated_at moved from ${new Date(plan.expectedUpdatedAt).toISOString()} to ${new Date(current.updated_at).toISOString()}). Restoring the old values would overwrite that change.`,
    };
  }
  const kept = keys.filter((r) => deepEqual(valueOf(current, r.field), r.expected ?? null));
  if (kept.length === keys.length) return { ok: true };
  const left = keys
    .filter((r) => !kept.includes(r))
    .map((r) => `${r.field} (now ${JSON.stringify(valueOf(current, r.field))})`);
  const note = `Left alone, changed since: ${left.join(', ')}.`;
  const restores = plan.restores.filter((r) => !isKeyPath(r.field) || kept.includes(r));
  if (restores.length === 0)
    return { ok: false, message: `Undo was not sent: every key it would restore was changed since. ${note}` };
  return { ok: true, plan: restoreRequests(plan.userId, restores, plan.apiVersion), note };
}
