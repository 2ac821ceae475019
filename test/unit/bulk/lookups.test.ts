// How many lookups a run makes (targets grouped by kind over a window of rows, the second read by user id or
// not at all while the first is young), what a resume looks up, and the pacer's window rebuilt from the
// journal's request times. Counts and behaviour only: no durations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadJournal } from '../../../src/core/bulk/journal/journalIndex';
import { type SentMark, encodeMark } from '../../../src/core/bulk/journal/marks';
import type { BulkRow } from '../../../src/core/bulk/format/types';
import type { Clock } from '../../../src/core/pacing/clock';
import { Pacer } from '../../../src/core/pacing/pacer';
import { FakeClock, MemoryJournal, row, settle } from '../../support/bulk';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import type { FakeHold } from '../../../src/fake/types';
import { run, seedUsers, summaryOf } from './runHelpers';
import { LOOKUPS_IN_FLIGHT } from '../../../src/core/bulk/run/planPass';

/**
 * The target of row i of a file naming users by the three kinds in turn: user_id `${user}${i}`, external_id
 * `${external}${i}`, email `${email}${i}@example.com` (by default those of seedUsers).
 */
function mixedTarget(i: number, { user = 'user_b', external = 'ext-', email = 'b' } = {}): BulkRow['target'] {
  if (i % 3 === 0) return { kind: 'user_id', value: `${user}${i}` };
  if (i % 3 === 1) return { kind: 'external_id', value: `${external}${i}` };
  return { kind: 'email', value: `${email}${i}@example.com` };
}

/** 300 rows, 100 of each target kind, interleaved: user_id, external_id, email. */
function mixedRows(count = 300, tag = 'New'): BulkRow[] {
  return Array.from({ length: count }, (_, i) => row(i + 1, mixedTarget(i), { first_name: `${tag} ${i}` }));
}

/** A clock the test moves by hand (the run's pacer never waits at the test rate, so no timer is due). */
function handClock(): Clock & { at: number } {
  const clock = {
    at: 0,
    now: () => clock.at,
    epochMs: () => 1_800_000_000_000 + clock.at,
    timer(ms: number, fn: () => void) {
      const handle = setTimeout(fn, ms);
      return () => clearTimeout(handle);
    },
  };
  return clock;
}

/** The lookups the fake saw: the filter kind and how many values each carried. */
function lookups(fake: FakeClerk): Array<{ filter: string; values: number }> {
  return fake.requests
    .filter((r) => r.method === 'GET' && r.path === '/v1/users')
    .map((r) => {
      const params = new URLSearchParams(r.query);
      const filter = ['user_id', 'external_id', 'email_address'].find((k) => params.has(k)) ?? '';
      return { filter, values: params.getAll(filter).length };
    })
    .sort((a, b) => a.filter.localeCompare(b.filter) || a.values - b.values);
}

