import { redactSecrets } from '../../redact';
import type { ClerkFailure } from '../../clerk/errors';
import { type ClerkUser, userDisplayName } from '../../clerk/types';
import type { PlannedRequest } from '../../payload/plan';
import { type SendPorts } from '../../send/ports';
import { sendPlanned } from '../../send/send';
import { UserQueue } from '../../send/userQueue';
import { inBatches } from './batches';
import { type RunContext, selectRow } from './context';
import { FreshUsers, type ReadToken } from './fresh';
import type { OutcomeMark, SentMark } from '../journal/marks';
import type { JournalWriter } from '../journal/journalWriter';
import { type PreparedRow, diffRow, remainingRequests } from './preparedRow';
import { Slots } from '../../pacing/slots';
import {
  type Resolution,
  type Resolved,
  MAX_RATE_LIMITED_TRIES,
  isReusable,
  resolveTargets,
  stillNamedBy,
} from './targets';
import type { PlanReads } from './planPass';
import { type BulkRow, type RowTarget, formatTarget } from '../format/types';
import { errorMessage } from '../../text/format';

/** What sending needs beyond the plan. */
export interface SendContext extends RunContext {
  writer: JournalWriter;
  /** The key and such, kept out of messages (each row adds its secret values). */
  secrets: readonly string[];
  log?: SendPorts['log'];
  /** Set when the run stops early: no new row starts. */
  stopping(): boolean;
  /** Stop the run (a journal write failed, the key was refused). */
  stop(reason: string): void;
  /** How a row is written and compared: the run's rows, or an undo's restores with their precondition. */
  rows: RowSource;
}

/** A row to send, as the pass needs it. */
export interface WorkItem {
  prepared: PreparedRow;
  /** How the user is found: the row's target, or the user id of its `sent` mark. */
  lookup: RowTarget;
  /** Its `sent` mark, when it was sent before without an answer. */
  sent?: SentMark;
  /** Undo: the run left the user at `updated_at` = `after`, having found it at `before`. */
  run?: { before: number; after: number };
  /** Said in the row's `done` message (undo: the metadata keys left alone because they changed since). */
  note?: string;
  /**
   * The row's own target, when `lookup` is the user id the first read found for it (checked to still name the
   * user).
   */
  named?: RowTarget;
  /** What the first read found when several users match (not looked up again). */
  known?: Resolution;
}

/** Where a pass gets its rows, and what it checks before sending each. */
export interface RowSource {
  batches(): AsyncIterable<WorkItem[]>;
  /**
   * Checked on the user before a fresh row is sent: undefined to send it, an outcome mark instead
   * of sending, or `defer` to leave it unmarked for now (undo: a later row may explain the move).
   */
  precondition?(item: WorkItem, user: ClerkUser): Omit<OutcomeMark, 'row' | 'target'> | 'defer' | undefined;
  /** Told after a row was written (undo follows chains of rows on one user). */
  written?(item: WorkItem, before: ClerkUser, after: ClerkUser): void;
  /** Rows that became ready while others were sent (undo's chains). */
  more?(): WorkItem[];
  /** What the run's first read found (a run; not an undo). */
  reads?: PlanReads;
}

/** The rows of a bulk input, as the send pass takes them. */
export async function* runItems(
  ctx: RunContext,
  prepare: (row: BulkRow) => PreparedRow | undefined,
  reads?: PlanReads,
): AsyncGenerator<WorkItem[]> {
  for await (const batch of inBatches(ctx.input.rows(), ctx.batchSize)) {
    const items: WorkItem[] = [];
    for (const row of batch) {
      const selection = selectRow(ctx, row.row);
      if (selection.kind === 'skip' || selection.kind === 'finished') continue;
      const prepared = prepare(row);
      if (!prepared) continue;
      if (selection.kind === 'reconcile') {
        items.push({
          prepared,
          lookup: { kind: 'user_id', value: selection.sent.user_id },
          sent: selection.sent,
        });
        continue;
      }
      // Read again by the id the first read found: one kind of lookup, 100 rows a request.
      const found = row.target.kind === 'user_id' ? undefined : reads?.ids.get(prepared.targetText);
      if (typeof found === 'string')
        items.push({ prepared, lookup: { kind: 'user_id', value: found }, named: row.target });
      else if (found) items.push({ prepared, lookup: row.target, known: found });
      else items.push({ prepared, lookup: row.target });
    }
    if (items.length > 0) yield items;
  }
}

