// A faithful fake of Clerk's Backend API user endpoints, on loopback, for tests, the demo and benchmarks.
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClerkApiError, ClerkUser } from '../core/clerk/types';
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion, isApiVersion, metadataSentSeparately } from '../core/versions';
import { type FakeUserSeed, demoUsers, makeUser } from './seed';
import { DEFAULT_PWNED_PASSWORDS, FakeApiError, UserStore } from './users';

/** The key the fake accepts by default. Distinctive, so leak tests can search for it. */
export const FAKE_TEST_KEY = 'sk_test_FAKEclerkKEY0123456789abcdefABCDEF';
/** A production-looking key the fake also accepts by default (for confirmation tests). */
// Split so secret scanners do not take this made-up key for a real one.
export const FAKE_LIVE_KEY = 'sk_live_' + 'FAKEclerkLIVE0123456789abcdefABCDEF';

/** What the fake records for each API request (control requests under `/__fake/` are not recorded). */
export interface FakeRequestRecord {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  method: string;
  /** Path without the query, e.g. `/v1/users/user_123`. */
  path: string;
  /** The raw query string without `?` ("" when none). */
  query: string;
  /** Lower-cased header names. `authorization` is replaced by `[redacted]`. */
  headers: Record<string, string>;
  /**
   * How the request authenticated: `ok` with the label of the key used, or why not.
   * The key itself is never recorded.
   */
  auth: { status: 'ok' | 'missing' | 'malformed' | 'invalid'; keyLabel?: string };
  /** The body text as received. */
  body: string;
  /** Arrival time (wall clock, ms). */
  time: number;
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
  /** True when the request changed a user. */
  applied: boolean;
  /** True when the client went away before the answer (then nothing was applied). */
  clientGone?: boolean;
}

export type FakeFaultKind = 'latency' | 'hold' | 'status500' | 'html502' | 'reset' | 'malformed-json' | 'rate-limit' | 'huge' | 'redirect';

/** A fault to inject. Matches by method and path; one-shot unless `times`/`persistent` say otherwise. */
export interface FakeFault {
  kind: FakeFaultKind;
  /** e.g. `PATCH`; any method when absent. */
  method?: string;
  /** Exact path (`/v1/users/user_1`), a prefix ending in `*` (`/v1/users/*`), or a RegExp. Any path when absent. */
  path?: string | RegExp;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  /** Applies until `clearFaults()`. */
  persistent?: boolean;
  /** `latency`: delay before handling (ms, default 1000). The request is then handled normally, unless the client went away. */
  latencyMs?: number;
  /**
   * `hold`: set through `FakeClerk.hold()`. The request waits after arriving until the hold is
   * released (then it is handled normally) or the client goes away (then nothing is applied).
   * @internal
   */
  gate?: { arrived(record: FakeRequestRecord): void; released: Promise<void> };
  /** `rate-limit`: the `Retry-After` seconds (default 1); `null` sends no `Retry-After`. */
  retryAfterSeconds?: number | null;
  /** `redirect`: the target origin (default `http://redirect-target.invalid`); the path is kept. Status default 307. */
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

export interface FakeClerkOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `demo` (default): the demo users; `none`; or your own seeds. */
  users?: 'demo' | 'none' | FakeUserSeed[];
  /** Accepted secret keys (default `FAKE_TEST_KEY` labelled `test` and `FAKE_LIVE_KEY` labelled `live`). */
  keys?: Array<string | { key: string; label: string }>;
  /** The version used when a request names none (default the newest documented one). */
  defaultApiVersion?: ApiVersion;
  /** Per-user limit on PATCH user and the metadata endpoints (default 10 per 10 000 ms); `false` disables it. */
  rateLimit?: { max: number; windowMs: number } | false;
  /** Passwords refused with `form_password_pwned` (lower-cased comparison). */
  pwnedPasswords?: string[];
  /** A line per request (method, path, status, ms); never bodies or keys. */
  log?: (line: string) => void;
  /** Largest accepted request body (default 1 MiB → 413). */
  maxBodyBytes?: number;
}

