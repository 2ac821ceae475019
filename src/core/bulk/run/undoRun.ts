import type { ClerkUser } from '../../clerk/types';
import { inBatches } from './batches';
import { selectRow } from './context';
import { type JournalIndex, type JournalStore, finalOutcomes, loadJournal } from '../journal/journalIndex';
import {
  type RunOptions,
  type RunPorts,
  type RunResult,
  askFirst,
  cancelledBeforeSending,
  notBegun,
  sendAndReport,
  start,
} from './run';
import { prepareRestore } from './preparedRow';
import type { RowSource, WorkItem } from './sendPass';
import { beginJournal, checkInstance } from './session';
import { emptyPlan, type PlanLine, type RunPlan } from './types';
import { restoreRequests, valueOf } from '../../users/undo';
import { isKeyPath } from '../../metadata/paths';
import { deepEqual } from '../../payload/equal';
import type { OutcomeMark } from '../journal/marks';
import type { ApiVersion } from '../../versions';

/**
 * A row of the undo whose restores are all metadata keys (a merge): checked per key instead of by
 * `updated_at`.
 */
type KeyedItem = WorkItem & { keys?: DoneRow };

function keyPathsOnly(d: DoneRow): boolean {
  const fields = Object.keys(d.before);
  return fields.length > 0 && fields.every(isKeyPath) && d.writeOnly.length === 0;
}

/**
 * The per-key precondition of the undo of a merge: a key that still holds what the run wrote is restored;
 * one that holds something else (changed since) is left alone and named in the row's message. Changes to
 * other keys do not matter: the restoring merge does not touch them. No key left: the row is skipped
 * (`key_changed`).
 */
function checkKeys(
  w: WorkItem,
  d: DoneRow,
  user: ClerkUser,
  apiVersion: ApiVersion,
): Omit<OutcomeMark, 'row' | 'target'> | undefined {
  const kept: Record<string, unknown> = {};
  const left: string[] = [];
  for (const [path, value] of Object.entries(d.before)) {
    const now = valueOf(user, path);
    if (!(path in d.after) || deepEqual(now, d.after[path])) kept[path] = value;
    else left.push(`${path} (now ${JSON.stringify(now)})`);
  }
  if (left.length === 0) return undefined;
  const note = `Left alone, changed since the run: ${left.join(', ')}.`;
  if (Object.keys(kept).length === 0) {
    return {
      state: 'skipped',
      user_id: user.id,
      http_status: null,
      code: 'key_changed',
      message: `Not restored: ${note}`,
      trace_id: null,
    };
  }
  w.prepared = prepareRestore(d.row, d.userId, kept, apiVersion, d.target);
  w.note = note;
  return undefined;
}

/** The undo of a run: its journal in, an undo journal of its own (`FILE.undo.journal.jsonl`). */
export interface UndoOptions extends Pick<
  RunOptions,
  | 'connect'
  | 'dryRun'
  | 'restart'
  | 'rate'
  | 'perUserRate'
  | 'productionConfirmed'
  | 'batchSize'
  | 'maxConcurrency'
  | 'clock'
  | 'signal'
  | 'maxWaitSeconds'
> {
  /** The run's journal (only read). */
  runJournal: JournalStore;
  /** SHA-256 (hex) of the run's journal file: an undo journal only resumes the undo of the same run. */
  runJournalHash: string;
  runJournalName: string;
  /** The undo's own journal. */
  journal: JournalStore;
}

/** A `done` row of the run with what its `sent` mark recorded. */
interface DoneRow {
  row: number;
  target: string;
  userId: string;
  before: Record<string, unknown>;
  /** What the run wrote at its metadata key paths (null: deleted). */
  after: Record<string, unknown>;
  writeOnly: string[];
  run: { before: number; after: number };
}

/** The run's `done` rows, in the order they were done (per user: the order of the writes). */
async function* doneRows(store: JournalStore, index: JournalIndex): AsyncGenerator<DoneRow> {
  for await (const { mark, sent } of finalOutcomes(store, index, true)) {
    if (mark.state !== 'done' || !sent || typeof mark.updated_at !== 'number') continue;
    yield {
      row: sent.row,
      target: sent.target,
      userId: sent.user_id,
      before: sent.before,
      after: sent.after ?? {},
      writeOnly: sent.secret_fields ?? [],
      run: { before: sent.before_updated_at, after: mark.updated_at },
    };
  }
}

