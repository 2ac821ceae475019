import type { Clock } from '../../pacing/clock';
import type { Pacer } from '../../pacing/pacer';
import type { RunProgress } from './types';

const EVERY_MS = 200;
const RATE_WINDOW_MS = 10_000;

/** Counts a run's rows and tells the adapter, at most every 200 ms and at each change of phase. */
export class ProgressTracker {
  phase: RunProgress['phase'] = 'planning';
  done = 0;
  failed = 0;
  total: number | undefined;
  readonly #clock: Clock;
  readonly #emit: ((p: RunProgress) => void) | undefined;
  readonly #pacer: () => Pacer | undefined;
  #last = -Infinity;
  #samples: Array<{ at: number; done: number }> = [];

  constructor(clock: Clock, emit: ((p: RunProgress) => void) | undefined, pacer: () => Pacer | undefined) {
    this.#clock = clock;
    this.#emit = emit;
    this.#pacer = pacer;
  }

  start(phase: RunProgress['phase'], done: number, total: number | undefined): void {
    this.phase = phase;
    this.done = done;
    this.total = total;
    this.#samples = [];
    this.emit();
  }

  row(failed = false): void {
    this.done++;
    if (failed) this.failed++;
    if (this.#clock.now() - this.#last >= EVERY_MS) this.emit();
  }

  emit(): void {
    if (!this.#emit) return;
    const now = this.#clock.now();
    this.#last = now;
    this.#samples.push({ at: now, done: this.done });
    while (this.#samples.length > 1 && this.#samples[0].at < now - RATE_WINDOW_MS) this.#samples.shift();
    const first = this.#samples[0];
    const seconds = (now - first.at) / 1000;
    const rowsPerSecond = seconds > 0 ? Math.round(((this.done - first.done) / seconds) * 10) / 10 : 0;
    const left = this.total === undefined ? undefined : Math.max(0, this.total - this.done);
    const pacer = this.#pacer();
    const paused = pacer?.pausedUntil();
    this.#emit({
      phase: this.phase,
      done: this.done,
      total: this.total,
      failed: this.failed,
      rowsPerSecond,
      etaSeconds: left !== undefined && rowsPerSecond > 0 ? Math.ceil(left / rowsPerSecond) : undefined,
      rateLimited: pacer?.stats().rateLimited ?? 0,
      waitingSeconds: paused === undefined ? undefined : Math.ceil((paused - now) / 1000),
    });
  }
}
