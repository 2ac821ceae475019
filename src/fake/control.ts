// The control API under `/__fake/` (no auth, loopback only, never recorded): what an out-of-process
// test or a spawned fake's driver uses instead of the in-process handle.
import type { Reply } from './reply';
import { RouteTable } from './routes';
import type { FakeUserSeed } from './seed';
import type { FakeClerk, FakeFault, FakeInstanceLimit, FakeLatency } from './types';

/** What a control route gets: the request body, parsed when it needs it. */
export interface ControlRequest {
  json(): unknown;
}

const ok = (status: number, body: unknown): Reply => ({ status, body });
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** The control routes, relative to `/__fake`. `config()` says how the fake is set up now. */
export function controlRoutes(fake: FakeClerk, config: () => unknown): RouteTable<ControlRequest, Reply> {
  return new RouteTable<ControlRequest, Reply>()
    .add('GET', '/requests', () => ok(200, fake.requests))
    .add('DELETE', '/requests', () => {
      fake.requests.length = 0;
      return ok(204, undefined);
    })
    .add('POST', '/faults', (req) => {
      const spec = record(req.json()) as unknown as FakeFault & { pathPattern?: string };
      fake.setFault({
        ...spec,
        path: spec.pathPattern !== undefined ? new RegExp(spec.pathPattern) : spec.path,
      });
      return ok(201, { ok: true });
    })
    .add('DELETE', '/faults', () => {
      fake.clearFaults();
      return ok(204, undefined);
    })
    .add('POST', '/clock', (req) => {
      fake.clock.advance(Number(record(req.json()).advanceMs ?? 0));
      return ok(200, { now: fake.clock.now() });
    })
    .add('DELETE', '/rate-limits', () => {
      fake.resetRateLimits();
      return ok(204, undefined);
    })
    .add('GET', '/config', () => ok(200, config()))
    .add('PUT', '/instance-limit', (req) => {
      fake.setInstanceLimit(req.json() as boolean | FakeInstanceLimit);
      return ok(200, config());
    })
    .add('PUT', '/latency', (req) => {
      fake.setLatency((req.json() ?? undefined) as FakeLatency | undefined);
      return ok(200, config());
    })
    .add('POST', '/users', (req) => ok(201, fake.addUser(record(req.json()) as FakeUserSeed)))
    .add('POST', '/users/generate', (req) => {
      const body = record(req.json());
      const users = fake.generateUsers(
        Number(body.count ?? 0),
        body.seed === undefined ? undefined : Number(body.seed),
      );
      return ok(201, { users });
    })
    .add('GET', '/users/:id', (_req, params) => {
      const found = fake.store.get(params.id);
      return found ? ok(200, found) : ok(404, { error: 'no such user' });
    })
    .add('GET', '/organizations', () =>
      ok(
        200,
        fake.store.byOrganization.sizes().map((o) => ({ id: o.key, members: o.count })),
      ),
    )
    .add('GET', '/writes', () => ok(200, fake.writes()))
    .add('GET', '/writes/:id', (_req, params) => ok(200, fake.appliedWrites(params.id)))
    .add('DELETE', '/writes', () => {
      fake.resetWrites();
      return ok(204, undefined);
    });
}
