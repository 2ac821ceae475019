// Resuming a bulk run in process, with the journal cut at every line (as a killed process leaves
// it), and cancelling one. Real kills (SIGKILL) of a process mid-run, resumed from its journal
// file, are cli-crash.test.ts's: it kills `node dist/cli.js send` 13 times.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryJournal, appliedWrites, row } from '../../support/bulk';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import { SECRET_FIELD_VALUES } from '../../support/secrets';
import { run, seedUsers, summaryOf } from './runHelpers';

const PASSWORD = SECRET_FIELD_VALUES.password;

/** Rows of every shape, each on its own user, with what the fake must have applied once. */
const ROWS = [
  row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'Once' }),
  row(2, { kind: 'email', value: 'b1@example.com' }, { public_metadata: { plan: 'pro' } }),
  row(3, { kind: 'external_id', value: 'ext-2' }, { last_name: 'Once', private_metadata: { tier: 2 } }),
  row(4, { kind: 'user_id', value: 'user_b3' }, { password: PASSWORD, skip_password_checks: true }),
  row(5, { kind: 'user_id', value: 'user_b4' }, { first_name: 'B4' }),
  row(6, { kind: 'email', value: 'nobody@example.com' }, { first_name: 'Nope' }),
  row(
    7,
    { kind: 'user_id', value: 'user_b6' },
    { first_name: 'Once', password: PASSWORD, skip_password_checks: true, unsafe_metadata: { a: 1 } },
  ),
  row(8, { kind: 'user_id', value: 'user_b7' }, { username: 'once_more' }),
];
const EXPECTED = {
  user_b0: ['PATCH user'],
  user_b1: ['PATCH metadata'],
  user_b2: ['PATCH user', 'PATCH metadata'],
  user_b3: ['PATCH user'],
  user_b6: ['PATCH user', 'PATCH metadata'],
  user_b7: ['PATCH user'],
};

/** Checks that the fake ended with every row applied once and the values the rows ask for. */
function assertAppliedOnce(fake: FakeClerk, label: string): void {
  assert.deepEqual(
    Object.fromEntries(appliedWrites(fake)),
    EXPECTED,
    `${label}: each row's requests applied exactly once`,
  );
  const u = (id: string) => fake.users.get(id);
  assert.equal(u('user_b0')?.first_name, 'Once', label);
  assert.deepEqual(u('user_b1')?.public_metadata, { plan: 'pro' }, label);
  assert.deepEqual([u('user_b2')?.last_name, u('user_b2')?.private_metadata], ['Once', { tier: 2 }], label);
  assert.equal(u('user_b3')?.password_enabled, true, label);
  assert.deepEqual([u('user_b6')?.first_name, u('user_b6')?.unsafe_metadata], ['Once', { a: 1 }], label);
  assert.equal(u('user_b7')?.username, 'once_more', label);
}

