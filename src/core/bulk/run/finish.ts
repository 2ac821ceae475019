import { finalOutcomes, type JournalIndex, type JournalStore } from '../journal/journalIndex';
import type { ReportLine, RowOutcome, RunSummary } from './types';
import { formatCount } from '../../text/format';

const OUTCOME: Readonly<Record<'done' | 'unchanged' | 'failed' | 'skipped', RowOutcome>> = {
  done: 'updated',
  unchanged: 'unchanged',
  failed: 'failed',
  skipped: 'skipped',
};

/**
 * The report (one line per row with an outcome, in journal order, the last outcome of each row)
 * and the summary, both from the journal: they cover every process that worked on it.
 */
export async function summarize(
  store: JournalStore,
  index: JournalIndex,
  report: ((line: ReportLine) => void | Promise<void>) | undefined,
  run: { total: number; requests: number; rateLimited: number; durationMs: number; cancelled: boolean },
): Promise<RunSummary> {
  const counts: Record<RowOutcome, number> = { updated: 0, unchanged: 0, failed: 0, skipped: 0 };
  const codes = new Map<string, { count: number; example: string }>();
  for await (const { mark } of finalOutcomes(store, index)) {
    const status = OUTCOME[mark.state];
    counts[status]++;
    if (status === 'failed' || (status === 'skipped' && mark.code)) {
      const code = mark.code ?? 'failed';
      const entry = codes.get(code);
      if (entry) entry.count++;
      else codes.set(code, { count: 1, example: `line ${mark.row}: ${mark.message ?? code}` });
    }
    const line: ReportLine = {
      row: mark.row,
      target: mark.target,
      user_id: mark.user_id,
      status,
      http_status: mark.http_status,
      code: mark.code,
      message: mark.message,
      trace_id: mark.trace_id,
    };
    if (status === 'failed' && mark.param) line.param = mark.param;
    await report?.(line);
  }
  const total = Math.max(run.total, counts.updated + counts.unchanged + counts.failed + counts.skipped);
  return {
    total,
    updated: counts.updated,
    unchanged: counts.unchanged,
    failed: counts.failed,
    skipped: total - counts.updated - counts.unchanged - counts.failed,
    failuresByCode: [...codes].map(([code, v]) => ({ code, ...v })).sort((a, b) => b.count - a.count),
    requests: run.requests,
    rateLimited: run.rateLimited,
    durationMs: run.durationMs,
    cancelled: run.cancelled,
  };
}

/** "Updated 950, unchanged 40, failed 10 of 1,000 rows (4 target_not_found, …)." */
export function describeSummary(s: RunSummary, verb = 'Updated'): string {
  const n = formatCount;
  const parts = [`${verb} ${n(s.updated)}`, `unchanged ${n(s.unchanged)}`, `failed ${n(s.failed)}`];
  if (s.skipped > 0) parts.push(`skipped ${n(s.skipped)}`);
  const codes = s.failuresByCode.length
    ? ` (${s.failuresByCode
        .slice(0, 3)
        .map((c) => `${n(c.count)} ${c.code}`)
        .join(', ')}${s.failuresByCode.length > 3 ? ', …' : ''})`
    : '';
  return `${parts.join(', ')} of ${n(s.total)} rows${codes}; ${n(s.requests)} requests, ${n(s.rateLimited)} rate-limited, in ${Math.round(s.durationMs / 100) / 10} s.`;
}
