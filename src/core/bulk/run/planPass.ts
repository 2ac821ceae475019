import type { ClerkEmailAddress, ClerkUser } from '../../clerk/types';
import { userDisplayName } from '../../clerk/types';
import { type FieldChange, showValue } from '../../users/preview';
import { fieldOfPath, isKeyPath, isRecord } from '../../metadata/paths';
import { droppedKeys } from '../../metadata/merge';
import { isMetadataField } from '../../metadata/mode';
import { currentValue } from '../../users/editable';
import { inBatches } from './batches';
import { Slots } from '../../pacing/slots';
import { type RunContext, selectRow } from './context';
import { diffRow, prepareRow, simulateWrite } from './preparedRow';
import { type Resolution, type Resolved, VALUES_PER_REQUEST, isReusable, resolveTargets } from './targets';
import { type BulkRow, type RowTarget, type TargetKind, formatTarget } from '../format/types';
import { emptyPlan, type PlanLine, type RunPlan } from './types';
import { type RequestKind, requestKinds } from '../../payload/plan';

const FIRST = 20;
/**
 * Batches of rows whose targets are looked up together (what of a kind does not fill a request of 100 values
 * goes with the next window's). With the whole users of 20 batches a window, and every lookup of three
 * windows out at once, a dry run's resident set grew 120 MB more; users are now cut down as each answer
 * arrives.
 */
export const LOOKUP_WINDOW_BATCHES = 6;
/**
 * Windows read ahead while the oldest waits for its lookups (at most), and lookup requests out at once. The
 * plan is latency-bound: nothing is sent before it is whole, and a production run is bounded by its first
 * requests plus ten windows. 10,000 mixed rows (103 lookups) at 50-150 ms: the first PATCH could leave 2.0 s
 * after the first lookup with three windows and six lookups, 1.3 s with four and 12, 1.05 s with five and 18,
 * 0.99 s with six and 24. A dry run of 100,000 rows at that latency: 17.5 s and 126-140 MB of RSS growth
 * with three and six, 6.1-6.2 s and 154-164 MB with five and 18 (152-165 MB with four and 12).
 */
const WINDOWS_IN_FLIGHT = 5;
export const LOOKUPS_IN_FLIGHT = 18;

/**
 * What the first read found, for the second: the user id of each target it resolved (or Clerk's
 * answer that several users match: not looked up again; no user and a failed lookup are not kept),
 * and the users of the first window with the time they were read, used instead of a second look
 * while still younger than one window of the limit.
 */
export interface PlanReads {
  ids: Map<string, string | Resolution>;
  recent?: { at: number; byTarget: Map<string, Resolution> };
}

export interface PlanOutcome {
  plan: RunPlan;
  /** The first errors ("line N: …") and how many there are: any refuses the run. */
  errors: string[];
  errorCount: number;
  warnings: string[];
  warningCount: number;
  /** Set when Clerk refused the key: nothing else can work. */
  fatal?: string;
  /** `keep`: what the read found, for the send. */
  reads?: PlanReads;
}

/** "PATCH /v1/users/{user_id}" for a planned request. */
function requestLabel(kind: RequestKind): string {
  return `${kind.method} ${kind.metadata ? '/v1/users/{user_id}/metadata' : '/v1/users/{user_id}'}`;
}

function shownChanges(changes: FieldChange[]): PlanLine['changes'] {
  return changes
    .filter((c) => c.change === 'set' || c.change === 'cleared' || c.change === 'secret')
    .map((c) => ({ field: c.field, before: c.before, after: c.after }));
}

/**
 * The first read of a run: every row checked, targets looked up in batches and compared with
 * the users, nothing written anywhere. Counts what the run would do (the dry run's plan, the
 * production question) and finds what refuses it (errors). Rows that follow on the same user
 * are compared with that user as the earlier row leaves it (within two batches). Targets are
 * looked up a window of `LOOKUP_WINDOW_BATCHES` batches at a time, grouped by kind, in full requests.
 */
