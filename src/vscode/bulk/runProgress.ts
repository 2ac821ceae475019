import type { RunProgress } from '../../core/bulk/run/types';
import type { BulkResult } from './bulkSession';
import { LazyProgress } from '../send/sendPorts';
import { formatCount } from '../../core/text/format';

const n = formatCount;

/** "about 1 min 32 s", "about 12 s". */
export function duration(seconds: number): string {
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes >= 60) return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `about ${minutes} min ${Math.round(seconds % 60)} s`;
}

/** "120 / 1,000 rows · 9.5 rows/s · about 1 min 32 s left · 2 failed", or what the phase is doing. */
export function describeProgress(p: RunProgress, noun = 'rows'): string {
  if (p.phase === 'planning') return `Checking the rows and looking up the users… ${n(p.done)} ${noun} read`;
  if (p.phase === 'reporting') return 'Writing the report…';
  const parts = [
    p.total === undefined ? `${n(p.done)} ${noun}` : `${n(p.done)} / ${n(p.total)} ${noun}`,
    `${formatCount(p.rowsPerSecond)} ${noun}/s`,
  ];
  if (p.etaSeconds !== undefined) parts.push(`${duration(p.etaSeconds)} left`);
  if (p.failed > 0) parts.push(`${n(p.failed)} failed`);
  if (p.waitingSeconds !== undefined && p.waitingSeconds > 0)
    parts.push(`waiting ${p.waitingSeconds} s after a 429`);
  return parts.join(' · ');
}

/**
 * The progress notification of a run, an undo or an export (cancellable: Cancel aborts `abort`),
 * with a bar while rows are sent. Counts what it showed, for the command's result.
 */
export class RunProgressView {
  private readonly view: LazyProgress;
  private percent = 0;
  private reports = 0;
  /** The last message of each phase. */
  private readonly phases: Partial<Record<RunProgress['phase'], string>> = {};

  constructor(title: string, abort: AbortController) {
    this.view = new LazyProgress(() => title, abort);
  }

  show(message: string, done?: number, total?: number): void {
    let increment: number | undefined;
    if (done !== undefined && total) {
      const percent = Math.min(100, (done / total) * 100);
      increment = percent - this.percent;
      this.percent = percent;
    }
    this.reports++;
    this.view.report(message, increment);
  }

  run(p: RunProgress): void {
    const message = describeProgress(p);
    this.phases[p.phase] = message;
    this.show(message, p.phase === 'sending' ? p.done : undefined, p.total);
  }

  done(): void {
    this.view.done();
  }

  /** What the command's result says about the progress shown. */
  seen(): BulkResult['progress'] {
    return { reports: this.reports, ...this.phases };
  }
}
