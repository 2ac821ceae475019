import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveTargets } from '../../../src/core/bulk/run/targets';
import type { RowTarget } from '../../../src/core/bulk/format/types';
import { ClerkClient } from '../../../src/core/clerk/client';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

describe('target lookups in batches (fake Clerk)', () => {
  let fake: FakeClerk;
  let client: ClerkClient;
  before(async () => {
    fake = await startFake({ users: 'none' });
    for (let i = 0; i < 260; i++)
      fake.addUser({
        id: `user_t${i}`,
        external_id: `ext-${i}`,
        emails: [`u${i}@example.com`],
        first_name: `U${i}`,
      });
    fake.addUser({ id: 'user_twin1', emails: ['shared@example.com'] });
    fake.addUser({ id: 'user_twin2', emails: ['other@example.com', 'Shared@Example.com'] });
    client = new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: '2026-05-12',
      userAgent: 'tests',
      timeoutMs: 5000,
    });
  });
  after(() => fake.stop());

  it('asks 100 values per request, one filter kind per request, limit to match', async () => {
    const targets: RowTarget[] = [
      ...Array.from({ length: 150 }, (_, i) => ({ kind: 'user_id' as const, value: `user_t${i}` })),
      ...Array.from({ length: 120 }, (_, i) => ({ kind: 'external_id' as const, value: `ext-${i + 100}` })),
      ...Array.from({ length: 110 }, (_, i) => ({
        kind: 'email' as const,
        value: `u${i + 150}@example.com`,
      })),
      { kind: 'user_id', value: 'user_t0' },
    ];
    fake.requests.length = 0;
    const resolved = await resolveTargets(client, targets);
    assert.equal(resolved.fatal, undefined);
    const lists = fake.requests.filter((r) => r.method === 'GET' && r.path === '/v1/users');
    assert.equal(lists.length, fake.requests.length, 'only list requests');
    const shapes = lists.map((r) => {
      const q = new URLSearchParams(r.query);
      const kinds = ['user_id', 'external_id', 'email_address'].filter((k) => q.has(k));
      assert.equal(kinds.length, 1, `one filter kind per request: ${r.query.slice(0, 80)}`);
      return { kind: kinds[0], values: q.getAll(kinds[0]).length, limit: Number(q.get('limit')) };
    });
    assert.deepEqual(shapes, [
      { kind: 'user_id', values: 100, limit: 100 },
      { kind: 'user_id', values: 50, limit: 50 },
      { kind: 'external_id', values: 100, limit: 200 },
      { kind: 'external_id', values: 20, limit: 40 },
      { kind: 'email_address', values: 100, limit: 200 },
      { kind: 'email_address', values: 10, limit: 20 },
    ]);
    assert.equal(resolved.byTarget.size, 380);
    for (const [target, r] of resolved.byTarget) assert.ok(r.ok, target);
    const u = resolved.byTarget.get('$email:u200@example.com');
    assert.ok(
      u?.ok && u.user.id === 'user_t200' && u.user.first_name === 'U200',
      'the users come back whole',
    );
  });

  it('reports unknown and ambiguous targets; emails match whatever their case', async () => {
    const resolved = await resolveTargets(client, [
      { kind: 'email', value: 'SHARED@example.com' },
      { kind: 'email', value: 'U7@Example.COM' },
      { kind: 'email', value: 'nobody@example.com' },
      { kind: 'external_id', value: 'ext-unknown' },
      { kind: 'user_id', value: 'user_missing' },
    ]);
    const get = (t: string) => resolved.byTarget.get(t);
    const twin = get('$email:SHARED@example.com');
    assert.ok(twin && !twin.ok);
    assert.equal(twin.code, 'target_ambiguous');
    assert.match(
      twin.message,
      /2 users have the email address 'SHARED@example.com' \(user_twin\d, user_twin\d\); name the user with \$user_id instead\./,
    );
    const seven = get('$email:U7@Example.COM');
    assert.ok(seven?.ok && seven.user.id === 'user_t7');
    for (const [t, message] of [
      ['$email:nobody@example.com', "No user has the email address 'nobody@example.com'."],
      ['$external_id:ext-unknown', "No user has the external id 'ext-unknown'."],
      ['$user_id:user_missing', "No user has the id 'user_missing'."],
    ]) {
      const r = get(t);
      assert.ok(r && !r.ok, t);
      assert.deepEqual([r.code, r.message], ['target_not_found', message]);
    }
  });

  it('reads the next page when an email page comes back full', async () => {
    for (let i = 0; i < 3; i++) fake.addUser({ id: `user_crowd${i}`, emails: ['crowd@example.com'] });
    fake.requests.length = 0;
    const resolved = await resolveTargets(client, [{ kind: 'email', value: 'crowd@example.com' }]);
    const r = resolved.byTarget.get('$email:crowd@example.com');
    assert.ok(r && !r.ok && r.code === 'target_ambiguous');
    assert.match(r.message, /^3 users/);
    assert.deepEqual(
      fake.requests.map((q) => new URLSearchParams(q.query).get('offset')),
      [null, '2'],
    );
  });

  it('a refused key fails the lookups and stops', async () => {
    const bad = new ClerkClient({
      apiUrl: fake.url,
      secretKey: 'sk_test_notTheRightKey000000000',
      apiVersion: '2026-05-12',
      userAgent: 'tests',
    });
    const resolved = await resolveTargets(bad, [
      { kind: 'user_id', value: 'user_t1' },
      { kind: 'email', value: 'u1@example.com' },
    ]);
    assert.equal(resolved.fatal?.kind, 'unauthorized');
    const r = resolved.byTarget.get('$user_id:user_t1');
    assert.ok(r && !r.ok && r.code === 'clerk_key_invalid' && r.httpStatus === 401);
    assert.equal(resolved.byTarget.has('$email:u1@example.com'), false, 'no more lookups after a 401');
  });
});