/**
 * The second read of a run: each batch looked up again just before it is sent (fresh values), then every row
 * through `sendPlanned`, paced, one after the other per user, with its marks: `sent` on disk before its first
 * request leaves, its outcome after the answer. The next batches are looked up while this one is sent (two,
 * or a head start's worth of rows: `readAhead`). A batch is read by the user ids the first read found (rows
 * Clerk said several users match are not looked up again), and not at all while the first read of its rows
 * is younger than one window of the limit. A row whose first lookup failed or found no user is always looked
 * up again by its own target (with the batch's other lookups), and fails as not found only if Clerk still has
 * no user for it.
 */
export async function sendPass(ctx: SendContext): Promise<void> {
  const fresh = new FreshUsers();
  const queue = new UserQueue();
  const slots = new Slots(() => ctx.pacer.concurrency());
  const inflight: Array<Promise<void>> = [];
  const reads = ctx.rows.reads;
  // The first read was before any write: rows that take it see the run's writes since (FreshUsers).
  const planToken = fresh.beginRead();
  let planUses = 0;
  let planOver = false;
  const donePlan = (): void => {
    if (planOver && planUses === 0) fresh.endRead(planToken);
  };
  /** The first read's users for the batch, while young enough. */
  const recentRead = (items: WorkItem[]): Map<string, Resolution> | undefined => {
    const recent = reads?.recent;
    if (!recent || planOver) return undefined;
    const young = ctx.clock !== undefined && ctx.clock.now() - recent.at < ctx.pacer.windowMs;
    if (young && items.every((i) => i.known || recent.byTarget.has(formatTarget(i.named ?? i.lookup))))
      return recent.byTarget;
    planOver = true;
    reads.recent = undefined;
    donePlan();
    return undefined;
  };
  /**
   * Look a batch up, then queue its rows (in order, so rows on one user keep the file's order); resolves when
   * they are done.
   */
  const runBatch = async (items: WorkItem[]): Promise<() => Promise<void>> => {
    const recent = recentRead(items);
    // What is known of each row without a read: the first read's answer (no user or a failed lookup: looked
    // up again).
    const taken = items.map((item) => {
      if (item.known) return item.known;
      const found = recent?.get(formatTarget(item.named ?? item.lookup));
      return found && isReusable(found) ? found : undefined;
    });
    const wanted = items.filter((_, k) => taken[k] === undefined);
    const token = wanted.length > 0 ? fresh.beginRead() : undefined;
    if (recent) planUses++;
    let resolved: Resolved = { byTarget: new Map() };
    if (wanted.length > 0) {
      resolved = await resolveTargets(
        ctx.client,
        wanted.map((i) => i.lookup),
      );
      if (resolved.fatal) ctx.stop(resolved.fatal.message);
    }
    const foundFor = (item: WorkItem, k: number): Resolution | undefined => {
      const known = taken[k];
      if (known) return known;
      const found = resolved.byTarget.get(formatTarget(item.lookup));
      return found?.ok && item.named ? stillNamedBy(item.named, found.user) : found;
    };
    let left = items.length;
    const jobs = items.map((item, k) =>
      runItem(
        ctx,
        item,
        foundFor(item, k),
        (taken[k] ? undefined : token) ?? planToken,
        fresh,
        queue,
        slots,
      ).finally(() => {
        if (--left > 0) return;
        if (token) fresh.endRead(token);
        if (recent) {
          planUses--;
          donePlan();
        }
      }),
    );
    return async () => {
      await Promise.all(jobs);
      const more = ctx.rows.more?.() ?? [];
      if (more.length > 0 && !ctx.stopping()) await (await runBatch(more))();
    };
  };
  for await (const items of ctx.rows.batches()) {
    if (ctx.stopping()) break;
    const finish = await runBatch(items);
    inflight.push(finish());
    // Batches read ahead: two, or a head start's worth of rows (they wait for slots, read and ready).
    if (inflight.length >= Math.max(2, 1 + Math.ceil(ctx.pacer.readAhead() / ctx.batchSize)))
      await inflight.shift();
  }
  await Promise.all(inflight);
  planOver = true;
  donePlan();
}

