import type { Result } from '../../result';
import type { ClerkUser } from '../../clerk/types';
import { parseDocument } from '../../parse/parser';
import { type PlannedRequest, planRequests } from '../../payload/plan';
import { metadataModeOfRoot } from '../../metadata/mode';
import type { MetadataMode } from '../../metadata/mode';
import { patchOf, mergeMetadata } from '../../metadata/merge';
import { fieldOfPath, isKeyPath, isRecord, splitPath } from '../../metadata/paths';
import { payloadValue } from '../../payload/value';
import { secretValuesOf } from '../../redact';
import { type FieldChange, previewUpdate } from '../../users/preview';
import { restoreRequests } from '../../users/undo';
import { type ApiVersion, SECRET_FIELDS, TIMESTAMP_FIELDS } from '../../versions';
import type { SentMark } from '../journal/marks';
import { type BulkRow, type RowTarget, formatTarget } from '../format/types';

/** Fields whose value Clerk never returns, so a read cannot show whether they were applied. */
const WRITE_ONLY: ReadonlySet<string> = new Set([...SECRET_FIELDS, 'profile_image_id']);

/** A row ready to be compared with its user and sent. */
export interface PreparedRow {
  row: number;
  target: RowTarget;
  /** `formatTarget(target)`. */
  targetText: string;
  apiVersion: ApiVersion;
  /** What the row sends, without its `$` keys. */
  payload: Record<string, unknown>;
  /** How its metadata fields are sent (`$metadata`). */
  metadataMode: MetadataMode;
  /** The payload's fields, in order. */
  fields: string[];
  /** Sent fields that cannot be read back (secrets, `profile_image_id`). */
  writeOnly: string[];
  /** Secret values of the row, kept out of every message. */
  secrets: string[];
  /** The requests for the resolved user: PATCH, then PUT …/metadata under 2026-05-12. */
  plan(userId: string): PlannedRequest[];
}

function prepared(
  row: number,
  target: RowTarget,
  apiVersion: ApiVersion,
  payload: Record<string, unknown>,
  plan: PreparedRow['plan'],
  metadataMode: MetadataMode = 'merge',
): PreparedRow {
  const fields = Object.keys(payload);
  return {
    row,
    target,
    targetText: formatTarget(target),
    apiVersion,
    payload,
    metadataMode,
    fields,
    writeOnly: fields.filter((f) => WRITE_ONLY.has(f)),
    secrets: secretValuesOf(payload),
    plan,
  };
}

/**
 * A row of the formats layer, ready: its text parsed with the core's parser (the formats layer
 * validated it). A row that is not a JSON object gives a message instead.
 */
export function prepareRow(
  row: BulkRow,
  defaultApiVersion: ApiVersion,
): Result<{ row: PreparedRow }, { row: number; message: string }> {
  const parsed = parseDocument(row.text);
  const root = parsed.root;
  if (!root || root.type !== 'object' || !parsed.complete || parsed.problems.length > 0)
    return { ok: false, row: row.row, message: `line ${row.row}: the row is not a JSON object.` };
  const apiVersion = row.apiVersion ?? defaultApiVersion;
  return {
    ok: true,
    row: prepared(
      row.row,
      row.target,
      apiVersion,
      payloadValue(root),
      (userId) => planRequests(row.text, root, userId, apiVersion),
      metadataModeOfRoot(root),
    ),
  };
}

/**
 * The undo of a row: its journaled before-values sent back to the user (`targetText`: the run's target, for
 * the report).
 */
export function prepareRestore(
  row: number,
  userId: string,
  values: Record<string, unknown>,
  apiVersion: ApiVersion,
  targetText: string,
): PreparedRow {
  const restores = Object.entries(values).map(([field, value]) => ({ field, value }));
  // Key paths are restored by a merge (restoreRequests); whole fields as they were.
  return {
    ...prepared(row, { kind: 'user_id', value: userId }, apiVersion, values, (id) =>
      restoreRequests(id, restores, apiVersion),
    ),
    targetText,
  };
}