export async function planPass(
  ctx: RunContext,
  onLine?: (line: PlanLine) => void | Promise<void>,
  keep = false,
): Promise<PlanOutcome> {
  const out: PlanOutcome = {
    plan: emptyPlan(),
    errors: [],
    errorCount: 0,
    warnings: [],
    warningCount: 0,
  };
  const { plan } = out;
  const reads: PlanReads | undefined = keep ? { ids: new Map() } : undefined;
  out.reads = reads;
  const fields = new Map<string, number>();
  /** Replace mode: key path -> users that would lose it. */
  const dropped = new Map<string, number>();
  let droppingUsers = 0;
  /** Metadata key path -> its value changes ("member" → "admin") -> rows. */
  const keyChanges = new Map<string, Map<string, number>>();
  const requests = new Map<string, number>();
  const sampled = new Set<string>();
  let simulated = new Map<string, ClerkUser>();
  let previous = new Map<string, ClerkUser>();
  const line = async (l: PlanLine): Promise<void> => {
    await onLine?.(l);
  };
  const failing = async (row: number, target: string, code: string, message: string): Promise<void> => {
    plan.failing++;
    if (plan.failures.length < FIRST) plan.failures.push(`line ${row}: ${message}`);
    await line({ row, target, user_id: null, action: 'fail', fields: [], changes: [], code, message });
  };

  type Item =
    | { kind: 'finished'; row: BulkRow }
    | { kind: 'reconcile'; row: BulkRow; userId: string }
    | { kind: 'fresh'; row: BulkRow };
  /** The rows of a batch that count, checked; errors and warnings collected. */
  const collect = (batch: readonly BulkRow[]): Item[] => {
    const items: Item[] = [];
    for (const row of batch) {
      const selection = selectRow(ctx, row.row);
      if (selection.kind === 'skip') continue;
      plan.total++;
      ctx.progress.row();
      out.errorCount += row.errors?.length ?? 0;
      for (const e of row.errors ?? []) if (out.errors.length < FIRST) out.errors.push(e);
      out.warningCount += row.warnings?.length ?? 0;
      for (const w of row.warnings ?? []) if (out.warnings.length < FIRST) out.warnings.push(w);
      if (out.errorCount > 0 || out.fatal) continue;
      if (selection.kind === 'finished') items.push({ kind: 'finished', row });
      else if (selection.kind === 'reconcile')
        items.push({ kind: 'reconcile', row, userId: selection.sent.user_id });
      // Parsed when compared: a window waiting for its lookups keeps the rows' text, not their trees.
      else items.push({ kind: 'fresh', row });
    }
    return out.errorCount > 0 ? [] : items;
  };
  /**
   * Compare a window's rows with their users, in row order. The users as earlier rows leave them are kept for
   * two batches of rows.
   */
  const compare = async (items: Item[], resolved: Resolved): Promise<void> => {
    for (let k = 0; k < items.length; k++) {
      const item = items[k];
      if (k % ctx.batchSize === 0) {
        previous = simulated;
        simulated = new Map();
      }
      if (item.kind === 'finished') {
        plan.finished++;
        await line({
          row: item.row.row,
          target: formatTarget(item.row.target),
          user_id: null,
          action: 'done',
          fields: [],
          changes: [],
          code: null,
          message: 'Finished in an earlier run (the journal has it).',
        });
        continue;
      }
      if (item.kind === 'reconcile') {
        plan.toReconcile++;
        const message = 'Sent before without an answer: checked at Clerk before anything is sent again.';
        await line({
          row: item.row.row,
          target: formatTarget(item.row.target),
          user_id: item.userId,
          action: 'change',
          fields: [],
          changes: [],
          code: 'reconcile',
          message,
        });
        continue;
      }
      const ready = prepareRow(item.row, ctx.apiVersion);
      if (!ready.ok) {
        out.errorCount++;
        if (out.errors.length < FIRST) out.errors.push(ready.message);
        return;
      }
      const prepared = ready.row;
      const found = resolved.byTarget.get(prepared.targetText);
      // No user and a failed lookup are not kept: the send looks the row up again by its own target.
      if (reads && prepared.target.kind !== 'user_id' && found && isReusable(found))
        reads.ids.set(prepared.targetText, found.ok ? found.user.id : found);
      if (!found || !found.ok) {
        await failing(
          prepared.row,
          prepared.targetText,
          found?.code ?? 'target_not_found',
          found?.message ?? 'The target was not looked up.',
        );
        continue;
      }
      // A user an earlier row left, over this window's read (the two windows may keep different fields).
      const earlier = simulated.get(found.user.id) ?? previous.get(found.user.id);
      const user = earlier ? { ...found.user, ...earlier } : found.user;
      const diff = diffRow(prepared, user);
      if (diff.unchanged) {
        plan.unchanged++;
        await line({
          row: prepared.row,
          target: prepared.targetText,
          user_id: user.id,
          action: 'unchanged',
          fields: [],
          changes: [],
          code: null,
          message: null,
        });
        continue;
      }
      plan.toChange++;
      const changed = [...diff.changed, ...prepared.writeOnly];
      for (const f of changed) fields.set(f, (fields.get(f) ?? 0) + 1);
      const lost = prepared.metadataMode === 'replace' ? lostKeys(prepared.payload, user) : [];
      for (const path of lost) dropped.set(path, (dropped.get(path) ?? 0) + 1);
      if (lost.length > 0) droppingUsers++;
      for (const c of diff.changes) {
        if (!isKeyPath(c.field) || (c.change !== 'set' && c.change !== 'cleared')) continue;
        const counts = keyChanges.get(c.field) ?? new Map<string, number>();
        const change = `${showValue(c.before)} → ${showValue(c.after)}`;
        // Bounded: a key with a different value per user keeps its first 100 changes.
        if (counts.has(change) || counts.size < 100) counts.set(change, (counts.get(change) ?? 0) + 1);
        keyChanges.set(c.field, counts);
      }
      for (const r of requestKinds(prepared.fields, prepared.metadataMode, prepared.apiVersion)) {
        const kind = requestLabel(r);
        requests.set(kind, (requests.get(kind) ?? 0) + 1);
      }
      if (plan.samples.length < 3 && !sampled.has(user.id)) {
        sampled.add(user.id);
        plan.samples.push(`${userDisplayName(user)} (${user.id})`);
      }
      const l: PlanLine = {
        row: prepared.row,
        target: prepared.targetText,
        user_id: user.id,
        action: 'change',
        fields: changed,
        changes: shownChanges(diff.changes),
        code: null,
        message: null,
      };
      if (plan.diffs.length < FIRST) plan.diffs.push(l);
      await line(l);
      simulated.set(user.id, simulateWrite(user, prepared, diff));
    }
  };

  // Lookups of the next windows go out while a window is compared (at most `WINDOWS_IN_FLIGHT`, and
  // `LOOKUPS_IN_FLIGHT` requests). A window's targets that would not fill a request of their kind go with
  // the next window's lookup (or the last one), so each request carries close to 100 values: its comparison
  // waits for both.
  const lookupSlots = new Slots(() => LOOKUPS_IN_FLIGHT);
  interface Window {
    items: Item[];
    parts: Array<Promise<Resolved>>;
    /** `formatTarget` of the targets looked up with the next window. */
    held: string[];
  }
  const windows: Window[] = [];
  let carried: { targets: RowTarget[]; fields: KeptFields; window: Window } | undefined;
  let first = true;
  /** The first lookups probe the key alone; the later ones go together. */
  let probing = true;
  const lookUp = (targets: RowTarget[], fields: KeptFields): Promise<Resolved> => {
    if (targets.length === 0) return Promise.resolve({ byTarget: new Map() });
    const resolved = resolveTargets(ctx.client, targets, probing, keeper(fields), lookupSlots);
    probing = false;
    return resolved;
  };
  const next = async (): Promise<void> => {
    const window = windows.shift() as Window;
    const parts = await Promise.all(window.parts);
    const fatal = parts.find((p) => p.fatal)?.fatal;
    let byTarget = parts[0].byTarget;
    if (parts.length > 1) {
      byTarget = new Map(byTarget);
      for (const key of window.held) {
        const found = parts[1].byTarget.get(key);
        if (found) byTarget.set(key, found);
      }
    }
    if (reads && first) reads.recent = { at: ctx.clock?.now() ?? 0, byTarget };
    first = false;
    if (fatal) out.fatal ??= fatal.message;
    else if (!out.fatal && out.errorCount === 0) await compare(window.items, { byTarget });
  };
  for await (const batch of inBatches(ctx.input.rows(), ctx.batchSize * LOOKUP_WINDOW_BATCHES)) {
    const items = collect(batch);
    if (items.length === 0) continue;
    const targets: RowTarget[] = [];
    for (const item of items) {
      if (item.kind === 'fresh') targets.push(item.row.target);
      else if (item.kind === 'reconcile') targets.push({ kind: 'user_id', value: item.userId });
    }
    const fields = keptFields(items.flatMap((i) => (i.kind === 'finished' ? [] : [i.row])));
    const { now, held } = fullRequests(carried?.targets ?? [], targets);
    const window: Window = { items, parts: [], held: held.map(formatTarget) };
    const lookup = lookUp(now, carried ? unionFields(carried.fields, fields) : fields);
    window.parts.push(lookup);
    carried?.window.parts.push(lookup);
    carried = held.length > 0 ? { targets: held, fields, window } : undefined;
    windows.push(window);
    if (windows.length >= WINDOWS_IN_FLIGHT) await next();
  }
  if (carried) carried.window.parts.push(lookUp(carried.targets, carried.fields));
  while (windows.length > 0) await next();
  const problems = ctx.input.problems?.();
  for (const e of problems?.errors ?? []) if (out.errors.length < FIRST) out.errors.push(e);
  out.errorCount += problems?.errorCount ?? problems?.errors.length ?? 0;
  for (const w of problems?.warnings ?? []) if (out.warnings.length < FIRST) out.warnings.push(w);
  out.warningCount += problems?.warningCount ?? problems?.warnings.length ?? 0;
  if (dropped.size > 0)
    plan.dropped = {
      keys: [...dropped].map(([path, users]) => ({ path, users })).sort((a, b) => b.users - a.users),
      users: droppingUsers,
    };
  plan.fields = [...fields]
    .map(([field, rows]) => {
      const counts = keyChanges.get(field);
      if (!counts) return { field, rows };
      const changes = [...counts]
        .map(([change, n]) => ({ change, rows: n }))
        .sort((a, b) => b.rows - a.rows)
        .slice(0, 5);
      return { field, rows, changes };
    })
    .sort((a, b) => b.rows - a.rows);
  plan.requests = [...requests].map(([request, count]) => ({ request, count }));
  return out;
}

