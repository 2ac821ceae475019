// Latency on every API request: a constant or a uniform range, drawn from a seeded sequence.
import type * as http from 'node:http';
import { seededRandom } from './random';
import type { FakeLatency } from './types';

export class Latency {
  private draw: (() => number) | undefined;
  private spec: FakeLatency | undefined;

  constructor(spec?: FakeLatency) {
    this.configure(spec);
  }

  /** Replace the distribution (undefined or 0: none). Restarts the seeded sequence. */
  configure(spec: FakeLatency | undefined): void {
    if (spec === undefined || spec === 0) {
      this.spec = undefined;
      this.draw = undefined;
      return;
    }
    if (typeof spec === 'number') {
      if (!(spec > 0)) throw new Error('latency must be a positive number of ms');
      this.spec = spec;
      this.draw = () => spec;
      return;
    }
    const { minMs, maxMs } = spec;
    if (!(minMs >= 0 && maxMs >= minMs)) throw new Error('latency needs 0 ≤ minMs ≤ maxMs');
    const random = seededRandom(spec.seed ?? 1);
    this.spec = { minMs, maxMs, seed: spec.seed ?? 1 };
    this.draw = () => Math.round(minMs + random() * (maxMs - minMs));
  }

  get current(): FakeLatency | undefined {
    return this.spec;
  }

  /** The next request's latency in ms, or undefined when there is none. */
  next(): number | undefined {
    return this.draw?.();
  }
}

/**
 * Wait `ms`, or less if the client goes away first (then the caller drops the request). The timer
 * is kept in `timers` so that stopping the fake clears it.
 */
export function waitUnlessClosed(
  ms: number,
  res: http.ServerResponse,
  timers: Set<NodeJS.Timeout>,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      timers.delete(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timers.add(timer);
    res.once('close', done);
  });
}
