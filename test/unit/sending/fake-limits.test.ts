// The fake's instance-wide rate limits (sliding windows by key kind), on its manual clock: no sleeping.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import type { FakeClerkOptions } from '../../../src/fake/server';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, type FakeClerk, callFake, startFake } from '../../support/fake-clerk';

const ADA = `/v1/users/${DEMO_USER_IDS.ada}`;

describe('fake Clerk: instance-wide limits', () => {
  let fake: FakeClerk | undefined;
  afterEach(() => fake?.stop());
  const start = async (options: FakeClerkOptions): Promise<FakeClerk> =>
    (fake = await startFake({ clock: 'manual', ...options }));
  /**
   * `n` GETs of Ada with `key`, 25 at a time; their statuses, sorted (arrival order within a batch is not
   * theirs).
   */
  const burst = async (f: FakeClerk, n: number, key = FAKE_TEST_KEY): Promise<number[]> => {
    const statuses: number[] = [];
    for (let i = 0; i < n; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, n - i) }, () => callFake(f, 'GET', ADA, { key })),
      );
      statuses.push(...batch.map((r) => r.status));
    }
    return statuses.sort();
  };

  it('is off unless asked for, so bursts in other tests never meet it', async () => {
    const f = await start({});
    assert.deepEqual(new Set(await burst(f, 101)), new Set([200]));
    assert.equal((await (await fetch(`${f.url}/__fake/config`)).json()).instanceLimit, false);
  });

  it("lets 100 requests of a test key through in 10 s, GETs included, then answers 429 with Clerk's envelope and Retry-After", async () => {
    const f = await start({ instanceLimit: true });
    assert.equal(
      (await callFake(f, 'GET', ADA, { key: 'sk_test_notAKeyOfThisInstance' })).status,
      401,
      'unauthenticated requests do not count',
    );
    assert.deepEqual(new Set(await burst(f, 100)), new Set([200]));
    const limited = await callFake(f, 'GET', ADA);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('content-type'), 'application/json');
    assert.equal(limited.headers.get('retry-after'), '10');
    assert.equal(limited.json.errors.length, 1);
    assert.equal(limited.json.errors[0].code, 'too_many_requests');
    assert.equal(limited.json.errors[0].message, 'Too many requests');
    assert.match(limited.json.errors[0].long_message, /instance/);
    assert.match(limited.json.clerk_trace_id, /^[0-9a-f]{32}$/);
    f.clock.advance(2500);
    assert.equal(
      (await callFake(f, 'PATCH', ADA, { body: '{"first_name":"Ada"}' })).headers.get('retry-after'),
      '8',
      'writes count too; 7.5 s left round up',
    );
    f.clock.advance(7499);
    assert.equal(
      (await callFake(f, 'GET', '/v1/users/count')).headers.get('retry-after'),
      '1',
      'never less than 1',
    );
    f.clock.advance(1);
    assert.deepEqual(
      new Set(await burst(f, 100)),
      new Set([200]),
      'the 429s did not count: the whole window is free again',
    );
    assert.equal((await callFake(f, 'GET', ADA)).status, 429);
  });

  it('slides: a slot frees when the oldest request leaves the window, not at a fixed boundary', async () => {
    const f = await start({ instanceLimit: { test: { max: 3, windowMs: 10_000 } } });
    assert.equal((await callFake(f, 'GET', ADA)).status, 200);
    f.clock.advance(4000);
    assert.deepEqual(await burst(f, 2), [200, 200]);
    f.clock.advance(6000);
    assert.equal((await callFake(f, 'GET', ADA)).status, 200, 'the first request left the window');
    f.clock.advance(1);
    const next = await callFake(f, 'GET', ADA);
    assert.deepEqual(
      [next.status, next.headers.get('retry-after')],
      [429, '4'],
      'the next slot frees when the requests at 4 s leave',
    );
  });

  it("blocks the endpoint of a 429 until its Retry-After has passed, as Clerk's docs say; other endpoints go on", async () => {
    const f = await start({ instanceLimit: { test: { max: 3, windowMs: 10_000 } } });
    assert.deepEqual(await burst(f, 3), [200, 200, 200]);
    f.clock.advance(9999);
    const limited = await callFake(f, 'GET', ADA);
    assert.deepEqual([limited.status, limited.headers.get('retry-after')], [429, '1']);
    f.clock.advance(1);
    const blocked = await callFake(f, 'GET', `/v1/users/${DEMO_USER_IDS.grace}`);
    assert.deepEqual(
      [blocked.status, blocked.headers.get('retry-after')],
      [429, '1'],
      'a slot is free, but GET /v1/users/{user_id} is blocked for the rest of the second',
    );
    assert.equal(
      (await callFake(f, 'GET', '/v1/users/count')).status,
      200,
      'another endpoint takes the slot',
    );
    f.clock.advance(998);
    assert.equal((await callFake(f, 'GET', ADA)).status, 429, 'still blocked 1 ms before the block ends');
    f.clock.advance(1);
    assert.deepEqual(
      await burst(f, 2),
      [200, 200],
      'the block is over, and the refused requests did not count',
    );
    assert.equal((await callFake(f, 'GET', ADA)).status, 429);
  });

  it('keeps live keys in their own window (1000 per 10 s by default)', async () => {
    const f = await start({ instanceLimit: { test: { max: 5, windowMs: 10_000 } } });
    assert.deepEqual((await (await fetch(`${f.url}/__fake/config`)).json()).instanceLimit, {
      test: { max: 5, windowMs: 10_000 },
      live: { max: 1000, windowMs: 10_000 },
    });
    await burst(f, 5);
    assert.equal((await callFake(f, 'GET', ADA)).status, 429);
    assert.deepEqual(new Set(await burst(f, 50, FAKE_LIVE_KEY)), new Set([200]));
    f.setInstanceLimit({ live: { max: 2, windowMs: 60_000 } });
    assert.deepEqual(await burst(f, 3, FAKE_LIVE_KEY), [200, 200, 429]);
  });

  it('scales for benchmarks: 1000 per 1000 ms', async () => {
    const f = await start({ instanceLimit: { test: { max: 1000, windowMs: 1000 } } });
    assert.deepEqual(new Set(await burst(f, 1000)), new Set([200]));
    const limited = await callFake(f, 'GET', ADA);
    assert.deepEqual([limited.status, limited.headers.get('retry-after')], [429, '1']);
    f.clock.advance(1000);
    assert.equal((await callFake(f, 'GET', ADA)).status, 200);
  });

  it('keeps the per-user limit of 10 per 10 s on writes, under the instance limit', async () => {
    const f = await start({ instanceLimit: true });
    for (let i = 0; i < 10; i++)
      assert.equal((await callFake(f, 'PATCH', ADA, { body: `{"first_name":"Ada ${i}"}` })).status, 200);
    const limited = await callFake(f, 'PUT', `${ADA}/metadata`, { body: '{"public_metadata":{}}' });
    assert.equal(limited.status, 429);
    assert.match(limited.json.errors[0].long_message, /this user/);
    assert.equal(
      (await callFake(f, 'PATCH', `/v1/users/${DEMO_USER_IDS.grace}`, { body: '{"first_name":"Grace"}' }))
        .status,
      200,
      'another user is not limited',
    );
  });

  it('is configured over the control API', async () => {
    const f = await start({});
    const put = await fetch(`${f.url}/__fake/instance-limit`, {
      method: 'PUT',
      body: '{"test":{"max":2,"windowMs":5000}}',
    });
    assert.equal(put.status, 200);
    assert.deepEqual(await burst(f, 3), [200, 200, 429]);
    await fetch(`${f.url}/__fake/rate-limits`, { method: 'DELETE' });
    assert.equal(
      (await callFake(f, 'GET', ADA)).status,
      200,
      'DELETE /__fake/rate-limits forgets the window',
    );
    await fetch(`${f.url}/__fake/instance-limit`, { method: 'PUT', body: 'false' });
    assert.deepEqual(new Set(await burst(f, 10)), new Set([200]));
    assert.equal(
      (
        await fetch(`${f.url}/__fake/instance-limit`, {
          method: 'PUT',
          body: '{"test":{"max":0,"windowMs":1}}',
        })
      ).status,
      400,
    );
  });
});