describe('lookups of a bulk run (fake Clerk)', () => {
  let fake: FakeClerk;
  before(async () => {
    fake = await startFake({ users: 'none' });
  });
  after(() => fake.stop());
  const reset = (): void => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.clearFaults();
    seedUsers(fake, 300);
  };

  it('a file mixing $user_id, $external_id and $email: one full lookup per kind, none again while the first read is young', async () => {
    reset();
    const ran = await run(fake, mixedRows(), { clock: handClock() });
    assert.equal(
      summaryOf(ran).updated,
      300,
      JSON.stringify(ran.reports.filter((r) => r.status !== 'updated').slice(0, 3)),
    );
    assert.deepEqual(lookups(fake), [
      { filter: 'email_address', values: 100 },
      { filter: 'external_id', values: 100 },
      { filter: 'user_id', values: 100 },
    ]);
    assert.equal(fake.requests.filter((r) => r.method === 'PATCH').length, 300);
  });

  it('kinds that do not fill a request within a window of rows are looked up with the next window: every lookup full', async () => {
    fake.users.clear();
    fake.requests.length = 0;
    seedUsers(fake, 1000);
    // Two rows in five by user id, one by external id, two by email: a window of 600 rows holds 240, 120
    // and 240 of them, which would leave a part-filled request of each kind per window.
    const targets: Array<(i: number) => BulkRow['target']> = [
      (i) => ({ kind: 'user_id', value: `user_b${i}` }),
      (i) => ({ kind: 'external_id', value: `ext-${i}` }),
      (i) => ({ kind: 'email', value: `b${i}@example.com` }),
    ];
    const rows = Array.from({ length: 1000 }, (_, i) =>
      row(i + 1, targets[[0, 0, 1, 2, 2][i % 5]](i), { first_name: `Full ${i}` }),
    );
    // The plan alone: each row compared with its own user, whichever lookup found it.
    const ran = await run(fake, rows, { dryRun: true });
    assert.equal(
      ran.result.message,
      'Dry run, nothing sent: 1,000 to change, 0 unchanged, 0 that cannot be sent.',
    );
    assert.deepEqual(
      ran.plans.map((l) => [l.row, l.user_id, l.action, l.changes[0]?.after]),
      rows.map((_, i) => [i + 1, `user_b${i}`, 'change', `Full ${i}`]),
    );
    assert.deepEqual(
      lookups(fake),
      [
        ...Array(4).fill({ filter: 'email_address', values: 100 }),
        ...Array(2).fill({ filter: 'external_id', values: 100 }),
        ...Array(4).fill({ filter: 'user_id', values: 100 }),
      ],
      'ten lookups where windows filled by themselves take thirteen',
    );
  });

  // A plan is bound by the latency of its lookups (nothing is sent before it is whole): they go out together.
  it(`a plan keeps ${LOOKUPS_IN_FLIGHT} lookups at Clerk at once, after the first has shown that the key works`, async () => {
    fake.users.clear();
    fake.requests.length = 0;
    const count = (LOOKUPS_IN_FLIGHT + 2) * 100;
    seedUsers(fake, count);
    const rows = Array.from({ length: count }, (_, i) =>
      row(i + 1, { kind: 'user_id', value: `user_b${i}` }, { first_name: `Together ${i}` }),
    );
    // Every lookup waits at Clerk until released: the ones after the first can only all arrive if they are
    // out at the same time.
    const holds = Array.from({ length: LOOKUPS_IN_FLIGHT + 1 }, () =>
      fake.hold({ method: 'GET', path: '/v1/users' }),
    );
    const running = run(fake, rows, { dryRun: true });
    // Held lookups time out at the client: a plan that never has them all out ends first.
    const ended = running.then(() =>
      assert.fail(`the plan ended without ${LOOKUPS_IN_FLIGHT} lookups out at once`),
    );
    await Promise.race([holds[0].arrived, ended]);
    assert.equal(fake.requests.length, 1, 'the first lookup goes alone');
    holds[0].release();
    await Promise.race([Promise.all(holds.slice(1).map((h) => h.arrived)), ended]);
    assert.equal(
      fake.requests.filter((r) => r.method === 'GET' && r.status === undefined).length,
      LOOKUPS_IN_FLIGHT,
      'all unanswered at once',
    );
    for (const h of holds) h.release();
    const ran = await running;
    assert.equal(
      ran.result.message,
      `Dry run, nothing sent: ${count.toLocaleString('en-US')} to change, 0 unchanged, 0 that cannot be sent.`,
    );
    assert.deepEqual(lookups(fake), Array(count / 100).fill({ filter: 'user_id', values: 100 }));
  });

  it('once the first read is older than a window, the rows are read again by the user ids it found, 100 a request', async () => {
    reset();
    const clock = handClock();
    const ran = await run(fake, mixedRows(), { clock }, { planned: () => void (clock.at += 60_000) });
    assert.equal(summaryOf(ran).updated, 300);
    assert.deepEqual(lookups(fake), [
      { filter: 'email_address', values: 100 },
      { filter: 'external_id', values: 100 },
      { filter: 'user_id', values: 100 },
      { filter: 'user_id', values: 100 },
      { filter: 'user_id', values: 100 },
      { filter: 'user_id', values: 100 },
    ]);
    for (let i = 0; i < 300; i++) assert.equal(fake.users.get(`user_b${i}`)?.first_name, `New ${i}`);
  });

  it('a user that lost the email that named it between the two reads is not written', async () => {
    reset();
    const clock = handClock();
    const rows = [
      row(1, { kind: 'email', value: 'b2@example.com' }, { first_name: 'Moved' }),
      row(2, { kind: 'user_id', value: 'user_b3' }, { first_name: 'Stays' }),
    ];
    const ran = await run(
      fake,
      rows,
      { clock },
      {
        planned: () => {
          clock.at += 60_000;
          const user = fake.users.get('user_b2');
          if (user) user.email_addresses[0].email_address = 'elsewhere@example.com';
        },
      },
    );
    const summary = summaryOf(ran);
    assert.deepEqual([summary.updated, summary.failed], [1, 1]);
    assert.equal(ran.reports.find((r) => r.row === 1)?.code, 'target_changed');
    assert.equal(fake.users.get('user_b2')?.first_name, 'B2');
    assert.equal(fake.users.get('user_b3')?.first_name, 'Stays');
  });

  // A lookup that failed (no answer: a reset connection, a 5xx) says nothing of the user: the row is
  // looked up again just before it is sent, whether the first read is still young or not.
  for (const fault of ['status500', 'reset'] as const)
    for (const young of [true, false])
      it(`a target whose lookup failed while planning (${fault}) is looked up again and sent (first read ${young ? 'young' : 'old'})`, async () => {
        reset();
        const clock = handClock();
        const rows = [
          row(1, { kind: 'email', value: 'b2@example.com' }, { first_name: 'Again' }),
          row(2, { kind: 'user_id', value: 'user_b3' }, { first_name: 'Again too' }),
          row(3, { kind: 'external_id', value: 'ext-4' }, { first_name: 'Third' }),
        ];
        // The plan's three lookups (one per kind) fail; the send's are answered.
        fake.setFault({ kind: fault, method: 'GET', path: '/v1/users', times: 3 });
        let failing = 0;
        const ran = await run(
          fake,
          rows,
          { clock },
          {
            planned: (plan) => {
              failing = plan.failing;
              clock.at += young ? 0 : 60_000;
            },
          },
        );
        assert.equal(failing, 3, 'the plan could not look the targets up');
        const summary = summaryOf(ran);
        assert.deepEqual(
          [summary.updated, summary.failed],
          [3, 0],
          JSON.stringify(ran.reports.filter((r) => r.status !== 'updated')),
        );
        assert.equal(fake.users.get('user_b2')?.first_name, 'Again');
        assert.equal(fake.users.get('user_b3')?.first_name, 'Again too');
        assert.equal(fake.users.get('user_b4')?.first_name, 'Third');
      });

  // Clerk's answer while planning that no user has a target holds no longer than the plan: a user may be
  // created before the row is sent. The row is looked up again with its batch's other lookups, and fails as
  // not found only if Clerk still has no user for it.
  for (const young of [true, false])
    it(`a target the plan found no user for is looked up again: a user created since is updated once, one still missing fails as not found (first read ${young ? 'young' : 'old'})`, async () => {
      reset();
      const clock = handClock();
      const rows = [
        row(1, { kind: 'email', value: 'late@example.com' }, { first_name: 'Late' }),
        row(2, { kind: 'email', value: 'nobody@example.com' }, { first_name: 'X' }),
        row(3, { kind: 'user_id', value: 'user_b3' }, { first_name: 'Y' }),
      ];
      let failing = 0;
      let holding!: (hold: FakeHold) => void;
      const held = new Promise<FakeHold>((resolve) => (holding = resolve));
      const running = run(
        fake,
        rows,
        { clock },
        {
          planned: (plan) => {
            failing = plan.failing;
            clock.at += young ? 0 : 60_000;
            // The send's first lookup waits at Clerk while the user is created.
            holding(fake.hold({ method: 'GET', path: '/v1/users' }));
          },
        },
      );
      const ended = running.then(() => assert.fail('the run ended without looking a target up again'));
      const hold = await Promise.race([held, ended]);
      await Promise.race([hold.arrived, ended]);
      fake.addUser({ id: 'user_late', emails: ['late@example.com'], first_name: 'Before' });
      hold.release();
      const ran = await running;

      assert.equal(failing, 2, 'the plan found no user for rows 1 and 2');
      const summary = summaryOf(ran);
      assert.deepEqual([summary.updated, summary.failed], [2, 1], JSON.stringify(ran.reports));
      assert.equal(ran.reports.find((r) => r.row === 1)?.status, 'updated');
      assert.equal(fake.users.get('user_late')?.first_name, 'Late');
      assert.equal(fake.requestsTo('PATCH', '/v1/users/user_late').length, 1, 'updated once');
      const missing = ran.reports.find((r) => r.row === 2);
      assert.deepEqual(
        [missing?.status, missing?.code, missing?.message],
        ['failed', 'target_not_found', "No user has the email address 'nobody@example.com'."],
      );
      assert.equal(fake.users.get('user_b3')?.first_name, 'Y');
      // The two missing emails go again in one request; user_b3 is read again by id once the first read
      // is old.
      assert.deepEqual(lookups(fake), [
        { filter: 'email_address', values: 2 },
        { filter: 'email_address', values: 2 },
        { filter: 'user_id', values: 1 },
        ...(young ? [] : [{ filter: 'user_id', values: 1 }]),
      ]);
    });

  it('300 targets that stay missing: looked up again in grouped requests, each row fails as not found', async () => {
    reset();
    const gone = { user: 'user_gone', external: 'gone-', email: 'gone' };
    const rows = Array.from({ length: 300 }, (_, i) =>
      row(i + 1, mixedTarget(i, gone), { first_name: `Gone ${i}` }),
    );
    const ran = await run(fake, rows, { clock: handClock() });
    const summary = summaryOf(ran);
    assert.deepEqual([summary.updated, summary.failed], [0, 300]);
    assert.deepEqual(
      summary.failuresByCode.map((f) => [f.code, f.count]),
      [['target_not_found', 300]],
    );
    assert.equal(
      ran.reports.find((r) => r.row === 3)?.message,
      "No user has the email address 'gone2@example.com'.",
    );
    // The plan's three lookups (100 values each), then each batch of 100 rows again, one request per kind.
    assert.deepEqual(lookups(fake), [
      { filter: 'email_address', values: 33 },
      { filter: 'email_address', values: 33 },
      { filter: 'email_address', values: 34 },
      { filter: 'email_address', values: 100 },
      { filter: 'external_id', values: 33 },
      { filter: 'external_id', values: 33 },
      { filter: 'external_id', values: 34 },
      { filter: 'external_id', values: 100 },
      { filter: 'user_id', values: 33 },
      { filter: 'user_id', values: 33 },
      { filter: 'user_id', values: 34 },
      { filter: 'user_id', values: 100 },
    ]);
    assert.equal(fake.requests.filter((r) => r.method === 'PATCH').length, 0);
  });

  it('a row on a user that a row of the previous window wrote is planned against both (dry run)', async () => {
    reset();
    // Rows 1-600 fill the first window; row 600 writes user_b0's first name, row 601 (the next window) sets
    // its external id to what it is already and the same first name: nothing left to change.
    const rows = Array.from({ length: 650 }, (_, i) =>
      row(i + 1, { kind: 'user_id', value: `user_b${i + 1}` }, { first_name: `New ${i}` }),
    );
    rows[599] = row(600, { kind: 'user_id', value: 'user_b0' }, { first_name: 'Moved' });
    rows[600] = row(
      601,
      { kind: 'user_id', value: 'user_b0' },
      { external_id: 'ext-0', first_name: 'Moved' },
    );
    const ran = await run(fake, rows, { dryRun: true });
    const planOf = (n: number) => ran.plans.find((l) => l.row === n);
    assert.deepEqual(planOf(600)?.fields, ['first_name']);
    assert.equal(planOf(601)?.action, 'unchanged', JSON.stringify(planOf(601)));
  });

  it('a resume looks up only the rows that are not done', async () => {
    reset();
    const journal = new MemoryJournal();
    const rows = mixedRows();
    const first = await run(fake, rows, { journal, onlyRows: new Set(rows.slice(0, 200).map((r) => r.row)) });
    assert.equal(summaryOf(first).updated, 200);
    fake.requests.length = 0;
    const again = await run(fake, rows, { journal });
    assert.equal(summaryOf(again).updated, 300, 'the journal counts the rows of both processes');
    const looked = lookups(fake).reduce((n, l) => n + l.values, 0);
    assert.equal(
      looked,
      100,
      `the 100 rows not done, once (the second read reuses the first): ${JSON.stringify(lookups(fake))}`,
    );
    assert.equal(fake.requests.filter((r) => r.method === 'PATCH').length, 100);
  });

  it('sent marks carry the time their requests left, from the clock', async () => {
    reset();
    const clock = handClock();
    const journal = new MemoryJournal();
    await run(fake, mixedRows(3), { clock, journal });
    const sent = journal
      .lines()
      .map((l) => JSON.parse(l) as SentMark)
      .filter((m) => m.state === 'sent');
    assert.equal(sent.length, 3);
    for (const m of sent) assert.equal(m.at, 1_800_000_000_000);
  });
});

