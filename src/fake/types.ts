// The public shape of the fake Clerk: its options, its handle, what it records, its faults.
import type { ClerkUser } from '../core/clerk/types';
import type { ApiVersion } from '../core/versions';
import type { FakeUserSeed } from './seed';
import type { UserStore } from './users';
import type { WriteCounts, WriteSummary } from './writes';

/** What the fake records for each API request (control requests under `/__fake/` are not recorded). */
export interface FakeRequestRecord {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  method: string;
  /** Path without the query, e.g. `/v1/users/user_123`. */
  path: string;
  /** The raw query string without `?` ("" when none). */
  query: string;
  /**
   * Lower-cased header names. `authorization` is replaced by `[redacted]`. Empty with `recordBodies: false`.
   */
  headers: Record<string, string>;
  /**
   * How the request authenticated: `ok` with the label of the key used, or why not.
   * The key itself is never recorded.
   */
  auth: { status: 'ok' | 'missing' | 'malformed' | 'invalid'; keyLabel?: string };
  /** The body text as received ("" with `recordBodies: false`). */
  body: string;
  /** Arrival time (wall clock, ms). */
  time: number;
  /** The latency drawn from `FakeClerkOptions.latency` for this request (ms), when one is set. */
  latencyMs?: number;
  /** Filled in when the answer was sent. */
  status?: number;
  handlingMs?: number;
  /**
   * Filled in when the answer was sent (or the request was reset or dropped): the `seq` of the
   * latest request that had arrived by then. A request whose `seq` is greater arrived after this
   * one was answered; one whose `seq` is not greater arrived while it was still in flight.
   */
  seqWhenFinished?: number;
  /** The fault that was applied, if any. */
  fault?: FakeFaultKind;
  /**
   * True when the store applied the request (a 200 from PATCH user or the metadata endpoints), changed or
   * not.
   */
  applied: boolean;
  /** True when the applied request changed the user (`updated_at` moved). */
  changed?: boolean;
  /** True when the client went away before the answer (then nothing was applied). */
  clientGone?: boolean;
}

export type FakeFaultKind =
  | 'latency'
  | 'hold'
  | 'status500'
  | 'html502'
  | 'reset'
  | 'malformed-json'
  | 'rate-limit'
  | 'huge'
  | 'redirect'
  | 'echo-key';

/** A fault to inject. Matches by method and path; one-shot unless `times`/`persistent` say otherwise. */
export interface FakeFault {
  kind: FakeFaultKind;
  /** e.g. `PATCH`; any method when absent. */
  method?: string;
  /**
   * Exact path (`/v1/users/user_1`), a prefix ending in `*` (`/v1/users/*`), or a RegExp. Any path when
   * absent.
   */
  path?: string | RegExp;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Applies until `clearFaults()`. */
  persistent?: boolean;
  /**
   * `latency`: delay before handling (ms, default 1000). The request is then handled normally, unless the
   * client went away.
   */
  latencyMs?: number;
  /**
   * `hold`: set through `FakeClerk.hold()`. The request waits after arriving until the hold is
   * released (then it is handled normally) or the client goes away (then nothing is applied).
   * @internal
   */
  gate?: { arrived(record: FakeRequestRecord): void; released: Promise<void> };
  /** `rate-limit`: the `Retry-After` seconds (default 1); `null` sends no `Retry-After`. */
  retryAfterSeconds?: number | null;
  /**
   * `redirect`: the target origin (default `http://redirect-target.invalid`); the path is kept. Status
   * default 307.
   */
  location?: string;
  redirectStatus?: 301 | 302 | 303 | 307 | 308;
  /** `huge`: response size in bytes (default 10 MiB). */
  sizeBytes?: number;
  /**
   * For 500, html502, reset, malformed-json and huge: handle (and apply) the request first, then
   * answer with the fault, as a proxy failing after the backend did its work. Default false.
   */
  apply?: boolean;
}

/** A sliding-window limit: at most `max` requests in any `windowMs`. */
export interface FakeLimit {
  max: number;
  windowMs: number;
}

/** Instance-wide limits by the kind of key (`sk_live_…` keys are `live`, every other key `test`). */
export interface FakeInstanceLimit {
  /** Default Clerk's 100 per 10 000 ms. */
  test?: FakeLimit;
  /** Default Clerk's 1000 per 10 000 ms. */
  live?: FakeLimit;
}

/**
 * Latency added to every API request: uniform in [minMs, maxMs] (a number is a constant), drawn from `seed`.
 */
export type FakeLatency = number | { minMs: number; maxMs: number; seed?: number };

/** Generated users (see `generateUsers` in generate.ts): `count` of them, the same for the same `seed`. */
export interface FakeGeneratedUsers {
  generate: number;
  /** Default 1. */
  seed?: number;
  /** Users seeded before the generated ones (default `none`). */
  base?: 'demo' | 'none' | FakeUserSeed[];
}

