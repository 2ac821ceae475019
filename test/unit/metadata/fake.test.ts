import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClerkClient } from '../../../src/core/clerk/client';
import { checkBulkText } from '../../../src/core/bulk/format/checkFile';
import { row } from '../../support/bulk';
import { FAKE_TEST_KEY, type FakeClerk, callFake, startFake } from '../../support/fake-clerk';
import { run, seedUsers, summaryOf, undo } from '../bulk/runHelpers';
import { summary, onLine } from '../bulk/helpers';

const OPTIONS = { defaultApiVersion: '2026-05-12' } as const;

describe('metadata merges against the fake Clerk', () => {
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
    seedUsers(fake, 4, () => ({
      public_metadata: { role: 'member', plan: 'pro', team: { name: 'A', tags: ['x', 'y'] } },
      private_metadata: { stripe: 'cus_1' },
    }));
  });

  it('PATCH /v1/users/{id}/metadata deep merges: nested objects merge, null deletes at any level, arrays are replaced', async () => {
    const body = JSON.stringify({
      public_metadata: { plan: null, team: { tags: ['z'], size: 3 }, extra: { a: null, b: 1 } },
      unsafe_metadata: { theme: 'dark' },
    });
    const answer = await callFake(fake, 'PATCH', '/v1/users/user_b0/metadata', { body });
    assert.equal(answer.status, 200);
    const user = fake.users.get('user_b0');
    assert.deepEqual(user?.public_metadata, {
      role: 'member',
      team: { name: 'A', tags: ['z'], size: 3 },
      extra: { b: 1 },
    });
    assert.deepEqual(
      user?.private_metadata,
      { stripe: 'cus_1' },
      'a field the body does not give is untouched',
    );
    assert.deepEqual(user?.unsafe_metadata, { theme: 'dark' });
    // PUT replaces the field whole.
    await callFake(fake, 'PUT', '/v1/users/user_b0/metadata', {
      body: JSON.stringify({ public_metadata: { only: 1 } }),
    });
    assert.deepEqual(fake.users.get('user_b0')?.public_metadata, { only: 1 });
  });

  it('a JSONL row and a CSV dotted column each merge by default: other keys survive; unchanged rows are skipped', async () => {
    const csv =
      '$user_id,public_metadata.role,public_metadata.team.size,private_metadata.vip\nuser_b2,admin,4,true\nuser_b3,member,,\n';
    const checked = checkBulkText(csv, 'csv', OPTIONS);
    assert.equal(checked.hasErrors, false, JSON.stringify(checked.diagnostics));
    assert.equal(
      checked.rows[0].text,
      '{"$user_id":"user_b2","public_metadata":{"role":"admin","team":{"size":4}},"private_metadata":{"vip":true}}',
    );
    const rows = [
      row(1, { kind: 'user_id', value: 'user_b1' }, { public_metadata: { role: 'admin' } }),
      ...checked.rows.map((r, i) => ({ ...r, row: i + 2 })),
    ];
    const ran = await run(fake, rows);
    const s = summaryOf(ran);
    assert.deepEqual([s.updated, s.unchanged, s.failed], [2, 1, 0], 'user_b3 already is a member: skipped');
    assert.deepEqual(fake.users.get('user_b1')?.public_metadata, {
      role: 'admin',
      plan: 'pro',
      team: { name: 'A', tags: ['x', 'y'] },
    });
    assert.deepEqual(fake.users.get('user_b2')?.public_metadata, {
      role: 'admin',
      plan: 'pro',
      team: { name: 'A', tags: ['x', 'y'], size: 4 },
    });
    assert.deepEqual(fake.users.get('user_b2')?.private_metadata, { stripe: 'cus_1', vip: true });
    assert.deepEqual(
      fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`),
      ['PATCH /v1/users/user_b1/metadata', 'PATCH /v1/users/user_b2/metadata'],
    );
    // The journal keeps the before-values per key path (null: absent), and what the merge writes.
    const sent = ran.journal
      .lines()
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.state === 'sent' && l.row === 2);
    assert.deepEqual(sent?.before, {
      'public_metadata.role': 'member',
      'public_metadata.team.size': null,
      'private_metadata.vip': null,
    });
    assert.deepEqual(sent?.after, {
      'public_metadata.role': 'admin',
      'public_metadata.team.size': 4,
      'private_metadata.vip': true,
    });
  });

  it('the undo of a merge run restores only its keys, and leaves alone a key someone else changed since', async () => {
    const rows = [
      row(1, { kind: 'user_id', value: 'user_b0' }, { public_metadata: { role: 'admin', seats: 5 } }),
      row(2, { kind: 'user_id', value: 'user_b1' }, { public_metadata: { role: 'admin' } }),
    ];
    const ran = await run(fake, rows);
    assert.equal(summaryOf(ran).updated, 2);
    // Since the run: an admin changes another key of user_b0, and the very key the run wrote on user_b1.
    assert.ok(
      (await outsider.patchMetadata('user_b0', JSON.stringify({ public_metadata: { plan: 'enterprise' } })))
        .ok,
    );
    assert.ok(
      (await outsider.patchMetadata('user_b1', JSON.stringify({ public_metadata: { role: 'owner' } }))).ok,
    );
    fake.requests.length = 0;
    const undone = await undo(fake, ran.journal);
    const s = summaryOf(undone);
    assert.deepEqual([s.updated, s.skipped, s.failed], [1, 1, 0]);
    // user_b0: role back, seats deleted (it was absent); the admin's plan is kept.
    assert.deepEqual(fake.users.get('user_b0')?.public_metadata, {
      role: 'member',
      plan: 'enterprise',
      team: { name: 'A', tags: ['x', 'y'] },
    });
    // user_b1: the key someone changed since is left alone, and reported.
    assert.equal(fake.users.get('user_b1')?.public_metadata?.role, 'owner');
    const b1 = undone.reports.find((l) => l.row === 2);
    assert.deepEqual(
      [b1?.status, b1?.code, b1?.message],
      [
        'skipped',
        'key_changed',
        'Not restored: Left alone, changed since the run: public_metadata.role (now "owner").',
      ],
    );
    assert.deepEqual(
      fake.requests
        .filter((r) => r.method !== 'GET')
        .map((r) => `${r.method} ${r.path} ${r.body.replace(/\s+/g, '')}`),
      ['PATCH /v1/users/user_b0/metadata {"public_metadata":{"role":"member","seats":null}}'],
    );
  });
});

describe('CSV dotted columns', () => {
  it('empty cell absent, bare null deletes, JSON literals as themselves, other text as a string', () => {
    const t =
      '$user_id,public_metadata.a,public_metadata.b.c,public_metadata.d,public_metadata.e,public_metadata.f\nuser_1,,null,"[1,2]","""quoted""",plain text\nuser_2,12,"{""x"":1}",false,,\n';
    const r = checkBulkText(t, 'csv', OPTIONS);
    assert.equal(r.hasErrors, false, JSON.stringify(r.diagnostics));
    assert.deepEqual(
      r.rows.map((x) => JSON.parse(x.text)),
      [
        { $user_id: 'user_1', public_metadata: { b: { c: null }, d: [1, 2], e: 'quoted', f: 'plain text' } },
        { $user_id: 'user_2', public_metadata: { a: 12, b: { c: { x: 1 } }, d: false } },
      ],
    );
  });

  it('a dotted column with a whole-field column of the same field is an error on the dotted column', () => {
    const t = '$user_id,public_metadata,public_metadata.role\nuser_1,,admin\n';
    const r = checkBulkText(t, 'csv', OPTIONS);
    assert.ok(r.hasErrors);
    const d = r.diagnostics.filter((x) => x.code === 'metadata-key-column');
    assert.deepEqual(summary(d), [
      { code: 'metadata-key-column', range: onLine(t, 0, 'public_metadata.role') },
    ]);
    assert.equal(
      d[0].message,
      "The column 'public_metadata.role' merges one key of 'public_metadata', and the column 'public_metadata' gives the whole field: use one or the other.",
    );
  });

  it('a dotted column in a row that replaces its metadata is an error on that cell', () => {
    const t = '$user_id,$metadata,public_metadata.role\nuser_1,replace,admin\nuser_2,merge,admin\n';
    const r = checkBulkText(t, 'csv', OPTIONS);
    assert.deepEqual(summary(r.diagnostics.filter((x) => x.code === 'metadata-key-column')), [
      { code: 'metadata-key-column', range: onLine(t, 1, 'admin') },
    ]);
    assert.deepEqual(
      r.rows.map((x) => x.text),
      ['{"$user_id":"user_2","$metadata":"merge","public_metadata":{"role":"admin"}}'],
    );
  });
});
