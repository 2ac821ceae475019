import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Pacer, type PacerEvent, writeTarget } from '../../../src/core/pacing/pacer';
import { type Rate, parseRate } from '../../../src/core/pacing/rate';
import type { GateAnswer, GatePass } from '../../../src/core/clerk/gate';
import { FakeClock, settle } from '../../support/bulk';

interface Grant {
  at: number;
  path: string;
  userId?: string;
}

/** A pacer on a fake clock that records its grants; requests answer as `answer` says. */
function harness(
  rate: Rate,
  options: { perUser?: Rate | false; answer?: (n: number) => GateAnswer; hold?: (n: number) => boolean } = {},
) {
  const clock = new FakeClock();
  const grants: Grant[] = [];
  const events: PacerEvent[] = [];
  const pacer = new Pacer({
    rate,
    perUser: options.perUser,
    clock,
    observe: (e) => {
      events.push(e);
      if (e.type === 'grant') grants.push({ at: e.at, path: e.path, userId: e.userId });
    },
  });
  let sent = 0;
  const held: GatePass[] = [];
  const request = (method: string, path: string): Promise<boolean> =>
    pacer.enter({ method, path }).then((pass) => {
      if (!pass) return false;
      const n = ++sent;
      if (options.hold?.(n)) held.push(pass);
      else pass.leave(options.answer?.(n) ?? { status: 200, durationMs: 80 });
      return true;
    });
  /** Advance the clock timer by timer until `done()` (never more than `limitMs` of fake time). */
  const runUntil = async (done: () => boolean, limitMs = 3_600_000): Promise<void> => {
    for (;;) {
      await settle();
      if (done()) return;
      const next = clock.next();
      assert.ok(
        next !== undefined && next <= limitMs,
        `the pacer stalled at ${clock.now()} ms with ${grants.length} grants`,
      );
      await clock.advance(Math.max(0, next - clock.now()));
    }
  };
  return { clock, pacer, grants, events, request, runUntil, held };
}

/** The most grants in any window of `windowMs` (a window [t, t + windowMs) starting at each grant). */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

/**
 * `total` requests through a pacer at `limit` per `windowMs` against a simulated Clerk, which counts a
 * request when it arrives (a sliding window), 20-300 ms after its grant (jitter drawn from `seed`; or when a
 * blocked loop lets it go), and answers 429 past the limit with its Retry-After. A 429'd request is sent
 * again after its wait. `arrive` also serves other clients of the instance; `done()` once every request
 * succeeded.
 */
function simulatedClerk(
  clock: FakeClock,
  { limit, windowMs, seed, total }: { limit: number; windowMs: number; seed: number; total: number },
) {
  const hits: number[] = [];
  const arrive = (at: number): { status: number; retryAfterSeconds?: number } => {
    while (hits.length && hits[0] <= at - windowMs) hits.shift();
    if (hits.length >= limit)
      return { status: 429, retryAfterSeconds: Math.max(1, Math.ceil((hits[0] + windowMs - at) / 1000)) };
    hits.push(at);
    return { status: 200 };
  };
  let state = seed;
  const jitter = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 20 + (state % 281);
  };
  const pacer = new Pacer({ rate: { limit, windowMs }, perUser: false, clock });
  const counts = { ours: 0, limited: 0, answered: 0 };
  const send = (): void => {
    void pacer.enter({ method: 'GET', path: '/v1/users' }).then((pass) => {
      assert.ok(pass);
      counts.ours++;
      const out = jitter();
      clock.timer(out, () => {
        const answer = arrive(clock.now());
        if (answer.status === 429) counts.limited++;
        clock.timer(out, () => {
          pass.leave({ ...answer, durationMs: 2 * out });
          counts.answered++;
          if (answer.status === 429) send(); // the row is sent again after the wait
        });
      });
    });
  };
  for (let i = 0; i < total; i++) send();
  return { arrive, counts, done: () => counts.answered - counts.limited >= total };
}