export interface FakeClerkOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `demo` (default): the demo users; `none`; your own seeds; or generated users. */
  users?: 'demo' | 'none' | FakeUserSeed[] | FakeGeneratedUsers;
  /** Accepted secret keys (default `FAKE_TEST_KEY` labelled `test` and `FAKE_LIVE_KEY` labelled `live`). */
  keys?: Array<string | { key: string; label: string }>;
  /** The version used when a request names none (default the newest documented one). */
  defaultApiVersion?: ApiVersion;
  /**
   * Per-user limit on PATCH user and the metadata endpoints (default 10 per 10 000 ms); `false` disables it.
   */
  rateLimit?: FakeLimit | false;
  /**
   * Instance-wide limit on every authenticated API request, by key kind. Off unless given (`true`
   * or `{}`: Clerk's limits; each kind may be overridden), because the tests send bursts with one key.
   */
  instanceLimit?: boolean | FakeInstanceLimit;
  /** Latency added to every API request (default none). */
  latency?: FakeLatency;
  /**
   * Keep each request's body and headers in the log (default true). `false` keeps memory flat for long runs.
   */
  recordBodies?: boolean;
  /**
   * Keep at most this many records in `requests` (oldest dropped; default unbounded). The write counts are
   * kept whole.
   */
  maxRecords?: number;
  /** `wall` (default): wall time plus `advance()`; `manual`: time moves only with `advance()`. */
  clock?: 'wall' | 'manual';
  /** Passwords refused with `form_password_pwned` (lower-cased comparison). */
  pwnedPasswords?: string[];
  /** A line per request (method, path, status, ms); never bodies or keys. */
  log?: (line: string) => void;
  /** Largest accepted request body (default 1 MiB → 413). */
  maxBodyBytes?: number;
}

/**
 * The fake's clock: wall time (unless `clock: 'manual'`) plus an offset that tests move forward instead of
 * sleeping.
 */
export interface FakeClock {
  now(): number;
  /** Move time forward (rate-limit windows, `updated_at`). */
  advance(ms: number): void;
}

/** A request held by `FakeClerk.hold()`. */
export interface FakeHold {
  /** Resolves with the held request once it has arrived. */
  arrived: Promise<FakeRequestRecord>;
  /** Let the held request be handled (a no-op once its client went away). */
  release(): void;
}

export interface FakeClerk {
  /** e.g. `http://127.0.0.1:43123` (use as the API URL). */
  url: string;
  port: number;
  /** The recorded requests, in arrival order (live array). */
  requests: FakeRequestRecord[];
  /**
   * The live user store: id → Clerk User object. Change users through the API, `addUser` or `store`, so its
   * indexes follow.
   */
  users: Map<string, ClerkUser>;
  store: UserStore;
  clock: FakeClock;
  /** Add a fault (see `FakeFault`). */
  setFault(fault: FakeFault): void;
  /**
   * Hold the next request matching `method` and `path` (see `FakeFault.path`) after it arrives, until
   * `release()` is called or its client goes away (then it is not applied). For tests that need a
   * request in flight: await `arrived`, act, then release. Never a timing window.
   */
  hold(match: { method?: string; path?: string | RegExp }): FakeHold;
  clearFaults(): void;
  /** Forget all rate-limit windows (per user and instance-wide). */
  resetRateLimits(): void;
  /** Replace the instance-wide limit (`false` turns it off). */
  setInstanceLimit(limit: boolean | FakeInstanceLimit): void;
  /** Replace the latency added to every API request (`undefined` or 0: none). */
  setLatency(latency: FakeLatency | undefined): void;
  /** Add a user from a seed and return it. */
  addUser(seed: FakeUserSeed): ClerkUser;
  /** Add `count` generated users (deterministic for a `seed`); returns how many users the fake has. */
  generateUsers(count: number, seed?: number): number;
  /** The PATCH/PUT requests to one user that arrived and were applied, in all and by route. */
  appliedWrites(userId: string): WriteCounts;
  /** The write counts of all users, and the users any write route applied more than once. */
  writes(): WriteSummary;
  /** Forget the write counts. */
  resetWrites(): void;
  /** The recorded requests that match a method and path (exact, or prefix with `*`). */
  requestsTo(method: string, path?: string): FakeRequestRecord[];
  /**
   * Resolves with the first recorded request matching `predicate` once it is finished (answered,
   * reset, or dropped because the client went away), including ones already finished. Rejects
   * after `timeoutMs` (default 5000). Use it instead of sleeping.
   */
  waitForRequest(
    predicate?: (r: FakeRequestRecord) => boolean,
    timeoutMs?: number,
  ): Promise<FakeRequestRecord>;
  /**
   * Resolves when a matching request has arrived (before it is handled; faults such as latency are still
   * running).
   */
  waitForArrival(
    predicate?: (r: FakeRequestRecord) => boolean,
    timeoutMs?: number,
  ): Promise<FakeRequestRecord>;
  /** Stop listening and drop open connections. */
  stop(): Promise<void>;
}
