import type { GateAnswer, GatePass, GateRequest, RequestGate } from '../clerk/gate';
import { DEFAULT_RATE_LIMIT_POLICY } from '../clerk/ratelimit';
import { type Clock, systemClock } from './clock';
import { PER_USER_WRITE_RATE, type Rate } from './rate';

export interface PacerOptions {
  /** The instance's limit (GETs and writes alike), e.g. 100 per 10 s. */
  rate: Rate;
  /** The limit on writes to one user (default 10 per 10 s); `false`: none. */
  perUser?: Rate | false;
  /**
   * Added to every window, as a fraction of it (default 0.01: 10 s becomes 10.1 s), for how Clerk
   * rounds its window. When a request arrives between its grant and its answer is accounted for
   * (answer times, requests in flight); 3 %, when grant times alone were counted, cost 3 % of the rate.
   */
  margin?: number;
  clock?: Clock;
  /** Wait after a 429 without `Retry-After` (default 5 s, as for single sends). */
  defaultRetryAfterSeconds?: number;
  /**
   * The longest pause a 429 may ask for (default 60 s, as for single sends). A longer one is not
   * waited: the pacer closes (requests waiting are not sent) and `overlong()` says what was asked.
   */
  maxWaitSeconds?: number;
  /** Most rows kept in flight (default 64). */
  maxConcurrency?: number;
  /** Told of every grant, 429 and change of pace (progress, tests). */
  observe?(event: PacerEvent): void;
}

/**
 * How far ahead of the even schedule requests may go, as a fraction of the allowance: a quarter
 * of a window's worth may leave at once after a pause (the start, a resume, the gap between the
 * two reads). Spreading every request evenly made a run of R requests take (R - 1) windows/limit,
 * one window more than the limit allows (it allows a full window at once): 0.92 of the fastest
 * for 10,600 requests at 1,000/10 s. With a quarter the sliding window is what bounds a run (half
 * made bursts of 200 a second that the fake, on a loaded machine, counted late enough for 429s).
 * The sliding window below holds whatever the head start.
 */
export const HEAD_START = 0.25;

export type PacerEvent =
  | { type: 'grant'; at: number; method: string; path: string; userId?: string }
  | { type: 'rate-limited'; at: number; waitMs: number; cap: number }
  | { type: 'pace'; at: number; cap: number }
  | { type: 'too-long'; at: number; waitMs: number };

interface Waiter {
  request: GateRequest;
  userId: string | undefined;
  resolve(pass: GatePass | undefined): void;
  detach(): void;
}

const WRITE_PATH = /^\/v1\/users\/([^/?]+)(?:\/metadata)?$/;

