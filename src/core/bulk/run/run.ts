import type { Connection } from '../../clerk/instance';
import type { Confirmation, SendPorts } from '../../send/ports';
import type { Instance } from '../../clerk/instance';
import { needsConfirmation } from '../../send/production';
import type { ApiVersion } from '../../versions';
import { type Clock, systemClock } from '../../pacing/clock';
import type { RunContext } from './context';
import { describeSummary, summarize } from './finish';
import type { JournalStore } from '../journal/journalIndex';
import type { JournalWriter } from '../journal/journalWriter';
import { Pacer } from '../../pacing/pacer';
import { DEFAULT_RATE_LIMIT_POLICY } from '../../clerk/ratelimit';
import { planPass } from './planPass';
import { ProgressTracker } from './progress';
import { type Rate, instanceRate } from '../../pacing/rate';
import { prepareRow } from './preparedRow';
import {
  type JournalExpectation,
  type OpenedJournal,
  beginJournal,
  checkInstance,
  openJournal,
} from './session';
import { type RowSource, type WorkItem, runItems, sendPass } from './sendPass';
import type { BulkInput } from '../format/types';
import type { PlanLine, ReportLine, RunPlan, RunProgress, RunSummary } from './types';
import { errorMessage, formatCount } from '../../text/format';

/** A run of a bulk file, as an adapter (the CLI, the editor) starts it. */
export interface RunOptions {
  input: BulkInput;
  /** SHA-256 (hex) of the input file, computed by the adapter: a journal only resumes the same input. */
  inputHash: string;
  /** The input's file name, for the journal and messages. */
  inputName: string;
  /** `FILE.journal.jsonl` next to the input, or a given path. */
  journal: JournalStore;
  /** A client for the rows' API version (the first row's `$api_version`, else `defaultApiVersion`). */
  connect(apiVersion: ApiVersion): Promise<Connection>;
  defaultApiVersion: ApiVersion;
  /** Plan only: lookups, no journal, nothing sent. */
  dryRun?: boolean;
  /** Begin again although the journal is of another input or damaged (it is moved aside, not lost). */
  restart?: boolean;
  /**
   * Send the rows that failed before again ("retry failed rows"); those that may have been applied are
   * checked at Clerk first.
   */
  retryFailed?: boolean;
  /** Only these rows (by row number); the others are left as they are. */
  onlyRows?: ReadonlySet<number>;
  /**
   * The instance's limit when it is not the documented one (`parseRate('500/10s')`); also scaled windows for
   * benchmarks.
   */
  rate?: Rate;
  /** Writes per user (default 10 per 10 s); `false`: no such limit. */
  perUserRate?: Rate | false;
  /** The production question was answered already (CLI `--yes`). */
  productionConfirmed?: boolean;
  /** The longest wait a 429 may ask for (default 60 s): a longer one stops the run as a cancel does. */
  maxWaitSeconds?: number;
  /** Rows per lookup batch (default 100, Clerk's most values per filter). */
  batchSize?: number;
  /** Most rows in flight (default 64); the pacer picks fewer when they suffice. */
  maxConcurrency?: number;
  clock?: Clock;
  /** Cancel: no new row starts; rows in flight finish and are journaled; running again resumes. */
  signal?: AbortSignal;
}

export interface RunPorts {
  /** The warnings (once) and the production question (once, with the count, fields and three users). */
  confirm(question: Confirmation): Promise<boolean>;
  progress?(event: RunProgress): void;
  /** The plan, once the first read is done (before any question). */
  planned?(plan: RunPlan): void;
  /** Dry run: one line per row. */
  plan?(line: PlanLine): void | Promise<void>;
  /** After a run: one line per row with an outcome (`FILE.report.jsonl`). */
  report?(line: ReportLine): void | Promise<void>;
  /** Lines for the log; never keys or secret values. */
  log?: SendPorts['log'];
}

export type RunResult =
  | { status: 'refused'; message: string }
  | { status: 'unavailable'; problem: string; message: string }
  | { status: 'blocked'; message: string; errors: string[]; errorCount: number; plan: RunPlan }
  | {
      status: 'declined';
      declined: 'warnings' | 'production' | 'dropped-keys';
      message: string;
      plan: RunPlan;
    }
  | { status: 'planned'; message: string; plan: RunPlan; note?: string }
  | {
      status: 'finished' | 'cancelled' | 'stopped';
      message: string;
      plan: RunPlan;
      summary: RunSummary;
      journal: string;
    };

