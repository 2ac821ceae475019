import type { ClerkClient } from '../../clerk/client';
import type { Instance } from '../../clerk/instance';
import type { ApiVersion } from '../../versions';
import type { SentMark } from '../journal/marks';
import type { JournalIndex } from '../journal/journalIndex';
import type { Pacer } from '../../pacing/pacer';
import type { ProgressTracker } from './progress';
import type { BulkInput } from '../format/types';
import type { Clock } from '../../pacing/clock';

/** What both reads of a run share. */
export interface RunContext {
  input: BulkInput;
  index: JournalIndex;
  /** The connection's client behind the pacer. */
  client: ClerkClient;
  pacer: Pacer;
  instance: Instance;
  /** For rows without `$api_version`. */
  apiVersion: ApiVersion;
  batchSize: number;
  retryFailed: boolean;
  onlyRows: ReadonlySet<number> | undefined;
  progress: ProgressTracker;
  /** The pacer's clock; its epoch time stamps `sent` marks. */
  clock?: Clock;
}

/** What a run does with a row, given its journal. */
export type Selection =
  { kind: 'skip' } | { kind: 'finished' } | { kind: 'fresh' } | { kind: 'reconcile'; sent: SentMark };

/**
 * - rows outside `onlyRows`: not part of this run;
 * - `done`, `unchanged`, `skipped` (and `failed` unless retrying): finished, not sent again;
 * - `sent` (and `failed` that may have been applied, when retrying): reconciled at Clerk first;
 * - the others (no mark, `pending`, `failed` certainly not applied when retrying): planned afresh.
 */
export function selectRow(
  ctx: Pick<RunContext, 'index' | 'retryFailed' | 'onlyRows'>,
  row: number,
): Selection {
  if (ctx.onlyRows && !ctx.onlyRows.has(row)) return { kind: 'skip' };
  const state = ctx.index.state(row);
  if (state === 'pending') return { kind: 'fresh' };
  if (state === 'failed' && !ctx.retryFailed) return { kind: 'finished' };
  if (state === 'sent' || state === 'failed') {
    const sent = ctx.index.sentMark(row);
    return sent ? { kind: 'reconcile', sent } : { kind: 'fresh' };
  }
  return { kind: 'finished' };
}
