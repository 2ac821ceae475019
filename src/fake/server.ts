// A faithful fake of Clerk's Backend API user endpoints, on loopback, for tests, the demo and benchmarks.
// This file wires the parts (recorder, faults, limits, auth, control API, users routes) and runs each
// request through them; each part lives in its own file.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClerkUser } from '../core/clerk/types';
import { DEFAULT_API_VERSION, metadataSentSeparately } from '../core/versions';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, Keys, requestedVersion } from './auth';
import { type ControlRequest, controlRoutes } from './control';
import { Faults, matchesPath, sendFault, waitForRelease } from './faults';
import { generatedSeeds } from './generate';
import { Latency, waitUnlessClosed } from './latency';
import { CLERK_USER_LIMIT, InstanceLimits, UserLimits } from './ratelimit';
import { Recorder } from './recorder';
import { notFoundRoute, oneError, type Reply, writeReply } from './reply';
import type { RouteMatch } from './routes';
import { type FakeUserSeed, demoUsers, makeUser } from './seed';
import type { FakeClerk, FakeClerkOptions, FakeClock, FakeRequestRecord } from './types';
import { type ApiRequest, userRoutes } from './userRoutes';
import { DEFAULT_PWNED_PASSWORDS, UserStore } from './users';
import { WriteLedger } from './writes';
import { errorMessage } from '../core/text/format';

export * from './types';
export { DEMO_FAKE_OPTIONS } from './demo';
export { FAKE_LIVE_KEY, FAKE_TEST_KEY };
/** True when the version moved metadata out of PATCH /v1/users/{id} (re-exported for tests). */
export { metadataSentSeparately };