const n = formatCount;

/** "line 3: …", at most 20, then how many more. */
export function listed(first: readonly string[], count: number): string[] {
  return count > first.length ? [...first, `… and ${n(count - first.length)} more`] : [...first];
}

/** The API version of the input's first row, if it names one. */
async function firstApiVersion(input: BulkInput): Promise<ApiVersion | undefined> {
  for await (const chunk of input.rows()) if (chunk.length > 0) return chunk[0].apiVersion;
  return undefined;
}

/** What a run and an undo share once the journal is open and the client connected. */
export interface Started {
  ctx: RunContext;
  opened: OpenedJournal;
  connection: Extract<Connection, { ok: true }>;
  store: JournalStore;
  clock: Clock;
  startedAt: number;
  cancelled(): boolean;
  /** Why the run stopped when a 429 asked to wait longer than the run waits. */
  tooLong(): string | undefined;
}

/** Open the journal, connect, and set up the pacer and progress. */
export async function start(
  options: Pick<
    RunOptions,
    | 'journal'
    | 'connect'
    | 'restart'
    | 'dryRun'
    | 'rate'
    | 'perUserRate'
    | 'clock'
    | 'maxConcurrency'
    | 'batchSize'
    | 'retryFailed'
    | 'onlyRows'
    | 'signal'
    | 'input'
    | 'maxWaitSeconds'
  >,
  expect: JournalExpectation,
  apiVersion: (opened: OpenedJournal) => Promise<ApiVersion>,
  progress: RunPorts['progress'],
): Promise<Started | Extract<RunResult, { status: 'refused' | 'unavailable' }>> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const opened = await openJournal(options.journal, expect, options);
  if (!opened.ok) return { status: 'refused', message: opened.message };
  const version = await apiVersion(opened);
  const connection = await options.connect(version);
  if (!connection.ok)
    return { status: 'unavailable', problem: connection.problem, message: connection.message };
  const wrongInstance = checkInstance(
    opened.header,
    connection.instance,
    options.journal,
    connection.keyFingerprint,
  );
  if (wrongInstance) return { status: 'refused', message: wrongInstance };
  let cancelled = false;
  let progressTracker: ProgressTracker | undefined;
  const pacer = new Pacer({
    rate: options.rate ?? instanceRate(connection.instance.production),
    perUser: options.perUserRate,
    clock,
    maxConcurrency: options.maxConcurrency,
    maxWaitSeconds: options.maxWaitSeconds,
    observe: (event) => {
      // A wait begins (said at once, however long since the last progress), or one too long stops the run.
      if (event.type === 'rate-limited') progressTracker?.emit();
      if (event.type === 'too-long') cancelled = true;
    },
  });
  const maxWait = options.maxWaitSeconds ?? DEFAULT_RATE_LIMIT_POLICY.maxWaitSeconds;
  const tooLong = (): string | undefined => {
    const asked = pacer.overlong();
    if (asked === undefined) return undefined;
    return `Clerk answered 429 asking to wait ${n(asked)} s, longer than the ${n(maxWait)} s a run waits at most; stopped, as a cancel does.`;
  };
  // A resume: the requests of the last process still count in Clerk's window (the journal has their
  // times; its lookups, about one per 100 rows, are not journaled: counted at the last time).
  const epochNow = clock.epochMs?.();
  const times = opened.index.requestTimes();
  if (epochNow !== undefined && times.length > 0) {
    const lookups = Array.from({ length: Math.ceil(times.length / 50) }, () => times[times.length - 1]);
    pacer.replay([...times, ...lookups].map((at) => clock.now() - (epochNow - at)));
  }
  const onAbort = (): void => {
    cancelled = true;
    pacer.close();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const ctx: RunContext = {
    input: options.input,
    index: opened.index,
    client: connection.client.withGate(pacer),
    pacer,
    instance: connection.instance,
    apiVersion: version,
    batchSize: options.batchSize ?? 100,
    retryFailed: options.retryFailed ?? false,
    onlyRows: options.onlyRows,
    progress: (progressTracker = new ProgressTracker(clock, progress, () => pacer)),
    clock,
  };
  return {
    ctx,
    opened,
    connection,
    store: options.journal,
    clock,
    startedAt,
    cancelled: () => cancelled,
    tooLong,
  };
}