/**
 * Undo a run: the run's `done` rows get their before-values back,
 * paced, journaled and resumable like a run. A user whose `updated_at` moved since the run's
 * write is skipped and reported (`user_changed`), unless the move was the run's own later write
 * on that user, undone first (rows on one user are undone last write first, in a chain).
 * Write-only fields (password, …) cannot be restored: such rows are reported (`not_restorable`).
 */
export async function undoRun(options: UndoOptions, ports: RunPorts): Promise<RunResult> {
  const loaded = await loadJournal(options.runJournal, false);
  if (loaded.status !== 'ok' || loaded.header.kind !== 'run') {
    return {
      status: 'refused',
      message:
        loaded.status === 'corrupt'
          ? loaded.message
          : `${options.runJournal.name} is not the journal of a run: there is nothing to undo.`,
    };
  }
  const runHeader = loaded.header;
  const runIndex = loaded.index;
  const expect = { kind: 'undo' as const, input: options.runJournalName, inputHash: options.runJournalHash };
  const noInput = { rows: async function* () {} };
  const started = await start(
    { ...options, input: noInput },
    expect,
    async () => runHeader.api_version,
    ports.progress,
  );
  if ('status' in started) return started;
  const s = started;
  const { ctx } = s;
  const wrongInstance = checkInstance(
    runHeader,
    ctx.instance,
    options.runJournal,
    s.connection.keyFingerprint,
    false,
  );
  if (wrongInstance) return { status: 'refused', message: wrongInstance };

  const item = (d: DoneRow): KeyedItem | undefined => {
    const selection = selectRow(ctx, d.row);
    if (selection.kind === 'skip' || selection.kind === 'finished') return undefined;
    const prepared = prepareRestore(d.row, d.userId, d.before, ctx.apiVersion, d.target);
    prepared.writeOnly = d.writeOnly;
    const sent = selection.kind === 'reconcile' ? selection.sent : undefined;
    return {
      prepared,
      lookup: { kind: 'user_id', value: d.userId },
      sent,
      run: d.run,
      keys: keyPathsOnly(d) ? d : undefined,
    };
  };

  // The plan: no lookups (the users are read just before each batch is undone).
  ctx.progress.start('planning', 0, undefined);
  const plan: RunPlan = emptyPlan();
  const fields = new Map<string, number>();
  const requests = new Map<string, number>();
  for await (const d of doneRows(options.runJournal, runIndex)) {
    plan.total++;
    ctx.progress.row();
    const w = item(d);
    if (!w) {
      plan.finished++;
      continue;
    }
    if (w.sent) plan.toReconcile++;
    else if (Object.keys(d.before).length === 0) {
      plan.failing++;
      continue;
    } else plan.toChange++;
    for (const f of Object.keys(d.before)) fields.set(f, (fields.get(f) ?? 0) + 1);
    for (const r of restoreRequests(
      d.userId,
      Object.entries(d.before).map(([field, value]) => ({ field, value })),
      ctx.apiVersion,
    )) {
      const kind = `${r.method} ${r.path.endsWith('/metadata') ? '/v1/users/{user_id}/metadata' : '/v1/users/{user_id}'}`;
      requests.set(kind, (requests.get(kind) ?? 0) + 1);
    }
    if (plan.samples.length < 3) plan.samples.push(`${d.target} (${d.userId})`);
    const line: PlanLine = {
      row: d.row,
      target: d.target,
      user_id: d.userId,
      action: 'change',
      fields: Object.keys(d.before),
      changes: Object.entries(d.before).map(([field, after]) => ({
        field,
        before: '(as the run left it)',
        after,
      })),
      code: null,
      message: null,
    };
    if (plan.diffs.length < 20) plan.diffs.push(line);
    if (options.dryRun) await ports.plan?.(line);
  }
  plan.fields = [...fields].map(([field, rows]) => ({ field, rows })).sort((a, b) => b.rows - a.rows);
  plan.requests = [...requests].map(([request, count]) => ({ request, count }));
  ports.planned?.(plan);
  if (s.cancelled()) return cancelledBeforeSending(s, plan);
  if (options.dryRun) {
    return {
      status: 'planned',
      message: `Dry run, nothing sent: ${plan.toChange} rows to restore${plan.finished ? `, ${plan.finished} undone before` : ''}.`,
      plan,
      note: s.opened.note,
    };
  }
  const declined = await askFirst(
    ports,
    ctx.instance,
    plan,
    { first: [], count: 0 },
    'undo',
    options.productionConfirmed,
  );
  if (declined)
    return {
      status: 'declined',
      declined,
      message: 'Not undone: the production undo was not confirmed.',
      plan,
    };
  if (s.cancelled()) return cancelledBeforeSending(s, plan);
  const begun = await beginJournal(
    options.journal,
    s.opened,
    expect,
    ctx.instance,
    ctx.apiVersion,
    new Date(),
    s.connection.keyFingerprint,
  );
  if (!begun.ok) return notBegun(s, plan, begun.message);
  const { writer } = begun;

  // Rows whose user moved since the run, by user: a later row of the run on the same user may
  // explain the move once it is undone (its `restored_to` is their `after`).
  const deferred = new Map<string, WorkItem[]>();
  let ready: WorkItem[] = [];
  const link = (userId: string, restoredTo: number, now: number): void => {
    const waiting = deferred.get(userId);
    const i = waiting?.findIndex((w) => w.run?.after === restoredTo) ?? -1;
    if (!waiting || i < 0) return;
    const [next] = waiting.splice(i, 1);
    if (waiting.length === 0) deferred.delete(userId);
    if (next.run) next.run = { ...next.run, after: now };
    ready.push(next);
  };
  const source: RowSource = {
    async *batches() {
      const items = (async function* () {
        for await (const d of doneRows(options.runJournal, runIndex)) {
          const w = item(d);
          if (!w) continue;
          yield [w];
        }
      })();
      yield* inBatches(items, ctx.batchSize);
    },
    precondition(w, user: ClerkUser) {
      if (w.prepared.fields.length === 0) {
        const what = w.prepared.writeOnly.join(', ') || 'nothing';
        return {
          state: 'skipped',
          user_id: user.id,
          http_status: null,
          code: 'not_restorable',
          message: `Nothing to restore: the run sent ${what}, which cannot be read back, so it kept no value to restore.`,
          trace_id: null,
        };
      }
      const keys = (w as KeyedItem).keys;
      if (keys) return checkKeys(w, keys, user, ctx.apiVersion);
      if (!w.run || user.updated_at === w.run.after) return undefined;
      const list = deferred.get(user.id);
      if (list) list.push(w);
      else deferred.set(user.id, [w]);
      return 'defer';
    },
    written(w, _before, after) {
      if (w.run) link(after.id, w.run.before, after.updated_at);
    },
    more() {
      const out = ready;
      ready = [];
      return out;
    },
  };
  const result = await sendAndReport(s, writer, ports, plan, source, 'Restored', async () => {
    // Chains whose later row was undone by an earlier process: its `done` mark says where it left the user.
    if (deferred.size > 0) {
      for await (const { mark } of finalOutcomes(options.journal, ctx.index)) {
        if (
          mark.state === 'done' &&
          mark.user_id &&
          mark.restored_to !== undefined &&
          mark.updated_at !== undefined
        )
          link(mark.user_id, mark.restored_to, mark.updated_at);
      }
    }
    const again = source.more?.() ?? [];
    if (again.length > 0) return again;
    for (const [userId, waiting] of deferred) {
      for (const w of waiting) {
        ctx.progress.row();
        await writer.write({
          row: w.prepared.row,
          state: 'skipped',
          target: w.prepared.targetText,
          user_id: userId,
          http_status: null,
          code: 'user_changed',
          message: `Not restored: ${userId} changed after the run (updated_at moved from ${new Date(w.run?.after ?? 0).toISOString()}); restoring would overwrite that change.`,
          trace_id: null,
        });
      }
    }
    deferred.clear();
    return [];
  });
  return result;
}