/** How a row compares with its user now. */
export interface RowDiff {
  /** One per field (secrets masked), as the editor's preview shows them. */
  changes: FieldChange[];
  /** Readable fields whose value changes. */
  changed: string[];
  /**
   * The current values of `changed` (body spelling; a metadata key path absent now: null): what undo
   * restores.
   */
  before: Record<string, unknown>;
  /**
   * For the metadata key paths in `changed`: the value the row writes (null: deleted), which undo checks per
   * key.
   */
  after: Record<string, unknown>;
  /**
   * True when sending would change nothing: every readable field already has the row's value and nothing
   * write-only is sent.
   */
  unchanged: boolean;
}

/**
 * Compare a row with its user, with the preview's semantics (absent = unchanged, null clears, metadata
 * merged per key path or replaced per field by the row's `$metadata`, timestamps as instants).
 */
export function diffRow(row: PreparedRow, user: ClerkUser): RowDiff {
  const changes = previewUpdate(user, row.payload, row.apiVersion, row.metadataMode).changes;
  const changed: string[] = [];
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  for (const c of changes) {
    if (c.change === 'set' || c.change === 'cleared') {
      changed.push(c.field);
      const key = isKeyPath(c.field);
      before[c.field] = key && c.before === undefined ? null : c.before;
      if (key) after[c.field] = c.after === undefined ? null : c.after;
    }
  }
  return { changes, changed, before, after, unchanged: changed.length === 0 && row.writeOnly.length === 0 };
}

/**
 * What is left to send of a row that was marked `sent` without an answer (a crash, a timeout),
 * judged from the user as Clerk has it now:
 * - a request is known applied when the fields it changed now have the row's values; the ones
 *   before it are then applied too (a row's requests go one after the other, stopping at a failure);
 * - a request whose readable fields have the row's values needs no sending, unless it carries
 *   write-only fields (password, …): those count as applied when `updated_at` moved since the
 *   read before the row was sent, and are sent again otherwise.
 * An empty list: the row is applied; no second request.
 */
export function remainingRequests(row: PreparedRow, user: ClerkUser, sent: SentMark): PlannedRequest[] {
  const plan = row.plan(user.id);
  const diff = diffRow(row, user);
  // A metadata key path pending means its field's request is.
  const pending = new Set(diff.changed.map(fieldOfPath));
  const moved = user.updated_at !== sent.before_updated_at;
  const readable = (r: PlannedRequest): string[] => r.fields.filter((f) => !WRITE_ONLY.has(f));
  const atTarget = (r: PlannedRequest): boolean => readable(r).every((f) => !pending.has(f));
  let applied = -1;
  const journaled = new Set(Object.keys(sent.before).map(fieldOfPath));
  plan.forEach((r, i) => {
    if (atTarget(r) && readable(r).some((f) => journaled.has(f))) applied = i;
  });
  return plan.filter(
    (r, i) => i > applied && !(atTarget(r) && (r.fields.every((f) => !WRITE_ONLY.has(f)) || moved)),
  );
}

/**
 * The user as it would be after the row, for planning rows that follow on the same user (`diff`: the row's
 * `diffRow` with this user, when already made).
 */
export function simulateWrite(user: ClerkUser, row: PreparedRow, diff = diffRow(row, user)): ClerkUser {
  const next = { ...user } as ClerkUser;
  for (const c of diff.changes) {
    if (c.change !== 'set' && c.change !== 'cleared') continue;
    if (isKeyPath(c.field)) {
      const field = fieldOfPath(c.field);
      const patch = patchOf([{ keys: splitPath(c.field), value: c.after }]);
      next[field] = mergeMetadata(isRecord(next[field]) ? next[field] : {}, patch[field]);
      continue;
    }
    const isTimestamp = (TIMESTAMP_FIELDS as readonly string[]).includes(c.field);
    next[c.field] = isTimestamp && typeof c.after === 'string' ? Date.parse(c.after) : c.after;
  }
  next.updated_at = user.updated_at + 1;
  return next;
}