/** A pacer at 100 per 10 s on `clock`, and the times it grants requests at. */
function recordingPacer(clock: FakeClock): { pacer: Pacer; grants: number[] } {
  const grants: number[] = [];
  const pacer = new Pacer({
    rate: { limit: 100, windowMs: 10_000 },
    perUser: false,
    clock,
    observe: (e) => void (e.type === 'grant' && grants.push(e.at)),
  });
  return { pacer, grants };
}

describe("the pacer's window rebuilt from the journal (fake clock)", () => {
  const HEADER = JSON.stringify({
    journal: 'clerk-user-update/journal',
    version: 1,
    kind: 'run',
    input: 'x',
    input_sha256: 'h',
    api_url: 'u',
    instance: 'i',
    production: false,
    api_version: '2026-05-12',
    started_at: 'now',
  });
  const sent = (n: number, at: number, fields = ['first_name']): SentMark => ({
    row: n,
    state: 'sent',
    target: `$user_id:user_${n}`,
    user_id: `user_${n}`,
    fields,
    before: {},
    before_updated_at: 1,
    at,
  });

  it('loading a journal gives the times of its sent marks (two for a row that also writes metadata)', async () => {
    const lines = [
      HEADER,
      encodeMark(sent(1, 1000)),
      encodeMark(sent(2, 2000, ['first_name', 'public_metadata'])),
      '{"row":1,"state":"done","target":"$user_id:user_1","user_id":"user_1","http_status":200,"code":null,"message":null,"trace_id":null}',
    ];
    assert.match(lines[1], /^\{"row":1,"state":"sent","at":1000,/);
    const loaded = await loadJournal(new MemoryJournal(undefined, lines.join('\n') + '\n'));
    assert.equal(loaded.status, 'ok');
    if (loaded.status === 'ok') assert.deepEqual(loaded.index.requestTimes(), [1000, 2000, 2000]);
  });

  it('requests of the last process count: the next waits for the window, no longer', async () => {
    const clock = new FakeClock();
    await clock.advance(50_000);
    const { pacer, grants } = recordingPacer(clock);
    // 100 requests of the killed process over its last 5 s: the window is full until the first is 10.1 s old.
    pacer.replay(Array.from({ length: 100 }, (_, i) => 45_000 + i * 50));
    const pass = pacer.enter({ method: 'GET', path: '/v1/users' });
    await settle();
    assert.deepEqual(grants, [], 'not at once: the window is full');
    await clock.advance((clock.next() ?? 0) - clock.now());
    assert.ok(await pass);
    assert.deepEqual(grants, [45_000 + 10_100]);

    // With room in the window (40 of 100 in the last 10 s), a resumed pacer starts at once.
    const { pacer: fresh, grants: later } = recordingPacer(clock);
    fresh.replay(Array.from({ length: 40 }, (_, i) => clock.now() - 4000 + i * 100));
    assert.ok(await fresh.enter({ method: 'GET', path: '/v1/users' }));
    assert.deepEqual(later, [clock.now()]);
  });
});