/** The metadata key paths the user has now that a replace of the row's metadata fields removes. */
function lostKeys(payload: Record<string, unknown>, user: ClerkUser): string[] {
  const out: string[] = [];
  for (const [field, value] of Object.entries(payload)) {
    if (!isMetadataField(field) || (value !== null && (typeof value !== 'object' || Array.isArray(value))))
      continue;
    out.push(...droppedKeys(field, currentValue(user, field), value ?? {}));
  }
  return out;
}

/** Fields the plan reads of every user: its id and version, how it is shown, where secrets' states are. */
const ALWAYS_KEPT = [
  'id',
  'object',
  'updated_at',
  'first_name',
  'last_name',
  'username',
  'primary_email_address_id',
  'password_enabled',
  'totp_enabled',
  'backup_code_enabled',
  'has_image',
];

/** The fields kept of the users a lookup finds; undefined: the users whole. */
type KeptFields = ReadonlySet<string> | undefined;

/**
 * What the plan keeps of the users found for a window of rows: the fields those rows write (a key path: its
 * field) and `ALWAYS_KEPT`. A window of users waits for its turn and users written stay for the rows that
 * follow on them: whole, they were most of what a plan held. A row that is not a JSON object (refused later)
 * keeps the users whole.
 */
function keptFields(rows: readonly BulkRow[]): KeptFields {
  const fields = new Set(ALWAYS_KEPT);
  for (const row of rows) {
    let value: unknown;
    try {
      value = JSON.parse(row.text);
    } catch {
      return undefined;
    }
    if (!isRecord(value)) return undefined;
    for (const key of Object.keys(value)) fields.add(fieldOfPath(key));
  }
  return fields;
}

