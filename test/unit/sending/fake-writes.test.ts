// The fake's proof of "exactly once" (write counts per user and route), its lean request log for long
// runs, and its latency: seeded, and dropping requests whose client went away.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import type { FakeClerkOptions } from '../../../src/fake/server';
import { type FakeClerk, abortableWrite, callFake, startFake } from '../../support/fake-clerk';

const ADA = DEMO_USER_IDS.ada;
const GRACE = DEMO_USER_IDS.grace;
const USER_ROUTE = 'PATCH /v1/users/:user_id';

describe('fake Clerk: write counts, request log and latency', () => {
  let fakes: FakeClerk[] = [];
  afterEach(async () => {
    await Promise.all(fakes.map((f) => f.stop()));
    fakes = [];
  });
  const start = async (options: FakeClerkOptions = {}): Promise<FakeClerk> => {
    const f = await startFake(options);
    fakes.push(f);
    return f;
  };
  const patch = (f: FakeClerk, id: string, body: string) => callFake(f, 'PATCH', `/v1/users/${id}`, { body });

  it('counts, per user and route, the writes that arrived, were applied and changed the user', async () => {
    const f = await start({ rateLimit: { max: 4, windowMs: 10_000 } });
    await patch(f, ADA, '{"first_name":"Augusta Ada"}');
    await patch(f, ADA, '{"first_name":"Augusta Ada"}');
    assert.equal((await patch(f, ADA, '{"username":"a b"}')).status, 422);
    await callFake(f, 'PUT', `/v1/users/${ADA}/metadata`, { body: '{"public_metadata":{"role":"owner"}}' });
    assert.equal((await patch(f, ADA, '{"first_name":"Ada"}')).status, 429, 'the per-user limit');
    await callFake(f, 'GET', `/v1/users/${ADA}`);
    assert.deepEqual(f.appliedWrites(ADA), {
      userId: ADA,
      arrived: 5,
      applied: 3,
      changed: 2,
      byRoute: {
        [USER_ROUTE]: { arrived: 4, applied: 2, changed: 1 },
        'PUT /v1/users/:user_id/metadata': { arrived: 1, applied: 1, changed: 1 },
      },
    });
    await patch(f, GRACE, '{"last_name":"Murray Hopper"}');
    const summary = f.writes();
    assert.deepEqual(summary, {
      users: 2,
      arrived: 6,
      applied: 4,
      changed: 3,
      appliedMoreThanOnce: [ADA],
      maxAppliedPerRoute: 2,
    });
    assert.deepEqual(await (await fetch(`${f.url}/__fake/writes`)).json(), summary);
    assert.deepEqual(await (await fetch(`${f.url}/__fake/writes/${GRACE}`)).json(), f.appliedWrites(GRACE));
    assert.deepEqual(f.appliedWrites('user_neverWritten'), {
      userId: 'user_neverWritten',
      arrived: 0,
      applied: 0,
      changed: 0,
      byRoute: {},
    });
    assert.equal((await fetch(`${f.url}/__fake/writes`, { method: 'DELETE' })).status, 204);
    assert.equal(f.writes().users, 0);
  });

  it('counts a write applied behind a failing proxy (fault with apply) as applied, and a dropped one as not', async () => {
    const f = await start();
    f.setFault({ kind: 'html502', method: 'PATCH', apply: true });
    assert.equal((await patch(f, GRACE, '{"first_name":"Amazing"}')).status, 502);
    const hold = f.hold({ method: 'PATCH', path: `/v1/users/${GRACE}` });
    const gone = abortableWrite(f, 'PATCH', `/v1/users/${GRACE}`, '{"first_name":"Gone"}');
    const arrived = await hold.arrived;
    await gone.abort();
    await f.waitForRequest((r) => r.seq === arrived.seq);
    hold.release();
    assert.deepEqual(f.appliedWrites(GRACE).byRoute[USER_ROUTE], { arrived: 2, applied: 1, changed: 1 });
    assert.equal(f.users.get(GRACE)!.first_name, 'Amazing');
  });

  it('keeps no bodies or headers with recordBodies: false, and at most about maxRecords records, while the counts stay whole', async () => {
    const f = await start({ recordBodies: false, maxRecords: 10, rateLimit: false });
    for (let i = 0; i < 35; i++) await patch(f, ADA, `{"first_name":"Ada ${i}"}`);
    assert.ok(f.requests.length >= 10 && f.requests.length < 20, `${f.requests.length} records`);
    const last = f.requests.at(-1)!;
    assert.deepEqual(
      [last.seq, last.body, last.headers, last.auth, last.status, last.applied],
      [35, '', {}, { status: 'ok', keyLabel: 'test' }, 200, true],
    );
    assert.equal(f.appliedWrites(ADA).applied, 35);
    assert.equal((await f.waitForRequest((r) => r.seq === 35)).seq, 35);
  });

  it('adds a seeded latency to every API request, the same sequence for the same seed', async () => {
    const draws = async (seed: number): Promise<number[]> => {
      const f = await start({ latency: { minMs: 1, maxMs: 12, seed } });
      for (let i = 0; i < 8; i++) assert.equal((await callFake(f, 'GET', `/v1/users/${ADA}`)).status, 200);
      await fetch(`${f.url}/__fake/requests`);
      return f.requests.map((r) => r.latencyMs!);
    };
    const [a, b, c] = [await draws(7), await draws(7), await draws(8)];
    assert.equal(a.length, 8, 'control requests get none and are not recorded');
    assert.ok(
      a.every((ms) => Number.isInteger(ms) && ms >= 1 && ms <= 12),
      a.join(','),
    );
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    const f = await start({ latency: 3 });
    await callFake(f, 'GET', '/v1/users');
    assert.equal(f.requests.at(-1)!.latencyMs, 3);
    await fetch(`${f.url}/__fake/latency`, { method: 'PUT', body: 'null' });
    await callFake(f, 'GET', '/v1/users');
    assert.equal(f.requests.at(-1)!.latencyMs, undefined);
    assert.equal((await (await fetch(`${f.url}/__fake/config`)).json()).latency, null);
  });

  it('drops a request whose client goes away during the latency: answered nothing, applied nothing', async () => {
    const f = await start({ latency: 600_000 });
    const sent = abortableWrite(f, 'PATCH', `/v1/users/${ADA}`, '{"first_name":"Never"}');
    const arrived = await f.waitForArrival((r) => r.method === 'PATCH');
    await sent.abort();
    const record = await f.waitForRequest((r) => r.seq === arrived.seq);
    assert.deepEqual(
      [record.clientGone, record.applied, record.status, record.latencyMs],
      [true, false, 0, 600_000],
    );
    assert.notEqual(f.users.get(ADA)!.first_name, 'Never');
    assert.deepEqual(f.appliedWrites(ADA).byRoute[USER_ROUTE], { arrived: 1, applied: 0, changed: 0 });
  });
});
