// Entries built from what a send or a run reported: pure, so the editor and the CLI record the same.
import type { ReportLine, RunSummary } from '../bulk/run/types';
import { primaryEmail, userDisplayName, type ClerkUser } from '../clerk/types';
import { isReservedKey } from '../payload/plan';
import type { Instance } from '../clerk/instance';
import type { SendReport } from '../send/result';
import { OPTION_FIELDS } from '../users/editable';
import { isKeyPath } from '../metadata/paths';
import { sentKeysOf } from '../metadata/sent';
import { valueOf } from '../users/undo';
import type { PlannedRequest } from '../payload/plan';
import type { ApiVersion } from '../versions';
import type { HistoryEntry, HistoryKind, HistoryStep } from './entry';
import { redactEntry } from './redact';
import { setOwn } from '../parse/values';
import { formatCount } from '../text/format';

/** Where an entry was made: the same for every kind. */
export interface EntryContext {
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
  instance: Instance;
  apiVersion: ApiVersion;
  source: string | null;
  /** Values kept out of the entry (the key, secret field values). */
  secrets: ReadonlyArray<string | undefined>;
}

function base(
  ctx: EntryContext,
  kind: HistoryKind,
): Pick<HistoryEntry, 'id' | 'time' | 'kind' | 'environment' | 'instance' | 'source' | 'api_version'> {
  return {
    id: ctx.id,
    time: new Date(ctx.time).toISOString(),
    kind,
    environment: { name: ctx.instance.name, api_url: ctx.instance.apiUrl },
    instance: ctx.instance.production ? 'production' : 'development',
    source: ctx.source,
    api_version: ctx.apiVersion,
  };
}

/** The fields a plan carries that are user state (no `$` keys, no request options), in order. */
export function changedFieldsOf(plan: ReadonlyArray<{ fields: readonly string[] }>): string[] {
  const options = OPTION_FIELDS as readonly string[];
  return [...new Set(plan.flatMap((p) => p.fields))].filter((f) => !isReservedKey(f) && !options.includes(f));
}

/** A value tried by a send that failed is kept up to this size (JSON); a larger one is only named. */
export const KEPT_VALUE_CHARS = 1024;

function bodyValues(plan: ReadonlyArray<{ body: string }>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const request of plan) {
    try {
      const body = JSON.parse(request.body) as Record<string, unknown>;
      for (const [field, value] of Object.entries(body)) setOwn(out, field, kept(value));
    } catch {
      // a body that is not JSON has no values to show
    }
  }
  return out;
}

/**
 * A tried value as the entry keeps it: itself, or what stands in for one too large to keep (the history
 * stays small).
 */
function kept(value: unknown): unknown {
  const size = typeof value === 'string' ? value.length : (JSON.stringify(value)?.length ?? 0);
  return size <= KEPT_VALUE_CHARS ? value : `(${formatCount(size)} characters, not kept)`;
}

/**
 * The entry of a single send (or of an undo, which is one), or undefined when nothing was sent
 * (blocked, declined, refused, nothing to send). After-values are the user Clerk returned; a send
 * that failed keeps the values it tried.
 */
export function sendEntry(
  report: SendReport,
  ctx: EntryContext,
  kind: 'send' | 'undo' = 'send',
  undoes?: string,
): HistoryEntry | undefined {
  if (!report.outcome || report.outcome.steps.length === 0 || !report.userId) return undefined;
  const plan: readonly PlannedRequest[] = report.plan ?? [];
  const tried = bodyValues(plan);
  const fields: HistoryEntry['fields'] = {};
  // A metadata merge is recorded per key path it touches (null: the key is absent).
  for (const field of changedFieldsOf(sentKeysOf(plan, report.before).map((f) => ({ fields: [f] })))) {
    fields[field] = {
      before: report.before ? valueOf(report.before, field) : null,
      after: report.user ? valueOf(report.user, field) : isKeyPath(field) ? null : (tried[field] ?? null),
    };
  }
  const steps: HistoryStep[] = report.outcome.steps.map((s) => ({
    method: s.request.method,
    path: s.request.path,
    status: s.result.status ?? null,
    trace_id: s.result.traceId ?? null,
  }));
  const user: ClerkUser | undefined = report.user ?? report.before;
  const entry: HistoryEntry = {
    ...base(ctx, kind),
    user_id: report.userId,
    user_name: user ? userDisplayName(user) : null,
    email: user ? (primaryEmail(user) ?? null) : null,
    ok: report.status === 'sent',
    status: report.status,
    message: report.message,
    fields,
    steps,
    updated_at: report.user?.updated_at ?? null,
    ...(undoes ? { undoes } : {}),
  };
  return redactEntry(entry, ctx.secrets);
}

/** Rows kept in a run's entry (the journal and the report have them all). */
export const RUN_ROWS = 1000;

/** What a bulk run (or its undo) ended with, as the entry needs it. */
export interface RunOutcome {
  status: 'finished' | 'cancelled' | 'stopped';
  message: string;
  summary: RunSummary;
  journal: string;
  /** The fields the run changes (its plan's fields). */
  fields: readonly string[];
  /** The rows reported, with who each user is when the journal says (`who`). */
  rows: ReadonlyArray<ReportLine & { who?: string }>;
}

/** One entry for a whole run; its rows link to the run's journal, which has their before-values. */
export function runEntry(run: RunOutcome, ctx: EntryContext, kind: 'run' | 'undo' = 'run'): HistoryEntry {
  const { summary } = run;
  const entry: HistoryEntry = {
    ...base(ctx, kind),
    user_id: null,
    user_name: null,
    email: null,
    ok: run.status === 'finished' && summary.failed === 0,
    status: run.status,
    message: run.message,
    fields: {},
    steps: [],
    updated_at: null,
    run: {
      journal: run.journal,
      summary: {
        total: summary.total,
        updated: summary.updated,
        unchanged: summary.unchanged,
        failed: summary.failed,
        skipped: summary.skipped,
        requests: summary.requests,
      },
      fields: [...run.fields],
      // In file order, whatever order the requests finished in.
      rows: [...run.rows]
        .sort((a, b) => a.row - b.row)
        .slice(0, RUN_ROWS)
        .map((r) => ({
          row: r.row,
          user_id: r.user_id,
          status: r.status,
          http_status: r.http_status,
          trace_id: r.trace_id,
          ...(r.who ? { who: r.who } : {}),
        })),
    },
  };
  return redactEntry(entry, ctx.secrets);
}
