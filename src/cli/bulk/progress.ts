import type { RunProgress } from '../../core/bulk/run/types';
import type { CliIO } from '../io';
import { formatCount } from '../../core/text/format';

const n = formatCount;
const BAR = 24;
/** A redraw at most this often on a terminal (the engine tells at most every 200 ms). */
const REDRAW_MS = 250;
/** A plain line at most this often when standard error is not a terminal. */
const PLAIN_MS = 5000;

/** "42s", "3m 05s", "1h 02m". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** "[#####...................] " for a share from 0 to 1. */
export function bar(share: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, share)) * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] `;
}

/** One line of progress: "sending [#####...] 1,234/10,000 (12%), 95.1 rows/s, ETA 1m 32s, 3 failed". */
export function progressText(p: RunProgress, drawn: boolean): string {
  if (p.phase === 'planning')
    return `planning: ${n(p.done)} rows read and looked up${p.rowsPerSecond > 0 ? `, ${n(p.rowsPerSecond)} rows/s` : ''}`;
  if (p.phase === 'reporting') return 'writing the report…';
  const parts: string[] = [];
  if (p.total !== undefined && p.total > 0) {
    const share = Math.min(1, p.done / p.total);
    parts.push(
      `sending ${drawn ? bar(share) : ''}${n(p.done)}/${n(p.total)} rows (${Math.floor(share * 100)}%)`,
    );
  } else parts.push(`sending: ${n(p.done)} rows`);
  parts.push(`${n(p.rowsPerSecond)} rows/s`);
  if (p.etaSeconds !== undefined) parts.push(`ETA ${duration(p.etaSeconds)}`);
  parts.push(`${n(p.failed)} failed`);
  if (p.rateLimited > 0) parts.push(`${n(p.rateLimited)} rate-limited`);
  if (p.waitingSeconds !== undefined) parts.push(`waiting ${p.waitingSeconds} s after a 429`);
  return parts.join(', ');
}

/**
 * Progress on standard error: on a terminal one line redrawn in place (at most every 250 ms, and
 * at each change of phase), else a plain line at each change of phase and at most every 5 s.
 * `print` writes a line above it.
 */
export class ProgressLine {
  #shown = '';
  #last = -Infinity;
  #phase: string | undefined;
  #pending: string | undefined;

  constructor(
    private readonly io: CliIO,
    private readonly clock: () => number = Date.now,
  ) {}

  get tty(): boolean {
    return this.io.stderrIsTTY === true;
  }

  update(phase: string, text: string): void {
    const now = this.clock();
    const changed = phase !== this.#phase;
    if (!changed && now - this.#last < (this.tty ? REDRAW_MS : PLAIN_MS)) {
      this.#pending = text;
      return;
    }
    // The last state of the phase that ended, when it was not shown (plain lines only).
    if (changed && !this.tty && this.#pending !== undefined) this.io.stderr(`${this.#pending}\n`);
    this.#phase = phase;
    this.#last = now;
    this.#pending = undefined;
    if (this.tty) {
      this.#shown = text;
      this.io.stderr(`\r\x1b[2K${text}`);
    } else this.io.stderr(`${text}\n`);
  }

  /** A line of its own, above the progress line. */
  print(text: string): void {
    if (this.tty && this.#shown) this.io.stderr(`\r\x1b[2K${text}${this.#shown}`);
    else {
      // Plain lines stay in order: the state reached so far comes before what is said about it.
      if (!this.tty && this.#pending !== undefined) this.io.stderr(`${this.#pending}\n`);
      this.#pending = undefined;
      this.io.stderr(text);
    }
  }

  /** Clears the progress line (before the summary); plain lines get their last state. */
  end(): void {
    if (this.tty && this.#shown) this.io.stderr('\r\x1b[2K');
    else if (!this.tty && this.#pending !== undefined) this.io.stderr(`${this.#pending}\n`);
    this.#shown = '';
    this.#pending = undefined;
  }
}