describe('resume after a kill at any point (fake Clerk)', () => {
  let fake: FakeClerk;
  before(async () => {
    fake = await startFake({ users: 'none' });
  });
  after(() => fake.stop());
  const reset = (): void => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.clearFaults();
    fake.resetRateLimits();
    seedUsers(fake, 8);
  };

  it('every row ends applied exactly once, whatever line the journal was cut at (torn or not)', async () => {
    reset();
    const whole = await run(fake, ROWS);
    assert.equal(whole.result.status, 'finished');
    assertAppliedOnce(fake, 'uninterrupted');
    const total = whole.journal.lines().length;
    assert.ok(total >= 14, `${total} lines`);

    for (let kept = 0; kept <= total; kept++) {
      for (const torn of [false, true]) {
        reset();
        // The first process dies once `kept` lines are on disk: the rest of the group being
        // written is lost (its requests never leave); requests already in flight still land.
        const dying = new MemoryJournal().crashAfter(kept);
        const first = await run(fake, ROWS, { journal: dying });
        assert.equal(
          first.result.status,
          kept >= total ? 'finished' : 'stopped',
          `cut at ${kept}: ${first.result.message}`,
        );
        let text = dying.text;
        if (torn && kept < total) text += whole.journal.lines()[kept].slice(0, 25);
        const resumed = await run(fake, ROWS, { journal: new MemoryJournal(undefined, text) });
        const label = `cut after line ${kept}${torn ? ' + a torn line' : ''}`;
        assert.equal(resumed.result.status, 'finished', `${label}: ${resumed.result.message}`);
        assertAppliedOnce(fake, label);
        const s = summaryOf(resumed);
        assert.deepEqual([s.updated, s.unchanged, s.failed], [6, 1, 1], label);
        assert.ok(
          !resumed.journal.text.includes('\n\n') && resumed.journal.text.endsWith('\n'),
          `${label}: the torn line was cut off before appending`,
        );
      }
    }
  });

  it('a row sent without an answer is checked at Clerk: applied → done without a second PATCH; not applied → sent again', async () => {
    reset();
    // The first process sends rows 1 and 4 and dies before their answers are journaled.
    const dying = new MemoryJournal();
    const first = await run(
      fake,
      ROWS.filter((r) => r.row === 1 || r.row === 4),
      { journal: dying },
    );
    assert.equal(first.result.status, 'finished');
    const header = dying.lines()[0];
    const sentLines = dying.lines().filter((l) => l.includes('"state":"sent"'));
    const cut = new MemoryJournal(undefined, `${[header, ...sentLines].join('\n')}\n`);
    fake.requests.length = 0;
    const resumed = await run(
      fake,
      ROWS.filter((r) => r.row === 1 || r.row === 4),
      { journal: cut },
    );
    assert.equal(resumed.result.status, 'finished');
    assert.deepEqual(
      fake.requests.filter((r) => r.method !== 'GET'),
      [],
      'both were applied: nothing is sent again',
    );
    assert.deepEqual(
      resumed.reports.map((l) => [l.row, l.status, l.message]),
      [
        [1, 'updated', 'Found applied at Clerk after an unanswered send; not sent again.'],
        [4, 'updated', 'Found applied at Clerk after an unanswered send; not sent again.'],
      ],
    );

    // A password row whose request never left: updated_at has not moved, so it is sent again.
    reset();
    const before = fake.users.get('user_b3');
    assert.ok(before);
    const never = new MemoryJournal(
      undefined,
      `${header}\n${JSON.stringify({ row: 4, state: 'sent', target: '$user_id:user_b3', user_id: 'user_b3', fields: ['password', 'skip_password_checks'], before: {}, secret_fields: ['password'], before_updated_at: before.updated_at })}\n`,
    );
    const again = await run(
      fake,
      ROWS.filter((r) => r.row === 4),
      { journal: never },
    );
    assert.equal(again.result.status, 'finished');
    assert.equal(fake.requestsTo('PATCH', '/v1/users/user_b3').length, 1);
  });

  it('refuses a journal of another input unless restarting, and keeps the old journal aside', async () => {
    reset();
    const first = await run(fake, ROWS.slice(0, 2));
    const journal = first.journal;
    const old = journal.text;
    const refused = await run(fake, ROWS.slice(0, 3), { journal, inputHash: 'hash-changed' });
    assert.equal(refused.result.status, 'refused');
    assert.equal(
      refused.result.message,
      `${journal.name} belongs to users.userupdates.jsonl as it was when the run began (${JSON.parse(old.split('\n')[0]).started_at}); the file has changed since. Resuming would apply a different file: start again with --restart (the old journal is kept aside).`,
    );
    assert.equal(journal.text, old, 'left as it was');
    const restarted = await run(fake, ROWS.slice(0, 3), {
      journal,
      inputHash: 'hash-changed',
      restart: true,
    });
    assert.equal(restarted.result.status, 'finished');
    assert.deepEqual(journal.moved, [old], 'the old journal was moved aside, not lost');
    assert.equal(JSON.parse(journal.lines()[0]).input_sha256, 'hash-changed');

    const damaged = new MemoryJournal(undefined, `${old.split('\n')[0]}\nnot json\n${old.split('\n')[1]}\n`);
    const corrupt = await run(fake, ROWS.slice(0, 2), { journal: damaged });
    assert.equal(corrupt.result.status, 'refused');
    assert.match(corrupt.result.message, /is damaged: line 2 cannot be read, yet lines after it can/);

    const elsewhere = await run(fake, ROWS.slice(0, 2), {
      journal: new MemoryJournal(undefined, old),
      live: true,
    });
    assert.equal(elsewhere.result.status, 'refused');
    assert.match(
      elsewhere.result.message,
      /was begun against http:\/\/127\.0\.0\.1:\d+ with a development \(sk_test_\) key; this run goes to .* with a production key/,
    );
  });
});

describe('cancel (fake Clerk)', () => {
  let fake: FakeClerk;
  before(async () => {
    fake = await startFake({ users: 'none' });
    seedUsers(fake, 30);
  });
  after(() => fake.stop());

  it('stops taking new rows, lets the ones in flight finish and be journaled, and says how to resume', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      row(i + 1, { kind: 'user_id', value: `user_b${i}` }, { first_name: `C${i}` }),
    );
    const hold = fake.hold({ method: 'PATCH', path: '/v1/users/user_b7' });
    const controller = new AbortController();
    const journal = new MemoryJournal();
    const running = run(fake, rows, { journal, signal: controller.signal, maxConcurrency: 2, batchSize: 5 });
    await hold.arrived;
    controller.abort();
    hold.release();
    const ran = await running;
    assert.equal(ran.result.status, 'cancelled');
    assert.match(
      ran.result.message,
      /^Cancelled: rows in flight were finished and journaled\. Updated \d+, unchanged 0, failed 0, skipped \d+ of 30 rows; .* Run the same command again to resume from users\.userupdates\.jsonl\.journal\.jsonl\.$/,
    );
    const s = summaryOf(ran);
    assert.equal(s.cancelled, true);
    assert.ok(s.skipped > 0 && s.updated >= 1, `${s.updated} updated, ${s.skipped} skipped`);
    assert.equal(
      ran.reports.find((l) => l.row === 8)?.status,
      'updated',
      'the row in flight finished and was journaled',
    );
    assert.equal(fake.users.get('user_b7')?.first_name, 'C7');
    const sentBefore = fake.requests.filter((r) => r.method === 'PATCH').length;
    assert.ok(sentBefore < 30);

    const resumed = await run(fake, rows, { journal });
    assert.equal(resumed.result.status, 'finished');
    assert.deepEqual(summaryOf(resumed).updated, 30);
    for (let i = 0; i < 30; i++)
      assert.equal(fake.requestsTo('PATCH', `/v1/users/user_b${i}`).length, 1, `user_b${i} updated once`);
  });

  it('cancelled before sending: nothing sent, no journal', async () => {
    const controller = new AbortController();
    controller.abort();
    const rows = [row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'Z' })];
    const ran = await run(fake, rows, { signal: controller.signal });
    assert.equal(ran.result.status, 'cancelled');
    assert.equal(ran.result.message, 'Cancelled before anything was sent.');
    assert.equal(ran.journal.text, '');
  });
});