/** Generated users' timestamps end here (or now, if earlier), so the same seed gives the same users. */
const GENERATED_UNTIL = Date.UTC(2026, 0, 1);

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
  const start = Date.now();
  const clock: FakeClock = {
    now: () => (options.clock === 'manual' ? start : Date.now()) + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
  const store = new UserStore();
  const keys = new Keys(options.keys);
  const defaultVersion = options.defaultApiVersion ?? DEFAULT_API_VERSION;
  const rateLimit = options.rateLimit === undefined ? CLERK_USER_LIMIT : options.rateLimit;
  const userLimits = new UserLimits(rateLimit);
  const instanceLimits = new InstanceLimits(options.instanceLimit);
  const latency = new Latency(options.latency);
  const pwned = new Set((options.pwnedPasswords ?? DEFAULT_PWNED_PASSWORDS).map((p) => p.toLowerCase()));
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const recorder = new Recorder({
    recordBodies: options.recordBodies,
    maxRecords: options.maxRecords,
    log: options.log,
  });
  const faults = new Faults();
  const writes = new WriteLedger();
  const timers = new Set<NodeJS.Timeout>();
  const api = userRoutes({ store, clock, userLimits, pwned });

  function addUser(seed: FakeUserSeed): ClerkUser {
    const { user, secrets, organizations } = makeUser(seed, clock.now());
    store.add(user, secrets, organizations);
    return user;
  }
  function addGenerated(count: number, seed = 1): number {
    if (!(Number.isInteger(count) && count >= 0)) throw new Error('count must be a non-negative integer');
    for (const s of generatedSeeds(count, seed, Math.min(GENERATED_UNTIL, clock.now()))) addUser(s);
    return store.users.size;
  }
  const seedsOf = (spec: 'demo' | 'none' | FakeUserSeed[]): FakeUserSeed[] =>
    spec === 'none' ? [] : spec === 'demo' ? demoUsers(clock.now()) : spec;
  const users = options.users ?? 'demo';
  if (typeof users === 'object' && !Array.isArray(users)) {
    seedsOf(users.base ?? 'none').forEach(addUser);
    addGenerated(users.generate, users.seed);
  } else {
    seedsOf(users).forEach(addUser);
  }

  function route(
    match: RouteMatch<ApiRequest, Reply> | undefined,
    req: http.IncomingMessage,
    url: URL,
    method: string,
    bodyText: string,
  ): Reply {
    const version = requestedVersion(req.headers, url, defaultVersion);
    if (typeof version !== 'string') return version;
    if (!match) return notFoundRoute();
    return match.route.handler({ method, url, headers: req.headers, bodyText, version }, match.params);
  }

  /**
   * One API request: recorded and counted against the instance limit when it arrives, then held,
   * delayed or faulted as set up, then answered. A request whose client went away while it waited
   * is dropped, never applied.
   */
  async function handleApi(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    method: string,
    bodyText: string,
    tooLarge: boolean,
    started: number,
  ): Promise<void> {
    let clientGone = false;
    res.on('close', () => {
      if (!res.writableFinished) clientGone = true;
    });
    const record = recorder.arrive(method, url, req.headers, tooLarge ? '' : bodyText);
    const authn = keys.authenticate(req.headers);
    record.auth = authn.auth;
    const match = api.match(method, url.pathname);
    const writeRoute = match?.route.write ? `${method} ${match.route.pattern}` : undefined;
    const userId = match?.params.user_id ?? '';
    if (writeRoute) writes.arrived(userId, writeRoute);
    const endpoint = `${method} ${match?.route.pattern ?? url.pathname}`;
    const limited = authn.kind ? instanceLimits.check(authn.kind, endpoint, clock.now()) : undefined;
    // Drawn on arrival, so that the same seed gives the same latency to the same request.
    const delay = latency.next();
    const finish = (status: number): void => recorder.finish(record, status, started);
    const dropIfGone = (): boolean => {
      if (!clientGone && !res.destroyed) return false;
      record.clientGone = true;
      finish(0);
      return true;
    };
    try {
      let fault = faults.take(method, url.pathname);
      if (fault?.kind === 'hold') {
        if (fault.gate) record.fault = 'hold';
        await waitForRelease(fault, record, res);
        fault = undefined;
        if (dropIfGone()) return;
      }
      if (fault?.kind === 'latency') {
        record.fault = 'latency';
        await waitUnlessClosed(fault.latencyMs ?? 1000, res, timers);
        fault = undefined;
        if (dropIfGone()) return;
      }
      if (delay !== undefined) {
        record.latencyMs = delay;
        await waitUnlessClosed(delay, res, timers);
        if (dropIfGone()) return;
      }
      if (tooLarge) {
        writeReply(
          res,
          oneError(
            413,
            'request_body_too_large',
            'Request body too large',
            `The request body is larger than ${maxBody} bytes.`,
          ),
        );
        finish(413);
        return;
      }
      if (fault && !fault.apply) {
        record.fault = fault.kind;
        finish(sendFault(req, res, fault, url));
        return;
      }
      const reply = authn.error ?? limited ?? route(match, req, url, method, bodyText);
      record.applied = reply.applied === true;
      if (reply.applied) {
        record.changed = reply.changed === true;
        if (writeRoute) writes.applied(userId, writeRoute, record.changed);
      }
      if (fault) {
        record.fault = fault.kind;
        finish(sendFault(req, res, fault, url));
        return;
      }
      writeReply(res, reply);
      finish(reply.status);
    } catch (error) {
      writeReply(
        res,
        oneError(
          500,
          'internal_clerk_error',
          'Oops, an unexpected error occurred',
          `Fake Clerk error: ${errorMessage(error)}`,
        ),
      );
      finish(500);
    }
  }

  function handleControl(res: http.ServerResponse, url: URL, method: string, bodyText: string): void {
    const match = control.match(method, url.pathname.slice('/__fake'.length));
    const req: ControlRequest = { json: () => (bodyText.trim() ? JSON.parse(bodyText) : undefined) };
    try {
      writeReply(
        res,
        match
          ? match.route.handler(req, match.params)
          : { status: 404, body: { error: `unknown control route ${method} ${url.pathname}` } },
      );
    } catch (error) {
      writeReply(res, { status: 400, body: { error: errorMessage(error) } });
    }
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.clerk');
      const method = (req.method ?? 'GET').toUpperCase();
      const bodyText = Buffer.concat(chunks).toString('utf8');
      if (url.pathname.startsWith('/__fake/')) handleControl(res, url, method, bodyText);
      else void handleApi(req, res, url, method, bodyText, size > maxBody, started);
    });
  });
  // Clerk's edge keeps an idle connection open far longer than Node's default of 5 s. With 5 s, a client
  // whose event loop was busy for a second (a CLI planning 500 rows on a loaded machine) sent its next
  // PATCH on a connection the server had just closed, and the row failed as "connection reset". (Node's
  // fetch, undici 6, drops a connection whose Keep-Alive timeout is 2 s or less right after its response.)
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const fake: FakeClerk = {
    url: `http://${host}:${address.port}`,
    port: address.port,
    requests: recorder.requests,
    users: store.users,
    store,
    clock,
    setFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    hold: (match) => faults.hold(match),
    resetRateLimits() {
      userLimits.reset();
      instanceLimits.reset();
    },
    setInstanceLimit: (limit) => instanceLimits.configure(limit),
    setLatency: (spec) => latency.configure(spec),
    addUser,
    generateUsers: addGenerated,
    appliedWrites: (userId) => writes.get(userId),
    writes: () => writes.summary(),
    resetWrites: () => writes.reset(),
    requestsTo: (method, path) =>
      recorder.requests.filter(
        (r: FakeRequestRecord) =>
          r.method === method.toUpperCase() && (path === undefined || matchesPath(path, r.path)),
      ),
    waitForRequest: (predicate = () => true, timeoutMs = 5000) =>
      recorder.waitFor(predicate, true, timeoutMs),
    waitForArrival: (predicate = () => true, timeoutMs = 5000) =>
      recorder.waitFor(predicate, false, timeoutMs),
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      faults.releaseAll();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  const control = controlRoutes(fake, () => ({
    users: store.users.size,
    instanceLimit: Object.keys(instanceLimits.current).length ? instanceLimits.current : false,
    latency: latency.current ?? null,
    rateLimit,
    recordBodies: options.recordBodies !== false,
    maxRecords: options.maxRecords ?? null,
    clock: options.clock ?? 'wall',
  }));

  return fake;
}