/** The user a write goes to (PATCH user, PUT/PATCH metadata), or undefined for reads. */
export function writeTarget(request: GateRequest): string | undefined {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const m = WRITE_PATH.exec(request.path);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/**
 * Paces every request of a run (a `RequestGate` for `ClerkClient.withGate`):
 *
 * - **Sliding window.** Never more than the current allowance in any window (the instance's
 *   window plus the margin), checked against the requests in flight and the answer times of the
 *   last `limit` requests, so it holds however Clerk moves its window and however late a request
 *   leaves after its grant. Requests are also spread (one every window/allowance),
 *   with a head start of a quarter of the allowance (`HEAD_START`), rather than one full burst.
 * - **Per user.** Writes to one user: at most `perUser.limit` in any of its windows; a request
 *   held back for its user does not hold back the others.
 * - **AIMD.** A 429 pauses every request for its `Retry-After` and halves the allowance
 *   (once per burst of 429s: only a request granted after the last decrease decreases it again);
 *   each window without a 429 gives back a tenth of the limit, up to the limit.
 * - **Concurrency.** `concurrency()` is how many rows to keep in flight to reach the allowance
 *   over the latency observed (Little's law, four times over for the head start).
 */
export class Pacer implements RequestGate {
  readonly limit: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  readonly #perUser: { limit: number; windowMs: number } | undefined;
  readonly #defaultWaitMs: number;
  readonly #maxWaitMs: number;
  #overlongMs: number | undefined;
  readonly #maxConcurrency: number;
  readonly #observe: PacerOptions['observe'];
  /**
   * When the last `limit` requests were answered (a ring, in order): the latest they can have reached Clerk.
   */
  readonly #log: Float64Array;
  #logCount = 0;
  #logHead = 0;
  /** Requests granted and not answered yet: they may reach Clerk at any time from now. */
  #inFlight = 0;
  readonly #userLog = new Map<string, number[]>();
  readonly #waiters: Waiter[] = [];
  #cap: number;
  /** Theoretical time of the next grant when requests are spread evenly. */
  #nextSlot = -Infinity;
  #pausedUntil = -Infinity;
  #lastDecrease = -Infinity;
  #lastChange: number;
  #latencyMs = 250;
  #cancelTimer: (() => void) | undefined;
  #timerAt = Infinity;
  #closed = false;
  #requests = 0;
  #rateLimited = 0;

  constructor(options: PacerOptions) {
    const margin = options.margin ?? 0.01;
    this.limit = Math.max(1, Math.floor(options.rate.limit));
    this.windowMs = options.rate.windowMs * (1 + margin);
    const perUser = options.perUser === undefined ? PER_USER_WRITE_RATE : options.perUser;
    this.#perUser = perUser
      ? { limit: Math.max(1, Math.floor(perUser.limit)), windowMs: perUser.windowMs * (1 + margin) }
      : undefined;
    this.#clock = options.clock ?? systemClock;
    this.#defaultWaitMs =
      (options.defaultRetryAfterSeconds ?? DEFAULT_RATE_LIMIT_POLICY.defaultWaitSeconds) * 1000;
    this.#maxWaitMs = (options.maxWaitSeconds ?? DEFAULT_RATE_LIMIT_POLICY.maxWaitSeconds) * 1000;
    this.#maxConcurrency = options.maxConcurrency ?? 64;
    this.#observe = options.observe;
    this.#log = new Float64Array(this.limit);
    this.#cap = this.limit;
    this.#lastChange = this.#clock.now();
  }

  /** Requests allowed per window right now (the limit, less after 429s). */
  get cap(): number {
    return this.#cap;
  }

  /** Requests granted and 429s seen so far. */
  stats(): { requests: number; rateLimited: number; latencyMs: number } {
    return { requests: this.#requests, rateLimited: this.#rateLimited, latencyMs: this.#latencyMs };
  }

  /**
   * The wait (seconds) a 429 asked for that was longer than `maxWaitSeconds` (the pacer closed then), if one
   * did.
   */
  overlong(): number | undefined {
    return this.#overlongMs === undefined ? undefined : Math.ceil(this.#overlongMs / 1000);
  }

  /** Until when every request waits after a 429 (undefined when not paused). */
  pausedUntil(): number | undefined {
    return this.#pausedUntil > this.#clock.now() ? this.#pausedUntil : undefined;
  }

  /**
   * Rows to keep in flight so that the allowance is reached over the observed latency, four times
   * over: when the window opens again after a pause, rows must be ready to use the head start (at
   * twice, a run at 1,000/10 s kept 21 rows in flight, and the window's room after each stall went
   * unused for seconds: 0.83 of the fastest).
   */
  concurrency(): number {
    const perMs = this.#cap / this.windowMs;
    return Math.min(this.#maxConcurrency, Math.max(1, Math.ceil(perMs * this.#latencyMs * 4) + 1));
  }

  /**
   * Rows a run reads ahead of those in flight: a head start's worth, so that they are ready when the window
   * opens.
   */
  readAhead(): number {
    return Math.ceil(this.#cap * HEAD_START);
  }

  enter(request: GateRequest, signal?: AbortSignal): Promise<GatePass | undefined> {
    if (this.#closed || signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        resolve(undefined);
      };
      const waiter: Waiter = {
        request,
        userId: this.#perUser ? writeTarget(request) : undefined,
        resolve,
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** No more grants: waiting requests are not sent (their callers see a cancel before sending). */
  close(): void {
    this.#closed = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    for (const w of this.#waiters.splice(0)) {
      w.detach();
      w.resolve(undefined);
    }
  }

  #slack(): number {
    // This much ahead of the even schedule is allowed: a head start after a pause, and timers
    // that fire late (a few ms) are made up for instead of lost. The sliding window still holds.
    // (Counted twice, at the grant and at the check: half of it each.)
    return Math.max((this.windowMs / this.#cap) * Math.max(1, (this.#cap * HEAD_START) / 2), 10);
  }

  /**
   * Requests granted before this pacer existed (a resumed run: the times its journal has, on
   * this pacer's clock): they count in the sliding window as if this pacer had granted them, so
   * that a resume neither waits a whole window nor exceeds the limit.
   */
  replay(times: readonly number[]): void {
    const sorted = [...times].sort((a, b) => a - b).slice(-this.limit);
    for (const at of sorted) this.#logAnswer(at);
  }

  /**
   * When the next request may leave as far as the instance limit goes: when fewer than the allowance can be
   * in any window with it at Clerk. Clerk counts a request when it arrives, somewhere between its grant and
   * its answer: a request in flight counts as arriving now, an answered one as arriving at its answer. (By
   * grant times alone, requests granted just before the event loop was blocked left when it ended, with
   * those granted then: more than the limit in Clerk's window.) Infinity: wait for an answer.
   */
  #globalReadyAt(): number {
    let at = Math.max(this.#pausedUntil, this.#nextSlot - this.#slack());
    const room = this.#cap - this.#inFlight;
    if (room <= 0) return Infinity;
    if (this.#logCount >= room) {
      const kth = this.#log[(this.#logHead - room + this.limit) % this.limit];
      at = Math.max(at, kth + this.windowMs);
    }
    return at;
  }

  #logAnswer(at: number): void {
    this.#log[this.#logHead] = at;
    this.#logHead = (this.#logHead + 1) % this.limit;
    this.#logCount = Math.min(this.limit, this.#logCount + 1);
  }

  #userReadyAt(userId: string, now: number): number {
    const perUser = this.#perUser;
    if (!perUser) return now;
    const times = this.#userLog.get(userId);
    if (!times) return now;
    while (times.length && times[0] <= now - perUser.windowMs) times.shift();
    if (times.length === 0) {
      this.#userLog.delete(userId);
      return now;
    }
    return times.length < perUser.limit ? now : times[times.length - perUser.limit] + perUser.windowMs;
  }

  #pump(): void {
    if (this.#closed) return;
    const now = this.#clock.now();
    let wake = Infinity;
    for (let i = 0; i < this.#waiters.length;) {
      const globalAt = this.#globalReadyAt();
      if (globalAt > now) {
        wake = Math.min(wake, globalAt);
        break;
      }
      const waiter = this.#waiters[i];
      const userAt = waiter.userId === undefined ? now : this.#userReadyAt(waiter.userId, now);
      if (userAt > now) {
        wake = Math.min(wake, userAt);
        i++;
        continue;
      }
      this.#waiters.splice(i, 1);
      this.#grant(waiter, now);
    }
    if (this.#waiters.length > 0 && wake < Infinity) this.#wakeAt(wake, now);
  }

  #wakeAt(at: number, now: number): void {
    if (this.#cancelTimer && this.#timerAt <= at) return;
    this.#cancelTimer?.();
    this.#timerAt = at;
    this.#cancelTimer = this.#clock.timer(at - now, () => {
      this.#cancelTimer = undefined;
      this.#timerAt = Infinity;
      this.#pump();
    });
  }

  #grant(waiter: Waiter, now: number): void {
    this.#inFlight++;
    this.#nextSlot = Math.max(this.#nextSlot, now - this.#slack()) + this.windowMs / this.#cap;
    if (waiter.userId !== undefined) {
      const times = this.#userLog.get(waiter.userId);
      if (times) times.push(now);
      else this.#userLog.set(waiter.userId, [now]);
    }
    this.#requests++;
    waiter.detach();
    this.#observe?.({
      type: 'grant',
      at: now,
      method: waiter.request.method,
      path: waiter.request.path,
      userId: waiter.userId,
    });
    let left = false;
    waiter.resolve({
      leave: (answer) => {
        if (left) return;
        left = true;
        this.#answered(answer, now);
      },
    });
  }

  #answered(answer: GateAnswer, grantedAt: number): void {
    const now = this.#clock.now();
    this.#inFlight--;
    this.#logAnswer(now);
    if (answer.status !== undefined)
      this.#latencyMs = this.#latencyMs * 0.8 + Math.max(0, answer.durationMs) * 0.2;
    if (answer.status === 429) {
      this.#rateLimited++;
      const waitMs =
        answer.retryAfterSeconds !== undefined
          ? Math.max(0, answer.retryAfterSeconds * 1000)
          : this.#defaultWaitMs;
      if (waitMs > this.#maxWaitMs) {
        this.#overlongMs = Math.max(this.#overlongMs ?? 0, waitMs);
        this.#observe?.({ type: 'too-long', at: now, waitMs });
        this.close();
        return;
      }
      this.#pausedUntil = Math.max(this.#pausedUntil, now + waitMs);
      this.#nextSlot = Math.max(this.#nextSlot, this.#pausedUntil);
      if (grantedAt > this.#lastDecrease) {
        this.#cap = Math.max(1, Math.floor(this.#cap / 2));
        this.#lastDecrease = now;
        this.#lastChange = now;
      }
      this.#observe?.({ type: 'rate-limited', at: now, waitMs, cap: this.#cap });
    } else if (
      answer.status !== undefined &&
      this.#cap < this.limit &&
      now - this.#lastChange >= this.windowMs
    ) {
      this.#cap = Math.min(this.limit, this.#cap + Math.max(1, Math.ceil(this.limit / 10)));
      this.#lastChange = now;
      this.#observe?.({ type: 'pace', at: now, cap: this.#cap });
    }
    this.#pump();
  }
}