/**
 * Send the rows, journal them, and report: `finished`, `cancelled` (rows in flight finished;
 * running again resumes) or `stopped` (the journal could not be written, or Clerk refused the key).
 */
export async function sendAndReport(
  s: Started,
  writer: JournalWriter,
  ports: RunPorts,
  plan: RunPlan,
  rows: RowSource,
  verb: string,
  settle?: () => Promise<WorkItem[]>,
): Promise<Extract<RunResult, { status: 'finished' | 'cancelled' | 'stopped' }>> {
  const { ctx } = s;
  let stopped: string | undefined;
  const stop = (reason: string): void => {
    stopped ??= reason;
    ctx.pacer.close();
  };
  const stopping = (): boolean => stopped !== undefined || s.cancelled();
  const pass = (source: RowSource): Promise<void> =>
    sendPass({
      ...ctx,
      writer,
      secrets: s.connection.secrets ?? [],
      log: ports.log,
      stopping,
      stop,
      rows: source,
    });
  ctx.progress.start('sending', plan.finished, plan.total);
  await pass(rows);
  // Rows that only become ready once everything else is done (undo's chains across processes).
  while (settle && !stopping()) {
    await writer.drain().catch(() => undefined);
    const more = await settle();
    if (more.length === 0) break;
    await pass({
      ...rows,
      batches: async function* () {
        yield more;
      },
    });
  }
  try {
    await writer.drain();
  } catch (error) {
    stop(`The journal could not be written (${errorMessage(error)}).`);
  }
  ctx.progress.emit();
  ctx.progress.start('reporting', ctx.progress.done, plan.total);
  const stats = ctx.pacer.stats();
  const summary = await summarize(s.store, ctx.index, ports.report, {
    total: plan.total,
    requests: stats.requests,
    rateLimited: stats.rateLimited,
    durationMs: Math.round(s.clock.now() - s.startedAt),
    cancelled: s.cancelled() || stopped !== undefined,
  });
  const journal = s.store.name;
  stopped ??= s.tooLong();
  if (stopped)
    return {
      status: 'stopped',
      message: `${stopped} ${describeSummary(summary, verb)} Run it again to resume from ${journal}.`,
      plan,
      summary,
      journal,
    };
  if (s.cancelled()) {
    return {
      status: 'cancelled',
      message: `Cancelled: rows in flight were finished and journaled. ${describeSummary(summary, verb)} Run the same command again to resume from ${journal}.`,
      plan,
      summary,
      journal,
    };
  }
  return { status: 'finished', message: describeSummary(summary, verb), plan, summary, journal };
}

/** Ask what a run must ask before it sends: its warnings once, then (production) the run itself once. */
export async function askFirst(
  ports: Pick<RunPorts, 'confirm'>,
  instance: Instance,
  plan: RunPlan,
  warnings: { first: string[]; count: number },
  action: 'send' | 'undo',
  productionConfirmed: boolean | undefined,
): Promise<'warnings' | 'production' | 'dropped-keys' | undefined> {
  if (
    warnings.count > 0 &&
    !(await ports.confirm({ kind: 'warnings', warnings: listed(warnings.first, warnings.count) }))
  )
    return 'warnings';
  if (plan.dropped && !(await ports.confirm({ kind: 'dropped-keys', ...plan.dropped })))
    return 'dropped-keys';
  const writes = plan.toChange + plan.toReconcile;
  if (writes === 0 || !needsConfirmation(instance) || productionConfirmed) return undefined;
  const more = writes > plan.samples.length ? `, and ${n(writes - plan.samples.length)} more` : '';
  const confirmation = {
    action,
    instance,
    who: `${n(writes)} ${writes === 1 ? 'user' : 'users'}: ${plan.samples.join(', ')}${more}`,
    fields: plan.fields.map((f) => f.field),
    requests: plan.requests.map((r) => `${r.request} × ${n(r.count)}`),
    summary: `${n(plan.toChange)} to change, ${n(plan.unchanged)} unchanged, ${n(plan.failing)} that cannot be sent${plan.toReconcile ? `, ${n(plan.toReconcile)} to check first` : ''}.`,
    count: writes,
    samples: plan.samples,
  };
  return (await ports.confirm({ kind: 'production', confirmation })) ? undefined : 'production';
}