/** The fake's clock: wall time plus an offset that tests move forward instead of sleeping. */
export interface FakeClock {
  now(): number;
  /** Move time forward (rate-limit windows, `updated_at`). */
  advance(ms: number): void;
}

export interface FakeClerk {
  /** e.g. `http://127.0.0.1:43123` (use as the API URL). */
  url: string;
  port: number;
  /** The recorded requests, in arrival order (live array). */
  requests: FakeRequestRecord[];
  /** The live user store: id → Clerk User object. */
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
  /** Forget all rate-limit windows. */
  resetRateLimits(): void;
  /** Add a user from a seed and return it. */
  addUser(seed: FakeUserSeed): ClerkUser;
  /** The recorded requests that match a method and path (exact, or prefix with `*`). */
  requestsTo(method: string, path?: string): FakeRequestRecord[];
  /**
   * Resolves with the first recorded request matching `predicate` once it is finished (answered,
   * reset, or dropped because the client went away), including ones already finished. Rejects
   * after `timeoutMs` (default 5000). Use it instead of sleeping.
   */
  waitForRequest(predicate?: (r: FakeRequestRecord) => boolean, timeoutMs?: number): Promise<FakeRequestRecord>;
  /** Resolves when a matching request has arrived (before it is handled; faults such as latency are still running). */
  waitForArrival(predicate?: (r: FakeRequestRecord) => boolean, timeoutMs?: number): Promise<FakeRequestRecord>;
  /** Stop listening and drop open connections. */
  stop(): Promise<void>;
}

/** A request held by `FakeClerk.hold()`. */
export interface FakeHold {
  /** Resolves with the held request once it has arrived. */
  arrived: Promise<FakeRequestRecord>;
  /** Let the held request be handled (a no-op once its client went away). */
  release(): void;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  applied?: boolean;
}

function traceId(): string {
  return randomBytes(16).toString('hex');
}

function errorReply(status: number, errors: ClerkApiError[], headers?: Record<string, string>): Reply {
  return { status, body: { errors, clerk_trace_id: traceId() }, headers };
}

function oneError(status: number, code: string, message: string, longMessage: string, param?: string): Reply {
  const e: ClerkApiError = { code, message, long_message: longMessage };
  if (param) e.meta = { param_name: param };
  return errorReply(status, [e]);
}

function matchesPath(pattern: FakeFault['path'], path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern instanceof RegExp) return pattern.test(path);
  if (pattern.endsWith('*')) return path.startsWith(pattern.slice(0, -1));
  return pattern === path;
}

/**
 * Start a fake Clerk on loopback. Resolves once it listens.
 *
 * ```ts
 * const fake = await startFakeClerk({ port: 0 });
 * // … requests to fake.url with `Authorization: Bearer ${FAKE_TEST_KEY}`
 * fake.setFault({ kind: 'html502', method: 'PATCH' });
 * await fake.stop();
 * ```
 */