async function runItem(
  ctx: SendContext,
  item: WorkItem,
  found: Resolution | undefined,
  token: ReadToken,
  fresh: FreshUsers,
  queue: UserQueue,
  slots: Slots,
): Promise<void> {
  const { prepared } = item;
  if (ctx.stopping()) return;
  if (!found || !found.ok) {
    if (item.sent) return; // its user could not be read: stays `sent`, checked by the next resume
    outcome(ctx, prepared, {
      state: 'failed',
      user_id: null,
      http_status: found?.httpStatus ?? null,
      code: found?.code ?? 'target_not_found',
      message: found?.message ?? 'The target was not looked up.',
      trace_id: found?.traceId ?? null,
      applied: 'no',
    });
    return;
  }
  const read = found.user;
  await queue.run(read.id, async () => {
    await slots.acquire();
    try {
      if (ctx.stopping()) return;
      await sendItem(ctx, item, fresh.current(read, token), fresh);
    } catch (error) {
      ctx.stop(journalFailed(error));
    } finally {
      slots.release();
    }
  });
}

async function sendItem(ctx: SendContext, item: WorkItem, user: ClerkUser, fresh: FreshUsers): Promise<void> {
  const { prepared } = item;
  let plan: PlannedRequest[];
  if (item.sent) {
    plan = remainingRequests(prepared, user, item.sent);
    if (plan.length === 0) {
      outcome(ctx, prepared, {
        state: 'done',
        user_id: user.id,
        http_status: null,
        code: null,
        message: 'Found applied at Clerk after an unanswered send; not sent again.',
        trace_id: null,
        updated_at: user.updated_at,
        reconciled: true,
        ...restoredTo(item),
      });
      ctx.rows.written?.(item, user, user);
      return;
    }
    // Back to `sent` (it was `failed`, maybe applied): a crash from here on is reconciled again.
    if (ctx.index.state(prepared.row) !== 'sent') await ctx.writer.write(item.sent);
  } else {
    const refused = ctx.rows.precondition?.(item, user);
    if (refused === 'defer') return;
    if (refused) {
      outcome(ctx, prepared, refused);
      return;
    }
    const diff = diffRow(prepared, user);
    if (diff.unchanged) {
      outcome(ctx, prepared, {
        state: 'unchanged',
        user_id: user.id,
        http_status: null,
        code: null,
        message: null,
        trace_id: null,
      });
      return;
    }
    plan = prepared.plan(user.id);
    const mark: SentMark = {
      row: prepared.row,
      state: 'sent',
      target: prepared.targetText,
      user_id: user.id,
      fields: prepared.fields,
      before: diff.before,
      before_updated_at: user.updated_at,
    };
    const at = ctx.clock?.epochMs?.();
    if (at !== undefined) mark.at = Math.round(at);
    if (prepared.writeOnly.length > 0) mark.secret_fields = prepared.writeOnly;
    mark.after = Object.fromEntries(
      diff.changes
        .filter((c) => c.field in diff.before)
        .map((c) => [c.field, c.after === undefined ? null : c.after]),
    );
    const who = userDisplayName(user);
    if (who !== user.id) mark.who = who;
    await ctx.writer.write(mark);
    if (ctx.stopping()) {
      // Marked but never sent: back to pending (should this mark not make it, the resume checks the user).
      ctx.writer.write({ row: prepared.row, state: 'pending' }).catch(() => undefined);
      return;
    }
  }
  if (ctx.stopping()) return;

  const secrets = [...ctx.secrets, ...prepared.secrets];
  const ports: SendPorts = { confirm: async () => false, log: ctx.log };
  let applied = false;
  let last: ClerkUser | undefined;
  for (let tries = 1; ; tries++) {
    const report = await sendPlanned(
      {
        client: ctx.client,
        instance: ctx.instance,
        userId: user.id,
        plan,
        before: user,
        productionConfirmed: true,
        rateLimit: { maxTries: 1 },
        secrets,
      },
      ports,
    );
    const steps = report.outcome?.steps ?? [];
    const ok = steps.filter((s) => s.result.ok);
    for (const s of ok) if (s.result.ok) last = s.result.data;
    if (ok.length > 0 && last) {
      applied = true;
      fresh.wrote(last);
    }
    if (report.status === 'sent' && report.user) {
      const result = steps.at(-1)?.result;
      outcome(ctx, prepared, {
        state: 'done',
        user_id: user.id,
        http_status: result?.status ?? null,
        code: null,
        message: item.note ?? null,
        trace_id: result?.ok ? (result.traceId ?? null) : null,
        updated_at: report.user.updated_at,
        ...restoredTo(item),
      });
      ctx.rows.written?.(item, user, report.user);
      return;
    }
    plan = plan.slice(ok.length);
    const failure: ClerkFailure | undefined = report.failure;
    const rateLimited = failure?.kind === 'rate-limited';
    // A 429 was not applied (Clerk says so): the row waits for the pacer and goes again.
    if (rateLimited && !ctx.stopping() && tries < MAX_RATE_LIMITED_TRIES) continue;
    if (report.status === 'cancelled' || (rateLimited && ctx.stopping())) {
      // Not sent (the run stopped while it waited): back to pending, unless a first request went through.
      if (!applied && !item.sent)
        ctx.writer
          .write({ row: prepared.row, state: 'pending' })
          .catch((error: unknown) => ctx.stop(journalFailed(error)));
      return;
    }
    // A reconciled row may have been applied in part before: a retry must check it again.
    const state = applied ? 'partly' : item.sent || !failure?.notApplied ? 'maybe' : 'no';
    const code =
      failure?.errors[0]?.code ?? (rateLimited ? 'too_many_requests' : (failure?.kind ?? 'failed'));
    const param = failure?.errors[0]?.meta?.param_name;
    outcome(ctx, prepared, {
      state: 'failed',
      user_id: user.id,
      http_status: failure?.status ?? null,
      code,
      message: report.message,
      trace_id: failure?.traceId ?? null,
      applied: state,
      ...(typeof param === 'string' ? { param } : {}),
    });
    return;
  }
}