/**
 * A bulk run: plan (first read: rows checked, targets looked up in
 * batches, compared with the users), ask once, then send (second read: looked up again, paced,
 * journaled, resumable), then report. See src/core/bulk/README.md.
 */
export async function runBulk(options: RunOptions, ports: RunPorts): Promise<RunResult> {
  const expect: JournalExpectation = { kind: 'run', input: options.inputName, inputHash: options.inputHash };
  const started = await start(
    options,
    expect,
    async (opened) =>
      opened.header?.api_version ?? (await firstApiVersion(options.input)) ?? options.defaultApiVersion,
    ports.progress,
  );
  if ('status' in started) return started;
  const s = started;
  const { ctx } = s;
  ctx.progress.start('planning', 0, undefined);
  const planned = await planPass(ctx, options.dryRun ? ports.plan : undefined, !options.dryRun);
  const { plan } = planned;
  ports.planned?.(plan);
  if (s.cancelled()) return cancelledBeforeSending(s, plan);
  if (planned.fatal) return { status: 'unavailable', problem: 'unauthorized', message: planned.fatal };
  if (planned.errorCount > 0) {
    const more = planned.errorCount > 1 ? ` (and ${n(planned.errorCount - 1)} more)` : '';
    return {
      status: 'blocked',
      message: `Not sent: fix ${planned.errors[0]}${more} first.`,
      errors: listed(planned.errors, planned.errorCount),
      errorCount: planned.errorCount,
      plan,
    };
  }
  if (options.dryRun) {
    const message = `Dry run, nothing sent: ${n(plan.toChange)} to change, ${n(plan.unchanged)} unchanged, ${n(plan.failing)} that cannot be sent${plan.finished ? `, ${n(plan.finished)} finished before` : ''}.`;
    return { status: 'planned', message, plan, note: s.opened.note };
  }
  const declined = await askFirst(
    ports,
    ctx.instance,
    plan,
    { first: planned.warnings, count: planned.warningCount },
    'send',
    options.productionConfirmed,
  );
  if (declined) return { status: 'declined', declined, message: declinedMessage(declined, plan), plan };
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
  const rows = {
    batches: () =>
      runItems(
        ctx,
        (row) => {
          const prepared = prepareRow(row, ctx.apiVersion);
          return prepared.ok ? prepared.row : undefined;
        },
        planned.reads,
      ),
    reads: planned.reads,
  };
  return sendAndReport(s, writer, ports, plan, rows, 'Updated');
}

function declinedMessage(declined: 'warnings' | 'production' | 'dropped-keys', plan: RunPlan): string {
  if (declined === 'warnings') return 'Not sent: the warnings were not accepted.';
  if (declined === 'production') return 'Not sent: the production run was not confirmed.';
  return `Not sent: replacing metadata would remove keys from ${n(plan.dropped?.users ?? 0)} users (${droppedList(plan)}).`;
}

/** "public_metadata.plan (12 users), …". */
export function droppedList(plan: Pick<RunPlan, 'dropped'>): string {
  return (plan.dropped?.keys ?? [])
    .map((k) => `${k.path} (${n(k.users)} ${k.users === 1 ? 'user' : 'users'})`)
    .join(', ');
}

/** Cancelled during the first read or a question: nothing was sent, no journal begun. */
export function cancelledBeforeSending(s: Started, plan: RunPlan): RunResult {
  const tooLong = s.tooLong();
  if (tooLong)
    return {
      status: 'stopped',
      message: `${tooLong} Nothing was sent.`,
      plan,
      summary: nothingSent(s, plan),
      journal: s.store.name,
    };
  return {
    status: 'cancelled',
    message: 'Cancelled before anything was sent.',
    plan,
    summary: nothingSent(s, plan),
    journal: s.store.name,
  };
}

/** The journal could not be begun: nothing was sent. */
export function notBegun(s: Started, plan: RunPlan, message: string): RunResult {
  return { status: 'stopped', message, plan, summary: nothingSent(s, plan), journal: s.store.name };
}

function nothingSent(s: Started, plan: RunPlan): RunSummary {
  const { requests, rateLimited } = s.ctx.pacer.stats();
  const durationMs = Math.round(s.clock.now() - s.startedAt);
  return {
    total: plan.total,
    updated: 0,
    unchanged: 0,
    failed: 0,
    skipped: plan.total,
    failuresByCode: [],
    requests,
    rateLimited,
    durationMs,
    cancelled: true,
  };
}