export async function startFakeClerk(options: FakeClerkOptions = {}): Promise<FakeClerk> {
  let offset = 0;
  const clock: FakeClock = {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
  const store = new UserStore();
  const seeds = options.users === 'none' ? [] : options.users === undefined || options.users === 'demo' ? demoUsers(clock.now()) : options.users;
  for (const seed of seeds) {
    const { user, secrets } = makeUser(seed, clock.now());
    store.add(user, secrets);
  }
  const keyList = (options.keys ?? [{ key: FAKE_TEST_KEY, label: 'test' }, { key: FAKE_LIVE_KEY, label: 'live' }]).map((k, i) =>
    typeof k === 'string' ? { key: k, label: `key${i}` } : k,
  );
  const keys = new Map(keyList.map((k) => [k.key, k.label]));
  const defaultVersion = options.defaultApiVersion ?? DEFAULT_API_VERSION;
  const rateLimit = options.rateLimit === undefined ? { max: 10, windowMs: 10_000 } : options.rateLimit;
  const pwned = new Set((options.pwnedPasswords ?? DEFAULT_PWNED_PASSWORDS).map((p) => p.toLowerCase()));
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const requests: FakeRequestRecord[] = [];
  const faults: Array<FakeFault & { remaining: number }> = [];
  const windows = new Map<string, number[]>();
  const timers = new Set<NodeJS.Timeout>();
  const releases = new Set<() => void>();
  let seq = 0;
  const finishedSeqs = new Set<number>();
  type Waiter = { predicate: (r: FakeRequestRecord) => boolean; resolve: (r: FakeRequestRecord) => void; finished: boolean };
  const waiters = new Set<Waiter>();
  function notify(record: FakeRequestRecord, finished: boolean): void {
    for (const w of [...waiters]) {
      if (w.finished === finished && w.predicate(record)) {
        waiters.delete(w);
        w.resolve(record);
      }
    }
  }
  function waitFor(predicate: (r: FakeRequestRecord) => boolean, finished: boolean, timeoutMs: number): Promise<FakeRequestRecord> {
    const existing = requests.find((r) => predicate(r) && (!finished || finishedSeqs.has(r.seq)));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        finished,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`fake Clerk: no matching request ${finished ? 'finished' : 'arrived'} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  }

  function takeFault(method: string, path: string): FakeFault | undefined {
    const index = faults.findIndex((f) => (f.method === undefined || f.method.toUpperCase() === method) && matchesPath(f.path, path) && f.remaining > 0);
    if (index < 0) return undefined;
    const fault = faults[index];
    fault.remaining--;
    if (fault.remaining <= 0) faults.splice(index, 1);
    return fault;
  }

  function rateLimited(userId: string): Reply | undefined {
    if (!rateLimit) return undefined;
    const now = clock.now();
    const hits = (windows.get(userId) ?? []).filter((t) => t > now - rateLimit.windowMs);
    if (hits.length >= rateLimit.max) {
      windows.set(userId, hits);
      const retryAfter = Math.max(1, Math.ceil((hits[0] + rateLimit.windowMs - now) / 1000));
      return errorReply(
        429,
        [{ code: 'too_many_requests', message: 'Too many requests', long_message: `Too many requests for this user. Retry after ${retryAfter} seconds.` }],
        { 'Retry-After': String(retryAfter) },
      );
    }
    hits.push(now);
    windows.set(userId, hits);
    return undefined;
  }

  function handle(method: string, url: URL, headers: http.IncomingHttpHeaders, bodyText: string, record: FakeRequestRecord): Reply {
    // Authentication.
    const auth = headers.authorization;
    if (auth === undefined) {
      record.auth = { status: 'missing' };
      return oneError(401, 'authorization_header_format_invalid', 'Invalid Authorization header format', "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'");
    }
    const bearer = /^Bearer ([^\s]+)$/.exec(auth);
    if (!bearer) {
      record.auth = { status: 'malformed' };
      return oneError(401, 'authorization_header_format_invalid', 'Invalid Authorization header format', "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'");
    }
    const label = keys.get(bearer[1]);
    if (label === undefined) {
      record.auth = { status: 'invalid' };
      return oneError(
        401,
        'clerk_key_invalid',
        'Secret Key is invalid',
        'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.',
      );
    }
    record.auth = { status: 'ok', keyLabel: label };

    // API version.
    const headerVersion = headers['clerk-api-version'];
    const queryVersion = url.searchParams.get('__clerk_api_version');
    if (headerVersion !== undefined && queryVersion !== null) {
      return oneError(
        400,
        'api_version_invalid',
        'Invalid API version',
        'Specify the API version either in the Clerk-API-Version header or in the __clerk_api_version query parameter, not both.',
      );
    }
    const requested = (Array.isArray(headerVersion) ? headerVersion[0] : headerVersion) ?? queryVersion ?? defaultVersion;
    if (!isApiVersion(requested)) {
      return oneError(400, 'api_version_invalid', 'Invalid API version', `${requested} is not a valid API version. Supported versions: ${API_VERSIONS.join(', ')}.`);
    }
    const version: ApiVersion = requested;

    // Routing.
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1' || parts[1] !== 'users') return notFoundRoute();
    if (parts.length === 2) {
      if (method !== 'GET') return notFoundRoute();
      return listUsers(url.searchParams);
    }
    if (parts.length === 3 && parts[2] === 'count') {
      if (method !== 'GET') return notFoundRoute();
      return { status: 200, body: { object: 'total_count', total_count: store.filter(url.searchParams).length } };
    }
    const userId = parts[2];
    const isMetadata = parts.length === 4 && parts[3] === 'metadata';
    if (!(parts.length === 3 || isMetadata)) return notFoundRoute();
    if (parts.length === 3 && method === 'GET') {
      const user = store.get(userId);
      return user ? { status: 200, body: user } : userNotFound(userId);
    }
    if (!((parts.length === 3 && method === 'PATCH') || (isMetadata && (method === 'PATCH' || method === 'PUT')))) return notFoundRoute();

    const limited = rateLimited(userId);
    if (limited) return limited;
    const contentType = String(headers['content-type'] ?? '').toLowerCase();
    if (!/^application\/(.+\+)?json\b/.test(contentType.trim())) {
      return oneError(415, 'unsupported_content_type', 'Unsupported content type', `The request body must be JSON (Content-Type: application/json), not ${contentType || 'nothing'}.`);
    }
    let body: unknown;
    try {
      body = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
    } catch {
      return oneError(400, 'request_body_invalid', 'Request body invalid', 'The request body is not valid JSON.');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return oneError(400, 'request_body_invalid', 'Request body invalid', 'The request body must be a JSON object.');
    }
    const user = store.get(userId);
    if (!user) return userNotFound(userId);
    try {
      const updated = isMetadata
        ? store.updateMetadata(user, body as Record<string, unknown>, method === 'PATCH', clock.now())
        : store.updateUser(user, body as Record<string, unknown>, { now: clock.now(), version, pwned, store });
      return { status: 200, body: updated, applied: true };
    } catch (error) {
      if (error instanceof FakeApiError) return errorReply(error.status, error.errors);
      throw error;
    }
  }

  function listUsers(params: URLSearchParams): Reply {
    const limitText = params.get('limit');
    const offsetText = params.get('offset');
    const limit = limitText === null ? 10 : Number(limitText);
    const offsetValue = offsetText === null ? 0 : Number(offsetText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      return oneError(422, 'form_param_value_invalid', 'is invalid', 'limit must be an integer between 1 and 500.', 'limit');
    }
    if (!Number.isInteger(offsetValue) || offsetValue < 0) {
      return oneError(422, 'form_param_value_invalid', 'is invalid', 'offset must be a non-negative integer.', 'offset');
    }
    return { status: 200, body: store.filter(params).slice(offsetValue, offsetValue + limit) };
  }

  function notFoundRoute(): Reply {
    return oneError(404, 'resource_not_found', 'not found', 'The requested resource was not found.');
  }

  function userNotFound(id: string): Reply {
    return oneError(404, 'resource_not_found', 'not found', `No user was found with id ${id}`);
  }

  function control(method: string, url: URL, bodyText: string): Reply {
    const route = url.pathname.slice('/__fake'.length);
    const json = (): Record<string, unknown> => (bodyText.trim() ? (JSON.parse(bodyText) as Record<string, unknown>) : {});
    if (route === '/requests' && method === 'GET') return { status: 200, body: requests };
    if (route === '/requests' && method === 'DELETE') {
      requests.length = 0;
      return { status: 204, body: undefined };
    }
    if (route === '/faults' && method === 'POST') {
      const spec = json() as unknown as FakeFault & { pathPattern?: string };
      api.setFault({ ...spec, path: spec.pathPattern !== undefined ? new RegExp(spec.pathPattern) : spec.path });
      return { status: 201, body: { ok: true } };
    }
    if (route === '/faults' && method === 'DELETE') {
      api.clearFaults();
      return { status: 204, body: undefined };
    }
    if (route === '/clock' && method === 'POST') {
      clock.advance(Number(json().advanceMs ?? 0));
      return { status: 200, body: { now: clock.now() } };
    }
    if (route === '/rate-limits' && method === 'DELETE') {
      api.resetRateLimits();
      return { status: 204, body: undefined };
    }
    if (route === '/users' && method === 'POST') {
      return { status: 201, body: api.addUser(json() as FakeUserSeed) };
    }
    const user = /^\/users\/([^/]+)$/.exec(route);
    if (user && method === 'GET') {
      const found = store.get(decodeURIComponent(user[1]));
      return found ? { status: 200, body: found } : { status: 404, body: { error: 'no such user' } };
    }
    return { status: 404, body: { error: `unknown control route ${method} ${url.pathname}` } };
  }

  function send(res: http.ServerResponse, reply: Reply): void {
    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'cf-ray': `${randomBytes(8).toString('hex')}-LHR`,
      ...reply.headers,
    });
    res.end(text);
  }

  function sendFault(req: http.IncomingMessage, res: http.ServerResponse, fault: FakeFault, url: URL): number {
    const ray = `${randomBytes(8).toString('hex')}-LHR`;
    switch (fault.kind) {
      case 'status500':
        send(res, oneError(500, 'internal_clerk_error', 'Oops, an unexpected error occurred', 'There was an internal error on our servers. We\'ve been notified and are working on fixing it.'));
        return 500;
      case 'html502': {
        const html = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
        res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html), 'cf-ray': ray });
        res.end(html);
        return 502;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return 0;
      case 'malformed-json': {
        const text = '{"id":"user_2xhFjEI5X2qWRvtV13BzSj8H6Dk","object":"user","first_name":"Ada","email_addresses":[{"id":';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'cf-ray': ray });
        res.end(text);
        return 200;
      }
      case 'rate-limit': {
        const retry = fault.retryAfterSeconds === undefined ? 1 : fault.retryAfterSeconds;
        const reply = errorReply(429, [{ code: 'too_many_requests', message: 'Too many requests', long_message: 'Too many requests, please try again later.' }]);
        if (retry !== null) reply.headers = { 'Retry-After': String(retry) };
        send(res, reply);
        return 429;
      }
      case 'huge': {
        const size = fault.sizeBytes ?? 10 * 1024 * 1024;
        res.writeHead(200, { 'Content-Type': 'application/json', 'cf-ray': ray });
        const head = '{"id":"user_huge","object":"user","padding":"';
        const tail = '"}';
        let remaining = Math.max(0, size - head.length - tail.length);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        res.write(head);
        const pump = (): void => {
          while (remaining > 0 && !res.destroyed) {
            const n = Math.min(remaining, chunk.length);
            remaining -= n;
            if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
              res.once('drain', pump);
              return;
            }
          }
          if (!res.destroyed) res.end(tail);
        };
        pump();
        return 200;
      }
      case 'redirect': {
        const status = fault.redirectStatus ?? 307;
        const target = (fault.location ?? 'http://redirect-target.invalid').replace(/\/+$/, '') + url.pathname + url.search;
        res.writeHead(status, { Location: target, 'Content-Length': 0, 'cf-ray': ray });
        res.end();
        return status;
      }
      default:
        return 0;
    }
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
    });
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake.clerk');
        const method = (req.method ?? 'GET').toUpperCase();
        const bodyText = Buffer.concat(chunks).toString('utf8');
        if (url.pathname.startsWith('/__fake/')) {
          try {
            send(res, control(method, url, bodyText));
          } catch (error) {
            send(res, { status: 400, body: { error: error instanceof Error ? error.message : String(error) } });
          }
          return;
        }
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (v === undefined) continue;
          headers[k] = k === 'authorization' ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
        }
        const record: FakeRequestRecord = {
          seq: ++seq,
          method,
          path: url.pathname,
          query: url.search.replace(/^\?/, ''),
          headers,
          auth: { status: 'missing' },
          body: tooLarge ? '' : bodyText,
          time: Date.now(),
          applied: false,
        };
        requests.push(record);
        notify(record, false);
        const finish = (status: number): void => {
          record.status = status;
          record.seqWhenFinished = seq;
          record.handlingMs = Math.round((performance.now() - started) * 10) / 10;
          options.log?.(`${method} ${url.pathname}${url.search} → ${status || 'reset'}${record.fault ? ` [fault ${record.fault}]` : ''} ${record.handlingMs} ms`);
          finishedSeqs.add(record.seq);
          notify(record, true);
        };
        try {
          let fault = takeFault(method, url.pathname);
          if (fault?.kind === 'hold') {
            const gate = fault.gate;
            fault = undefined;
            if (gate) {
              record.fault = 'hold';
              await new Promise<void>((resolve) => {
                res.once('close', () => resolve());
                void gate.released.then(resolve);
                gate.arrived(record);
              });
            }
            if (gone || res.destroyed) {
              record.clientGone = true;
              finish(0);
              return;
            }
          }
          if (fault?.kind === 'latency') {
            record.fault = 'latency';
            await new Promise<void>((resolve) => {
              const t = setTimeout(() => {
                timers.delete(t);
                resolve();
              }, fault?.latencyMs ?? 1000);
              timers.add(t);
            });
            fault = undefined;
            if (gone || res.destroyed) {
              record.clientGone = true;
              finish(0);
              return;
            }
          }
          if (tooLarge) {
            const reply = oneError(413, 'request_body_too_large', 'Request body too large', `The request body is larger than ${maxBody} bytes.`);
            send(res, reply);
            finish(413);
            return;
          }
          if (fault && !fault.apply) {
            record.fault = fault.kind;
            finish(sendFault(req, res, fault, url));
            return;
          }
          const reply = handle(method, url, req.headers, bodyText, record);
          record.applied = reply.applied === true;
          if (fault) {
            record.fault = fault.kind;
            finish(sendFault(req, res, fault, url));
            return;
          }
          send(res, reply);
          finish(reply.status);
        } catch (error) {
          send(res, oneError(500, 'internal_clerk_error', 'Oops, an unexpected error occurred', `Fake Clerk error: ${error instanceof Error ? error.message : String(error)}`));
          finish(500);
        }
      })();
    });
  });
  // Node's fetch (undici 6) drops a connection whose Keep-Alive timeout is 2 s or less right after
  // its response, so a shorter one here made every request a new connection.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const api: FakeClerk = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests,
    users: store.users,
    store,
    clock,
    setFault(fault) {
      faults.push({ ...fault, remaining: fault.persistent ? Number.POSITIVE_INFINITY : (fault.times ?? 1) });
    },
    clearFaults() {
      faults.length = 0;
    },
    hold(match) {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      releases.add(release);
      let arrived!: (record: FakeRequestRecord) => void;
      const arrival = new Promise<FakeRequestRecord>((resolve) => (arrived = resolve));
      api.setFault({ kind: 'hold', method: match.method, path: match.path, gate: { arrived, released } });
      return {
        arrived: arrival,
        release() {
          releases.delete(release);
          release();
        },
      };
    },
    resetRateLimits() {
      windows.clear();
    },
    addUser(seed) {
      const { user, secrets } = makeUser(seed, clock.now());
      store.add(user, secrets);
      return user;
    },
    requestsTo(method, path) {
      return requests.filter((r) => r.method === method.toUpperCase() && (path === undefined || matchesPath(path, r.path)));
    },
    waitForRequest(predicate = () => true, timeoutMs = 5000) {
      return waitFor(predicate, true, timeoutMs);
    },
    waitForArrival(predicate = () => true, timeoutMs = 5000) {
      return waitFor(predicate, false, timeoutMs);
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const release of releases) release();
      releases.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return api;
}

/** True when the version moved metadata out of PATCH /v1/users/{id} (re-exported for tests). */
export { metadataSentSeparately };