function restoredTo(item: WorkItem): Pick<OutcomeMark, 'restored_to'> {
  return item.run ? { restored_to: item.run.before } : {};
}

/**
 * Write a row's outcome. Not awaited by the row (its slot goes to the next row while the mark is
 * flushed with others); the pass drains the journal before it ends, and a failed flush stops it.
 */
function outcome(ctx: SendContext, prepared: PreparedRow, mark: Omit<OutcomeMark, 'row' | 'target'>): void {
  ctx.progress.row(mark.state === 'failed');
  // What Clerk (or a proxy) answered may repeat the key or a secret value: never on disk.
  const secrets = [...ctx.secrets, ...prepared.secrets];
  const clean = (text: string | null): string | null => (text === null ? null : redactSecrets(text, secrets));
  const said = { code: clean(mark.code), message: clean(mark.message), trace_id: clean(mark.trace_id) };
  const param = mark.param === undefined ? {} : { param: clean(mark.param) ?? undefined };
  ctx.writer
    .write({ row: prepared.row, target: prepared.targetText, ...mark, ...said, ...param } as OutcomeMark)
    .catch((error: unknown) => ctx.stop(journalFailed(error)));
}

function journalFailed(error: unknown): string {
  return `The journal could not be written (${errorMessage(error)}); stopped so that nothing is sent without its mark.`;
}