describe('pacer (fake clock)', () => {
  it('never sends more than 100 in any 10 s window, at most a quarter of them at once, and keeps close to the rate', async () => {
    const h = harness({ limit: 100, windowMs: 10_000 }, { perUser: false });
    for (let i = 0; i < 1000; i++) void h.request('GET', `/v1/users?user_id=u${i}`);
    await h.runUntil(() => h.grants.length === 1000);
    const times = h.grants.map((g) => g.at);
    assert.ok(busiest(times, 10_000) <= 100, `busiest 10 s window: ${busiest(times, 10_000)}`);
    assert.ok(busiest(times, 10_100) <= 100, 'the 1 % margin holds too');
    assert.ok(
      busiest(times, 1_000) <= 25 + 10,
      `a head start of a quarter of the allowance, no more: ${busiest(times, 1_000)} in the busiest second`,
    );
    const last = Math.max(...times);
    // Never faster than the margin allows (100 at once, then 100 every 10.1 s: 9 windows), and 25 ahead
    // of the even schedule (one every 101 ms): 975 × 101 ms; spread evenly with no head start it was
    // 999 × 101 ms.
    assert.ok(
      last >= 9 * 10_100 - 300 && last <= 975 * 101 + 300,
      `1000 requests at 100/10.1 s took ${last} ms of fake time`,
    );
  });

  it('holds for scaled windows (1000/1s) and a full burst never happens', async () => {
    const parsed = parseRate('1000/1s');
    assert.ok(parsed.ok);
    const h = harness(parsed.rate, { perUser: false });
    for (let i = 0; i < 3000; i++) void h.request('GET', '/v1/users');
    await h.runUntil(() => h.grants.length === 3000);
    const times = h.grants.map((g) => g.at);
    assert.ok(busiest(times, 1000) <= 1000, `busiest 1 s window: ${busiest(times, 1000)}`);
    assert.ok(busiest(times, 100) <= 250 + 100, `busiest 100 ms: ${busiest(times, 100)}`);
    assert.ok(Math.max(...times) <= 3000 * 1.01 + 50);
  });

  it('limits writes per user to 10 per 10 s without holding back other users or reads', async () => {
    const h = harness({ limit: 1000, windowMs: 10_000 });
    for (let i = 0; i < 30; i++) void h.request('PATCH', '/v1/users/user_busy');
    for (let i = 0; i < 30; i++)
      void h.request(i % 2 ? 'PUT' : 'PATCH', `/v1/users/user_${i}${i % 2 ? '/metadata' : ''}`);
    for (let i = 0; i < 5; i++) void h.request('GET', '/v1/users/user_busy');
    await h.runUntil(() => h.grants.length === 65);
    const busy = h.grants.filter((g) => g.userId === 'user_busy').map((g) => g.at);
    assert.equal(busy.length, 30);
    assert.ok(busiest(busy, 10_000) <= 10, `user_busy got ${busiest(busy, 10_000)} writes in one window`);
    const others = h.grants.filter((g) => g.userId !== 'user_busy').map((g) => g.at);
    assert.ok(Math.max(...others) < 1000, `other users and reads waited until ${Math.max(...others)} ms`);
    assert.equal(writeTarget({ method: 'PUT', path: '/v1/users/user_%C3%A9/metadata' }), 'user_é');
    assert.equal(writeTarget({ method: 'GET', path: '/v1/users/user_1' }), undefined);
  });

  it('on a 429 waits for Retry-After, halves the pace once per burst, then adds back a tenth per window', async () => {
    // Requests 20-22 are in flight together and all come back 429: one decrease, not three.
    const h = harness({ limit: 100, windowMs: 10_000 }, { perUser: false, hold: (n) => n >= 20 && n <= 22 });
    for (let i = 0; i < 700; i++) void h.request('GET', '/v1/users');
    await h.runUntil(() => h.held.length === 3);
    for (const pass of h.held) pass.leave({ status: 429, retryAfterSeconds: 3, durationMs: 80 });
    const at429 = h.clock.now();
    await h.runUntil(() => h.grants.length === 700);
    const limited = h.events.filter((e) => e.type === 'rate-limited');
    assert.equal(limited.length, 3);
    assert.ok(
      limited.every((e) => e.type === 'rate-limited' && e.waitMs === 3000 && e.cap === 50),
      'halved once for the burst',
    );
    const paces = h.events.filter((e) => e.type === 'pace').map((e) => (e.type === 'pace' ? e.cap : 0));
    assert.deepEqual(paces, [60, 70, 80, 90, 100], 'a tenth of the limit back per window');
    const times = h.grants.map((g) => g.at);
    assert.deepEqual(
      times.filter((t) => t > at429 && t < at429 + 3000),
      [],
      'nothing leaves during the Retry-After wait',
    );
    const halved = times.filter((t) => t > at429 && t < at429 + 10_300);
    assert.ok(halved.length <= 50, `${halved.length} in the window after the 429`);
    assert.ok(busiest(times, 10_000) <= 100);
  });

  it('waits the default 5 s after a 429 without Retry-After', async () => {
    const h = harness({ limit: 100, windowMs: 10_000 }, { perUser: false, hold: (n) => n === 1 });
    void h.request('GET', '/v1/users');
    await h.runUntil(() => h.held.length === 1);
    h.held[0].leave({ status: 429, durationMs: 10 });
    for (let i = 0; i < 2; i++) void h.request('GET', '/v1/users');
    await h.runUntil(() => h.grants.length === 3);
    assert.ok(h.grants[1].at >= 5000, `the next request after the 429 left at ${h.grants[1].at} ms`);
  });

  it('needs more rows in flight as latency grows, and none once closed', async () => {
    const h = harness(
      { limit: 200, windowMs: 10_000 },
      { perUser: false, answer: () => ({ status: 200, durationMs: 400 }) },
    );
    const before = h.pacer.concurrency();
    for (let i = 0; i < 50; i++) void h.request('GET', '/v1/users');
    await h.runUntil(() => h.grants.length === 50);
    const after = h.pacer.concurrency();
    // 19.4/s over ~400 ms, four times over (the head start): about 31.
    assert.ok(
      after > before && after >= 30 && after <= 34,
      `concurrency ${before} -> ${after} for 19.4/s at ~400 ms`,
    );
    for (let i = 0; i < 200; i++) void h.request('GET', '/v1/users');
    await settle();
    const waiting = h.request('GET', '/v1/users');
    const aborted = new AbortController();
    const cancelled = h.pacer.enter({ method: 'GET', path: '/v1/users' }, aborted.signal);
    aborted.abort();
    assert.equal(await cancelled, undefined);
    h.pacer.close();
    assert.equal(await waiting, false);
    assert.equal(await h.pacer.enter({ method: 'GET', path: '/v1/users' }), undefined);
  });

  it('against a simulated Clerk (sliding window counted on arrival, latency jitter, other traffic), 429s stay under 1 %', async () => {
    for (const others of [0, 20]) {
      const clock = new FakeClock();
      const windowMs = 10_000;
      const run = simulatedClerk(clock, { limit: 100, windowMs, seed: 42, total: 3000 });
      // Another client of the instance (the app itself) at `others` per 10 s, evenly.
      const other = (): void => {
        run.arrive(clock.now());
        clock.timer(windowMs / others, other);
      };
      if (others > 0) other();
      while (!run.done()) await clock.advance(Math.max(1, (clock.next() ?? clock.now() + 1) - clock.now()));
      const { limited, ours } = run.counts;
      const share = limited / ours;
      assert.ok(
        share < 0.01,
        `${limited} 429s in ${ours} requests (${(share * 100).toFixed(2)} %) with ${others} other requests per 10 s`,
      );
      if (others === 0)
        assert.equal(limited, 0, 'alone on the instance, the jitter is accounted for: no 429 at all');
    }
  });

  it('after the event loop was blocked, requests granted before and after it never exceed the limit at Clerk', async () => {
    for (const stallMs of [500, 2_000, 7_000]) {
      const clock = new FakeClock();
      const run = simulatedClerk(clock, { limit: 100, windowMs: 10_000, seed: 7, total: 1500 });
      // Blocked three times, at steady pace: the requests granted just before leave when it ends.
      const stalls = [25_000, 47_000, 81_000];
      while (!run.done()) {
        const next = clock.next() ?? clock.now() + 1;
        if (stalls.length > 0 && next >= stalls[0]) {
          await clock.advance(Math.max(0, stalls[0] - clock.now()));
          stalls.shift();
          clock.stall(stallMs);
          continue;
        }
        await clock.advance(Math.max(1, next - clock.now()));
      }
      assert.equal(run.counts.limited, 0, `${run.counts.limited} 429s after blocks of ${stallMs} ms`);
    }
  });

  it('parses rates', () => {
    assert.deepEqual(parseRate('100/10s'), { ok: true, rate: { limit: 100, windowMs: 10_000 } });
    assert.deepEqual(parseRate('1000/1s'), { ok: true, rate: { limit: 1000, windowMs: 1000 } });
    assert.deepEqual(parseRate('50/500ms'), { ok: true, rate: { limit: 50, windowMs: 500 } });
    assert.deepEqual(parseRate('60/m'), { ok: true, rate: { limit: 60, windowMs: 60_000 } });
    for (const bad of ['fast', '0/10s', '100', '100/10h']) assert.equal(parseRate(bad).ok, false, bad);
  });
});
