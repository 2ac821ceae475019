import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClerkClient } from '../../../src/core/clerk/client';
import type { ProductionConfirmation } from '../../../src/core/send/production';
import { MemoryJournal, appliedWrites, row } from '../../support/bulk';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { SECRET_FIELD_VALUES, secretsIn } from '../../support/secrets';
import { run, seedUsers, summaryOf, undo } from './runHelpers';

const ROWS = [
  row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'Changed' }),
  row(2, { kind: 'email', value: 'b1@example.com' }, { public_metadata: { plan: 'pro' } }),
  row(3, { kind: 'external_id', value: 'ext-2' }, { last_name: 'Changed', private_metadata: { tier: 2 } }),
  row(
    4,
    { kind: 'user_id', value: 'user_b3' },
    { password: SECRET_FIELD_VALUES.password, skip_password_checks: true },
  ),
  row(5, { kind: 'user_id', value: 'user_b4' }, { first_name: 'B4' }),
  row(
    6,
    { kind: 'user_id', value: 'user_b5' },
    { locale: 'fr-FR', legal_accepted_at: '2026-01-02T03:04:05.000+01:00' },
  ),
];

describe('undo a run (fake Clerk)', () => {
  let fake: FakeClerk;
  let outsider: ClerkClient;
  before(async () => {
    fake = await startFake({ users: 'none' });
    outsider = new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: '2026-05-12',
      userAgent: 'someone-else',
    });
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.resetRateLimits();
    seedUsers(fake, 8, (i) => (i === 1 ? { public_metadata: { plan: 'free' } } : {}));
  });

  it("restores the before-values of the run's done rows; write-only fields are reported as not restorable", async () => {
    const before = structuredClone(Object.fromEntries(fake.users));
    const ran = await run(fake, ROWS);
    assert.equal(summaryOf(ran).updated, 5);
    fake.requests.length = 0;
    const undone = await undo(fake, ran.journal);
    assert.equal(undone.result.status, 'finished', undone.result.message);
    const s = summaryOf(undone);
    assert.deepEqual([s.total, s.updated, s.skipped, s.failed], [5, 4, 1, 0]);
    assert.match(undone.result.message, /^Restored 4, unchanged 0, failed 0, skipped 1 of 5 rows/);
    for (const id of ['user_b0', 'user_b1', 'user_b2', 'user_b5']) {
      const now = fake.users.get(id);
      const was = before[id];
      for (const f of [
        'first_name',
        'last_name',
        'locale',
        'public_metadata',
        'private_metadata',
        'legal_accepted_at',
      ] as const)
        assert.deepEqual(now?.[f], was[f], `${id}.${f}`);
    }
    assert.deepEqual(
      fake.requests
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path} ${r.body.replace(/\s+/g, '')}`)
        .sort(),
      [
        'PATCH /v1/users/user_b0 {"first_name":"B0"}',
        // The undo of a merge restores only the keys it touched: plan back to free, tier deleted (it was
        // absent).
        'PATCH /v1/users/user_b1/metadata {"public_metadata":{"plan":"free"}}',
        'PATCH /v1/users/user_b2 {"last_name":"Before"}',
        'PATCH /v1/users/user_b2/metadata {"private_metadata":{"tier":null}}',
        'PATCH /v1/users/user_b5 {"locale":null,"legal_accepted_at":null}',
      ],
    );
    const skipped = undone.reports.find((l) => l.row === 4);
    assert.deepEqual([skipped?.status, skipped?.code], ['skipped', 'not_restorable']);
    assert.deepEqual(secretsIn(undone.journal.text + JSON.stringify(undone.reports)), []);
  });

  it('skips and reports a user whose updated_at moved since the run', async () => {
    const ran = await run(fake, ROWS.slice(0, 3));
    const moved = await outsider.updateUser('user_b0', '{"last_name":"Someone else"}');
    assert.ok(moved.ok);
    const undone = await undo(fake, ran.journal);
    const s = summaryOf(undone);
    assert.deepEqual([s.updated, s.skipped], [2, 1]);
    const line = undone.reports.find((l) => l.row === 1);
    assert.equal(line?.status, 'skipped');
    assert.equal(line?.code, 'user_changed');
    assert.match(
      line?.message ?? '',
      /^Not restored: user_b0 changed after the run \(updated_at moved from .*\); restoring would overwrite that change\.$/,
    );
    assert.deepEqual(
      [fake.users.get('user_b0')?.first_name, fake.users.get('user_b0')?.last_name],
      ['Changed', 'Someone else'],
      'the other change is kept',
    );
  });

  it('undoes several rows on one user last write first, back to the values before the run', async () => {
    const rows = [
      row(1, { kind: 'user_id', value: 'user_b0' }, { first_name: 'First' }),
      row(2, { kind: 'user_id', value: 'user_b1' }, { first_name: 'Other' }),
      row(3, { kind: 'email', value: 'b0@example.com' }, { first_name: 'Second', last_name: 'Second' }),
      ...Array.from({ length: 6 }, (_, i) =>
        row(10 + i, { kind: 'user_id', value: `user_b${2 + i}` }, { first_name: `N${i}` }),
      ),
      row(20, { kind: 'external_id', value: 'ext-0' }, { last_name: 'Third' }),
    ];
    // Batches of 2: the rows on user_b0 are looked up and undone in different batches.
    const ran = await run(fake, rows, { batchSize: 2 });
    assert.equal(summaryOf(ran).failed, 0, ran.result.message);
    assert.deepEqual(
      [fake.users.get('user_b0')?.first_name, fake.users.get('user_b0')?.last_name],
      ['Second', 'Third'],
    );
    const undone = await undo(fake, ran.journal, { batchSize: 2 });
    const s = summaryOf(undone);
    assert.deepEqual([s.updated, s.skipped, s.failed], [10, 0, 0], undone.result.message);
    assert.deepEqual(
      [fake.users.get('user_b0')?.first_name, fake.users.get('user_b0')?.last_name],
      ['B0', 'Before'],
    );
    for (let i = 1; i < 8; i++) assert.equal(fake.users.get(`user_b${i}`)?.first_name, `B${i}`);
  });

  it('is journaled and resumable: killed at any line, every row is restored once', async () => {
    const ran = await run(fake, ROWS);
    const base = structuredClone(Object.fromEntries(fake.users));
    const baseRequests = fake.requests.length;
    const whole = await undo(fake, ran.journal);
    const total = whole.journal.lines().length;
    const restoredOnce = Object.fromEntries([
      ...appliedWrites({ ...fake, requests: fake.requests.slice(baseRequests) } as FakeClerk),
    ]);
    for (let kept = 0; kept <= total; kept++) {
      fake.users.clear();
      for (const [id, u] of Object.entries(structuredClone(base))) fake.users.set(id, u);
      fake.resetRateLimits();
      const mark = fake.requests.length;
      const dying = new MemoryJournal('undo.journal.jsonl').crashAfter(kept);
      await undo(fake, ran.journal, { journal: dying });
      const resumed = await undo(fake, ran.journal, {
        journal: new MemoryJournal('undo.journal.jsonl', dying.text),
      });
      assert.equal(resumed.result.status, 'finished', `cut at ${kept}: ${resumed.result.message}`);
      const writes = Object.fromEntries([
        ...appliedWrites({ ...fake, requests: fake.requests.slice(mark) } as FakeClerk),
      ]);
      assert.deepEqual(writes, restoredOnce, `cut at ${kept}: each restore applied once`);
      assert.deepEqual([summaryOf(resumed).updated, summaryOf(resumed).skipped], [4, 1], `cut at ${kept}`);
    }
  });

  it('refuses the undo journal of another run; production asks once', async () => {
    const ran = await run(fake, ROWS.slice(0, 2), { live: true });
    const first = await undo(fake, ran.journal, { live: true, answer: () => false });
    assert.equal(first.result.status, 'declined');
    assert.equal(first.questions.length, 1);
    const c = (first.questions[0] as { confirmation: ProductionConfirmation }).confirmation;
    assert.deepEqual([c.action, c.count, c.fields], ['undo', 2, ['first_name', 'public_metadata.plan']]);
    assert.deepEqual(
      fake.requests.filter(
        (r) => r.method !== 'GET' && r.headers['user-agent'] === 'clerk-user-update-tests/0.0.0',
      ).length,
      2,
      'only the run wrote',
    );
    const journal = new MemoryJournal('undo.journal.jsonl');
    await undo(fake, ran.journal, { live: true, journal });
    const other = await undo(fake, ran.journal, { live: true, journal, runJournalHash: 'another-run' });
    assert.equal(other.result.status, 'refused');
    assert.match(other.result.message, /the file has changed since/);
  });
});
