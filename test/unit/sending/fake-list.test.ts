// GET /v1/users and /v1/users/count on 100,000 generated users: filters, order, cursor paging.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { DEMO_ORGANIZATION_IDS, DEMO_USER_IDS } from '../../../src/fake/seed';
import { type FakeClerk, callFake, startFake } from '../../support/fake-clerk';

const GENERATED = 100_000;

describe('fake Clerk: listing 100,000 users', () => {
  let fake: FakeClerk;
  let all: ClerkUser[];
  const list = async (query: string): Promise<ClerkUser[]> => {
    const r = await callFake(fake, 'GET', `/v1/users?${query}`);
    // The answer is written out only on failure: for 200 pages of 500 users it cost a second of CPU.
    if (r.status !== 200) assert.fail(`GET /v1/users?${query}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json as ClerkUser[];
  };
  const count = async (query: string): Promise<number> =>
    (await callFake(fake, 'GET', `/v1/users/count?${query}`)).json.total_count as number;
  const ids = (users: ClerkUser[]): string[] => users.map((u) => u.id);
  const repeated = (name: string, values: string[]): string =>
    values.map((v) => `${name}=${encodeURIComponent(v)}`).join('&');
  /** Every page of `query`, following `starting_after`. */
  const pages = async (query: string, limit: number): Promise<ClerkUser[]> => {
    const out: ClerkUser[] = [];
    for (;;) {
      const page = await list(
        `${query}&limit=${limit}${out.length ? `&starting_after=${out.at(-1)!.id}` : ''}`,
      );
      out.push(...page);
      if (page.length < limit) return out;
    }
  };

  before(async () => {
    fake = await startFake({ users: { generate: GENERATED, seed: 42, base: 'demo' }, rateLimit: false });
    all = [...fake.users.values()];
  });
  after(() => fake.stop());

  it('pages through every user exactly once with starting_after, newest first, ties on created_at broken by id', async () => {
    const seen = await pages('order_by=-created_at', 500);
    assert.equal(seen.length, GENERATED + 5);
    assert.equal(new Set(ids(seen)).size, seen.length, 'no user twice');
    const ties = seen.filter((u, i) => i > 0 && seen[i - 1].created_at === u.created_at);
    assert.ok(ties.length > 1000, `the generated users have created_at ties (${ties.length})`);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      assert.ok(
        a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id),
        `order at ${i}`,
      );
    }
  });

  it('pages a filtered list the same way, oldest first, and counts it', async () => {
    const [org] = (await (await fetch(`${fake.url}/__fake/organizations`)).json()) as Array<{
      id: string;
      members: number;
    }>;
    const members = await pages(`organization_id=${org.id}&order_by=%2Bcreated_at`, 500);
    assert.equal(members.length, org.members);
    assert.equal(new Set(ids(members)).size, members.length);
    assert.equal(await count(`organization_id=${org.id}`), org.members);
    assert.ok(members.every((u, i) => i === 0 || members[i - 1].created_at <= u.created_at));
    const expected = all.filter((u) => fake.store.memberships.get(u.id)?.includes(org.id)).length;
    assert.equal(members.length, expected);
  });

  it('filters exactly by user_id, external_id and email_address (repeated keys), unknown values ignored', async () => {
    const some = all.filter((u) => u.external_id !== null).slice(1000, 1040);
    const byId = await list(
      `${repeated('user_id', [...ids(some), 'user_unknown'])}&limit=100&order_by=%2Bcreated_at`,
    );
    assert.deepEqual(new Set(ids(byId)), new Set(ids(some)));
    const byExternal = await list(
      `${repeated(
        'external_id',
        some.map((u) => u.external_id!),
      )}&limit=100`,
    );
    assert.deepEqual(new Set(ids(byExternal)), new Set(ids(some)));
    const emails = some.slice(0, 10).map((u) => u.email_addresses[0].email_address.toUpperCase());
    const byEmail = await list(repeated('email_address', [...emails, 'nobody@example.com']));
    assert.deepEqual(
      new Set(ids(byEmail)),
      new Set(ids(some.slice(0, 10))),
      'emails match whatever their case',
    );
    const both = await list(
      `${repeated('user_id', ids(some.slice(0, 5)))}&${repeated('email_address', emails.slice(3, 8))}`,
    );
    assert.deepEqual(new Set(ids(both)), new Set(ids(some.slice(3, 5))), 'filters combine with AND');
    assert.equal(
      await count(
        repeated(
          'external_id',
          some.map((u) => u.external_id!),
        ),
      ),
      40,
    );
  });

  it('includes and excludes with + and - on user_id and organization_id', async () => {
    const navy = await list(`organization_id=${DEMO_ORGANIZATION_IDS.navy}`);
    assert.deepEqual(new Set(ids(navy)), new Set([DEMO_USER_IDS.ada, DEMO_USER_IDS.grace]));
    const plusMinus = await list(
      `organization_id=%2B${DEMO_ORGANIZATION_IDS.navy}&organization_id=-${DEMO_ORGANIZATION_IDS.analytical}`,
    );
    assert.deepEqual(ids(plusMinus), [DEMO_USER_IDS.grace], 'Ada is in both');
    const rawPlus = await list(`organization_id=+${DEMO_ORGANIZATION_IDS.nasa}`);
    assert.deepEqual(
      ids(rawPlus),
      [DEMO_USER_IDS.katherine],
      'an unencoded + (a space once decoded) includes too',
    );
    const demo = Object.values(DEMO_USER_IDS);
    const notAda = await list(`${repeated('user_id', demo)}&user_id=-${DEMO_USER_IDS.ada}`);
    assert.deepEqual(new Set(ids(notAda)), new Set(demo.slice(1)));
    assert.equal(await count(`user_id=-${DEMO_USER_IDS.ada}`), GENERATED + 4);
  });

  it('answers 422 for more than 100 values of a filter, a cursor with another order or an offset, and a bad limit', async () => {
    const tooMany = await callFake(fake, 'GET', `/v1/users?${repeated('user_id', ids(all.slice(0, 101)))}`);
    assert.equal(tooMany.status, 422);
    assert.equal(tooMany.json.errors[0].code, 'form_param_value_invalid');
    assert.equal(tooMany.json.errors[0].meta.param_name, 'user_id');
    assert.equal(
      (
        await callFake(
          fake,
          'GET',
          `/v1/users/count?${repeated(
            'email_address',
            all.slice(0, 101).map((u) => u.email_addresses[0].email_address),
          )}`,
        )
      ).status,
      422,
    );
    assert.equal(
      (await list(repeated('user_id', ids(all.slice(0, 100))))).length,
      10,
      'exactly 100 is fine (default limit 10)',
    );
    const cursor = all[500].id;
    for (const [query, param] of [
      [`starting_after=${cursor}&order_by=updated_at`, 'starting_after'],
      [`starting_after=${cursor}&offset=1`, 'starting_after'],
      ['starting_after=user_doesNotExist', 'starting_after'],
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['order_by=shoe_size', 'order_by'],
    ]) {
      const r = await callFake(fake, 'GET', `/v1/users?${query}`);
      assert.equal(r.status, 422, query);
      assert.equal(r.json.errors[0].meta.param_name, param, query);
    }
    assert.equal(
      (await list(`starting_after=${cursor}&offset=0&order_by=created_at`)).length,
      10,
      'offset 0 and an unsigned created_at are fine',
    );
  });

  it('orders by other fields totally, and offsets within them', async () => {
    const byName = await list('order_by=first_name&limit=500');
    assert.ok(
      byName.every(
        (u, i) =>
          i === 0 || (byName[i - 1].first_name ?? '').toLowerCase() <= (u.first_name ?? '').toLowerCase(),
      ),
    );
    const shifted = await list('order_by=first_name&limit=100&offset=400');
    assert.deepEqual(ids(shifted), ids(byName.slice(400, 500)));
    const newestUpdate = await list('order_by=-updated_at&limit=1');
    assert.equal(
      newestUpdate[0].updated_at,
      all.reduce((m, u) => Math.max(m, u.updated_at), 0),
    );
  });

  it('generates realistic users, the same for the same seed', async () => {
    const generated = all.filter((u) => !(Object.values(DEMO_USER_IDS) as string[]).includes(u.id));
    const share = (p: (u: ClerkUser) => boolean): number => generated.filter(p).length / generated.length;
    assert.ok(
      share((u) => u.external_id !== null) > 0.3 && share((u) => u.external_id !== null) < 0.5,
      'external ids for some',
    );
    assert.ok(share((u) => u.username !== null) > 0.5, 'usernames for most');
    assert.ok(
      generated.every(
        (u) =>
          /^[a-z]+\.[a-z]+\.[0-9a-z]+@[a-z.]+$/.test(u.email_addresses[0].email_address) &&
          u.primary_email_address_id === u.email_addresses[0].id,
      ),
    );
    assert.equal(
      new Set(generated.map((u) => u.email_addresses[0].email_address)).size,
      generated.length,
      'emails are unique',
    );
    assert.ok(generated.every((u) => typeof u.public_metadata.role === 'string'));
    assert.ok(generated.every((u) => /^user_[0-9A-Za-z]{27}$/.test(u.id)));
    const fakes = await Promise.all(
      [42, 42, 43].map((seed) => startFake({ users: { generate: 300, seed } })),
    );
    try {
      const [a, b, c] = fakes.map((f) => [...f.users.values()]);
      assert.deepEqual(a, b, 'the same seed gives the same users');
      assert.notDeepEqual(ids(c), ids(a));
    } finally {
      await Promise.all(fakes.map((f) => f.stop()));
    }
  });
});
