import type { ClerkUser } from '../clerk/types';
import { type PlannedRequest, isReservedKey, metadataPath, userPath } from '../payload/plan';
import { type ApiVersion, METADATA_FIELDS, SECRET_FIELDS, metadataSentSeparately } from '../versions';
import { OPTION_FIELDS, currentValue } from './editable';
import { deepEqual } from './preview';

/** How to restore what a successful send changed. */
export interface UndoPlan {
  userId: string;
  /** The requests that restore the previous values (PATCH, then PUT …/metadata under 2026-05-12). Empty when nothing can be restored. */
  requests: PlannedRequest[];
  /** Fields restored, with the value they get back. */
  restores: Array<{ field: string; value: unknown }>;
  /** Sent fields that cannot be restored (secrets and `profile_image_id`). */
  notRestorable: string[];
  /** `updated_at` of the user right after the send; undo only applies while it is unchanged. */
  expectedUpdatedAt: number;
  /** A sentence for the notification: what undo restores and what it cannot. */
  summary: string;
}

const NOT_RESTORABLE = new Set<string>([...SECRET_FIELDS, 'profile_image_id']);

/**
 * Build the undo of a successful send.
 *
 * @param before the user read before the send (`SendOutcome.before`)
 * @param after the user returned by the send (`SendOutcome.user`)
 * @param sentFields the fields the send carried (all `PlannedRequest.fields`)
 */
export function buildUndo(before: ClerkUser, after: ClerkUser, sentFields: readonly string[], apiVersion: ApiVersion): UndoPlan {
  const changes = sentFields.map((field) => ({ field, before: NOT_RESTORABLE.has(field) ? undefined : currentValue(before, field), after: NOT_RESTORABLE.has(field) ? undefined : currentValue(after, field) }));
  return undoOfValues(after.id, changes, after.updated_at, apiVersion);
}

/**
 * The undo of a change known by its values (a send's before and after users, or a history
 * entry): the fields whose value changed get their before-value back; secret fields and
 * `profile_image_id` cannot be restored.
 */
export function undoOfValues(userId: string, changes: ReadonlyArray<{ field: string; before: unknown; after: unknown }>, expectedUpdatedAt: number, apiVersion: ApiVersion): UndoPlan {
  const restores: Array<{ field: string; value: unknown }> = [];
  const notRestorable: string[] = [];
  for (const { field, before, after } of changes) {
    if (isReservedKey(field) || (OPTION_FIELDS as readonly string[]).includes(field)) continue;
    if (NOT_RESTORABLE.has(field)) {
      if (!notRestorable.includes(field)) notRestorable.push(field);
      continue;
    }
    if (deepEqual(before, after)) continue;
    if (!restores.some((r) => r.field === field)) restores.push({ field, value: before });
  }
  const requests = restoreRequests(userId, restores, apiVersion);
  const parts: string[] = [];
  parts.push(restores.length ? `Undo restores ${restores.map((r) => r.field).join(', ')}.` : 'Nothing that changed can be restored.');
  if (notRestorable.length) parts.push(`It cannot restore ${notRestorable.join(', ')} (write-only); those stay as sent.`);
  return { userId, requests, restores, notRestorable, expectedUpdatedAt, summary: parts.join(' ') };
}

/**
 * The requests that give fields back their values: PATCH, then (under 2026-05-12) the metadata
 * fields with PUT …/metadata, which replaces each given field whole. Empty when `restores` is.
 */
export function restoreRequests(userId: string, restores: ReadonlyArray<{ field: string; value: unknown }>, apiVersion: ApiVersion): PlannedRequest[] {
  const separate = metadataSentSeparately(apiVersion);
  const isMeta = (f: string): boolean => (METADATA_FIELDS as readonly string[]).includes(f);
  const patch = restores.filter((r) => !(separate && isMeta(r.field)));
  const put = restores.filter((r) => separate && isMeta(r.field));
  const requests: PlannedRequest[] = [];
  const toBody = (list: typeof restores): string => `${JSON.stringify(Object.fromEntries(list.map((r) => [r.field, r.value])), null, 2)}\n`;
  if (patch.length) requests.push({ method: 'PATCH', path: userPath(userId), body: toBody(patch), fields: patch.map((r) => r.field) });
  if (put.length) requests.push({ method: 'PUT', path: metadataPath(userId), body: toBody(put), fields: put.map((r) => r.field) });
  return requests;
}

/**
 * Whether an undo may still be sent: only while the user's `updated_at` is the one the send
 * left. Read the user right before sending the undo and pass it here.
 */
export function checkUndo(current: ClerkUser, plan: UndoPlan): { ok: true } | { ok: false; message: string } {
  if (plan.requests.length === 0) return { ok: false, message: plan.summary };
  if (current.updated_at !== plan.expectedUpdatedAt) {
    return {
      ok: false,
      message: `Undo was not sent: ${current.id} changed after the update (updated_at moved from ${new Date(plan.expectedUpdatedAt).toISOString()} to ${new Date(current.updated_at).toISOString()}). Restoring the old values would overwrite that change.`,
    };
  }
  return { ok: true };
}
