// Clerk's rate limits: per user on the write endpoints, and instance-wide by key kind, as sliding windows.
import type { KeyKind } from './auth';
import { type Reply, tooManyRequests } from './reply';
import type { FakeInstanceLimit, FakeLimit } from './types';

/** Clerk's documented limits. */
export const CLERK_USER_LIMIT: FakeLimit = { max: 10, windowMs: 10_000 };
export const CLERK_INSTANCE_LIMIT: Required<FakeInstanceLimit> = {
  test: { max: 100, windowMs: 10_000 },
  live: { max: 1000, windowMs: 10_000 },
};

/**
 * A sliding window over the times of accepted requests: a request is accepted when fewer than `max`
 * were accepted in the `windowMs` before it. Refused requests do not count. O(1) per request: a
 * ring of the last `max` accepted times (the oldest of them decides).
 */
export class SlidingWindow {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly limit: FakeLimit) {
    if (!(Number.isInteger(limit.max) && limit.max >= 1 && limit.windowMs > 0))
      throw new Error('a limit needs max ≥ 1 and windowMs > 0');
    this.times = new Float64Array(limit.max);
  }

  /** Accept a request at `now` (undefined), or say in how many whole seconds (≥ 1) a slot frees up. */
  hit(now: number): number | undefined {
    if (this.count === this.limit.max) {
      const oldest = this.times[this.next];
      if (oldest > now - this.limit.windowMs)
        return Math.max(1, Math.ceil((oldest + this.limit.windowMs - now) / 1000));
    } else {
      this.count++;
    }
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.limit.max;
    return undefined;
  }
}

/** `PATCH /v1/users/{id}` and the metadata endpoints: `max` per `windowMs` for each user. */
export class UserLimits {
  private readonly windows = new Map<string, SlidingWindow>();

  constructor(private readonly limit: FakeLimit | false) {}

  /** The 429 for this user's request at `now`, or undefined when it may go on. */
  check(userId: string, now: number): Reply | undefined {
    if (!this.limit) return undefined;
    let window = this.windows.get(userId);
    if (!window) this.windows.set(userId, (window = new SlidingWindow(this.limit)));
    const retryAfter = window.hit(now);
    return retryAfter === undefined
      ? undefined
      : tooManyRequests(retryAfter, `Too many requests for this user. Retry after ${retryAfter} seconds.`);
  }

  reset(): void {
    this.windows.clear();
  }
}

/**
 * Every authenticated API request of an instance, by key kind (100 per 10 s for test keys, 1000 for live
 * ones).
 */
export class InstanceLimits {
  private windows: Partial<Record<KeyKind, SlidingWindow>> = {};
  private limits: Partial<Record<KeyKind, FakeLimit>> = {};

  constructor(spec: boolean | FakeInstanceLimit | undefined) {
    this.configure(spec ?? false);
  }

  /** `false`: off; `true` or an object: Clerk's limits, each kind overridable. */
  configure(spec: boolean | FakeInstanceLimit): void {
    const limits = spec === false ? {} : { ...CLERK_INSTANCE_LIMIT, ...(spec === true ? {} : spec) };
    this.windows = windowsFor(limits);
    this.limits = limits;
  }

  /** The limits in force (empty when off). */
  get current(): Partial<Record<KeyKind, FakeLimit>> {
    return this.limits;
  }

  /** Count a request at `now` (its arrival) against its key kind; the 429 when over the limit. */
  check(kind: KeyKind, now: number): Reply | undefined {
    const window = this.windows[kind];
    const retryAfter = window?.hit(now);
    if (retryAfter === undefined) return undefined;
    return tooManyRequests(
      retryAfter,
      `Too many requests for this instance. Retry after ${retryAfter} seconds.`,
    );
  }

  reset(): void {
    this.windows = windowsFor(this.limits);
  }
}

/** Fresh windows for the limits (throws for an invalid one, before anything changed). */
function windowsFor(limits: Partial<Record<KeyKind, FakeLimit>>): Partial<Record<KeyKind, SlidingWindow>> {
  const windows: Partial<Record<KeyKind, SlidingWindow>> = {};
  for (const kind of ['test', 'live'] as const) {
    const limit = limits[kind];
    if (limit) windows[kind] = new SlidingWindow(limit);
  }
  return windows;
}
