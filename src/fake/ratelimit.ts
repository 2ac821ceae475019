// Clerk's rate limits: per user on the write endpoints, and instance-wide by key kind, as sliding windows; a
// 429 blocks its endpoint until its `Retry-After` has passed.
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

/**
 * Endpoints blocked by a 429. Clerk's docs on rate limits: "If you receive a 429 error code, you have been
 * rate limited. All subsequent requests to that specific endpoint will be blocked for a given amount of
 * time", and `Retry-After` "contains the number of seconds after which the block expires". A blocked
 * request is refused without counting, so a client that keeps sending through a block gains nothing.
 */
class Blocks {
  private readonly until = new Map<string, number>();

  /** The whole seconds (≥ 1) left of `endpoint`'s block at `now`, or undefined when it is not blocked. */
  left(endpoint: string, now: number): number | undefined {
    const until = this.until.get(endpoint);
    if (until === undefined) return undefined;
    if (until > now) return Math.max(1, Math.ceil((until - now) / 1000));
    this.until.delete(endpoint);
    return undefined;
  }

  block(endpoint: string, now: number, seconds: number): void {
    this.until.set(endpoint, now + seconds * 1000);
  }

  clear(): void {
    this.until.clear();
  }
}

/** A window's refusal or an open block, as a 429: blocks `endpoint` when the window refused. */
function limit(window: SlidingWindow, blocks: Blocks, endpoint: string, now: number): number | undefined {
  const left = blocks.left(endpoint, now);
  if (left !== undefined) return left;
  const retryAfter = window.hit(now);
  if (retryAfter !== undefined) blocks.block(endpoint, now, retryAfter);
  return retryAfter;
}

/** `PATCH /v1/users/{id}` and the metadata endpoints: `max` per `windowMs` for each user. */
export class UserLimits {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly blocks = new Blocks();

  constructor(private readonly limit: FakeLimit | false) {}

  /** The 429 for this user's request to `endpoint` (its method and path) at `now`, or undefined. */
  check(userId: string, endpoint: string, now: number): Reply | undefined {
    if (!this.limit) return undefined;
    let window = this.windows.get(userId);
    if (!window) this.windows.set(userId, (window = new SlidingWindow(this.limit)));
    const retryAfter = limit(window, this.blocks, endpoint, now);
    return retryAfter === undefined
      ? undefined
      : tooManyRequests(retryAfter, `Too many requests for this user. Retry after ${retryAfter} seconds.`);
  }

  reset(): void {
    this.windows.clear();
    this.blocks.clear();
  }
}

/**
 * Every authenticated API request of an instance, by key kind (100 per 10 s for test keys, 1000 for live
 * ones).
 */
export class InstanceLimits {
  private windows: Partial<Record<KeyKind, SlidingWindow>> = {};
  private limits: Partial<Record<KeyKind, FakeLimit>> = {};
  private readonly blocks = new Blocks();

  constructor(spec: boolean | FakeInstanceLimit | undefined) {
    this.configure(spec ?? false);
  }

  /** `false`: off; `true` or an object: Clerk's limits, each kind overridable. */
  configure(spec: boolean | FakeInstanceLimit): void {
    const limits = spec === false ? {} : { ...CLERK_INSTANCE_LIMIT, ...(spec === true ? {} : spec) };
    this.windows = windowsFor(limits);
    this.limits = limits;
    this.blocks.clear();
  }

  /** The limits in force (empty when off). */
  get current(): Partial<Record<KeyKind, FakeLimit>> {
    return this.limits;
  }

  /**
   * Count a request to `endpoint` (its method and route) at `now` (its arrival) against its key kind; the
   * 429 when over the limit or while a 429 blocks the endpoint for that kind.
   */
  check(kind: KeyKind, endpoint: string, now: number): Reply | undefined {
    const window = this.windows[kind];
    if (!window) return undefined;
    const retryAfter = limit(window, this.blocks, `${kind} ${endpoint}`, now);
    if (retryAfter === undefined) return undefined;
    return tooManyRequests(
      retryAfter,
      `Too many requests for this instance. Retry after ${retryAfter} seconds.`,
    );
  }

  reset(): void {
    this.windows = windowsFor(this.limits);
    this.blocks.clear();
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