/** The fields two windows keep, for a lookup that serves both. */
function unionFields(a: KeptFields, b: KeptFields): KeptFields {
  return a === undefined || b === undefined ? undefined : new Set([...a, ...b]);
}

/** `fields` of a user; of the email addresses, the one a user with no name is shown by. */
function keeper(fields: KeptFields): (user: ClerkUser) => ClerkUser {
  if (fields === undefined) return (user) => user;
  return (user) => {
    const kept: Record<string, unknown> = {};
    for (const field of fields) if (field in user) kept[field] = user[field];
    const emails = user.email_addresses ?? [];
    const shown = emails.find((e) => e.id === user.primary_email_address_id) ?? emails[0];
    const email: ClerkEmailAddress[] = shown
      ? [{ id: shown.id, object: 'email_address', email_address: shown.email_address, verification: null }]
      : [];
    kept.email_addresses = email;
    return kept as unknown as ClerkUser;
  };
}

/**
 * What a lookup asks for: the targets `carried` from the window before, and of a window's own targets as many
 * as fill whole requests of their kind together with them (`VALUES_PER_REQUEST` distinct values); the rest
 * of each kind is held for the next lookup.
 */
function fullRequests(
  carried: readonly RowTarget[],
  own: readonly RowTarget[],
): { now: RowTarget[]; held: RowTarget[] } {
  const values = new Map<TargetKind, Set<string>>();
  for (const t of [...carried, ...own]) {
    const set = values.get(t.kind) ?? new Set<string>();
    set.add(t.value);
    values.set(t.kind, set);
  }
  const heldValues = new Map<TargetKind, Set<string>>();
  for (const [kind, set] of values) {
    const carriedValues = new Set(carried.filter((t) => t.kind === kind).map((t) => t.value)).size;
    const rest = Math.min(set.size % VALUES_PER_REQUEST, set.size - carriedValues);
    if (rest > 0) heldValues.set(kind, new Set([...set].slice(set.size - rest)));
  }
  const now: RowTarget[] = [...carried];
  const held: RowTarget[] = [];
  for (const t of own) (heldValues.get(t.kind)?.has(t.value) ? held : now).push(t);
  return { now, held };
}
