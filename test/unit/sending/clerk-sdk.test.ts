// Clerk's own Backend SDK (@clerk/backend, pinned) against the fake: what Clerk's real client sends and
// how it reads the answers, so the fake stays faithful to Clerk rather than to our client alone.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createClerkClient } from '@clerk/backend';
import { ClerkAPIResponseError } from '@clerk/backend/errors';
import { DEMO_ORGANIZATION_IDS, DEMO_USER_IDS } from '../../../src/fake/seed';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

/** The rejection of `promise`, which must be a ClerkAPIResponseError. */
async function apiError(promise: Promise<unknown>): Promise<ClerkAPIResponseError> {
  const error = await promise.then(
    () => assert.fail('expected a ClerkAPIResponseError'),
    (e: unknown) => e,
  );
  if (!(error instanceof ClerkAPIResponseError)) assert.fail(`not a ClerkAPIResponseError: ${String(error)}`);
  return error;
}

describe("Clerk's SDK (@clerk/backend) against the fake", () => {
  let fake: FakeClerk;
  let clerk: ReturnType<typeof createClerkClient>;

  before(async () => {
    fake = await startFake();
    clerk = createClerkClient({ secretKey: FAKE_TEST_KEY, apiUrl: fake.url });
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });

  it('lists users newest first with the total count, as two requests with the same filters', async () => {
    const page = await clerk.users.getUserList({ limit: 2 });
    assert.equal(page.totalCount, fake.users.size);
    const newest = [...fake.users.values()].sort((a, b) => b.created_at - a.created_at).slice(0, 2);
    assert.deepEqual(
      page.data.map((u) => u.id),
      newest.map((u) => u.id),
    );
    assert.equal(page.data[0].firstName, newest[0].first_name);
    const sent = fake.requests.slice(-2);
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}?${r.query}`).sort(), [
      'GET /v1/users/count?',
      'GET /v1/users?limit=2',
    ]);
    for (const r of sent) {
      assert.equal(r.headers['clerk-api-version'], '2026-05-12');
      assert.equal(r.headers['user-agent'], '@clerk/backend@3.25.0');
      assert.equal(r.auth.keyLabel, 'test');
    }
  });

  it('filters by email address, user id, external id and organization, in order', async () => {
    const byEmail = await clerk.users.getUserList({ emailAddress: ['ADA@analytical.engine'] });
    assert.deepEqual(
      byEmail.data.map((u) => u.id),
      [DEMO_USER_IDS.ada],
    );
    assert.equal(byEmail.totalCount, 1);
    const byId = await clerk.users.getUserList({
      userId: [DEMO_USER_IDS.grace, DEMO_USER_IDS.ada],
      orderBy: '+created_at',
    });
    assert.deepEqual(
      byId.data.map((u) => u.id),
      [DEMO_USER_IDS.ada, DEMO_USER_IDS.grace],
    );
    const byExternal = await clerk.users.getUserList({ externalId: ['crm-1918', 'crm-1815'] });
    assert.deepEqual(
      byExternal.data.map((u) => u.externalId),
      ['crm-1918', 'crm-1815'],
    );
    const byOrg = await clerk.users.getUserList({ organizationId: [DEMO_ORGANIZATION_IDS.analytical] });
    assert.deepEqual(
      byOrg.data.map((u) => u.id),
      [DEMO_USER_IDS.alan, DEMO_USER_IDS.ada],
    );
    assert.equal(byOrg.totalCount, 2);
    const byQuery = await clerk.users.getUserList({ query: 'lovelace' });
    assert.deepEqual(
      byQuery.data.map((u) => u.id),
      [DEMO_USER_IDS.ada],
    );
    assert.equal(await clerk.users.getCount({ query: 'lovelace' }), 1);
    assert.equal(
      (await clerk.users.getUserList({ organizationId: [DEMO_ORGANIZATION_IDS.navy], limit: 1 })).totalCount,
      2,
    );
  });

  it('gets a user as a User object', async () => {
    const user = await clerk.users.getUser(DEMO_USER_IDS.ada);
    assert.equal(user.id, DEMO_USER_IDS.ada);
    assert.equal(user.username, 'ada');
    assert.equal(user.primaryEmailAddress?.emailAddress, 'ada@analytical.engine');
    assert.equal(user.emailAddresses[1].verification?.status, 'unverified');
    assert.deepEqual(user.publicMetadata, fake.users.get(DEMO_USER_IDS.ada)!.public_metadata);
    assert.equal(user.passwordEnabled, true);
  });

  it('updates a user with PATCH /v1/users/{id} and a snake_case body', async () => {
    const user = await clerk.users.updateUser(DEMO_USER_IDS.grace, {
      lastName: 'Murray Hopper',
      createOrganizationsLimit: 5,
    });
    assert.equal(user.lastName, 'Murray Hopper');
    assert.equal(user.createOrganizationsLimit, 5);
    const patch = fake.requests.at(-1)!;
    assert.equal(`${patch.method} ${patch.path}`, `PATCH /v1/users/${DEMO_USER_IDS.grace}`);
    assert.deepEqual(JSON.parse(patch.body), { last_name: 'Murray Hopper', create_organizations_limit: 5 });
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.last_name, 'Murray Hopper');
    assert.deepEqual(fake.appliedWrites(DEMO_USER_IDS.grace).byRoute['PATCH /v1/users/:user_id'], {
      arrived: 1,
      applied: 1,
      changed: 1,
    });
  });

  it('merges metadata with updateUserMetadata (PATCH) and replaces it with replaceUserMetadata (PUT)', async () => {
    const merged = await clerk.users.updateUserMetadata(DEMO_USER_IDS.ada, {
      privateMetadata: { crm: { tier: null, note: 'vip' } },
    });
    assert.deepEqual(merged.privateMetadata, { crm: { since: 2019, note: 'vip' } });
    assert.equal(fake.requests.at(-1)!.method, 'PATCH');
    const replaced = await clerk.users.replaceUserMetadata(DEMO_USER_IDS.ada, {
      publicMetadata: { role: 'owner' },
    });
    assert.deepEqual(replaced.publicMetadata, { role: 'owner' });
    assert.deepEqual(
      replaced.privateMetadata,
      { crm: { since: 2019, note: 'vip' } },
      'an omitted field is untouched',
    );
    const put = fake.requests.at(-1)!;
    assert.equal(`${put.method} ${put.path}`, `PUT /v1/users/${DEMO_USER_IDS.ada}/metadata`);
  });

  it('reads a 404 as a ClerkAPIResponseError with the status, the code and the trace id', async () => {
    const error = await apiError(clerk.users.getUser('user_doesNotExist000000000000'));
    assert.equal(error.status, 404);
    assert.equal(error.errors[0].code, 'resource_not_found');
    assert.equal(error.errors[0].longMessage, 'No user was found with id user_doesNotExist000000000000');
    assert.match(error.clerkTraceId ?? '', /^[0-9a-f]{32}$/);
  });

  it('reads a 422 with the parameter name, and a 429 with Retry-After', async () => {
    const invalid = await apiError(clerk.users.updateUser(DEMO_USER_IDS.grace, { username: 'ab' }));
    assert.equal(invalid.status, 422);
    assert.equal(invalid.errors[0].code, 'form_username_invalid_length');
    assert.equal(invalid.errors[0].meta?.paramName, 'username');
    const seq = fake.requests.at(-1)!.seq;
    const badList = await apiError(clerk.users.getUserList({ limit: 501 }));
    assert.equal(badList.status, 422);
    assert.equal(badList.errors[0].meta?.paramName, 'limit');
    // getUserList also sent a count (without the limit), still in flight when the list's 422 rejected.
    assert.equal((await fake.waitForRequest((r) => r.seq > seq && r.path === '/v1/users/count')).status, 200);
    fake.setFault({
      kind: 'rate-limit',
      method: 'GET',
      path: `/v1/users/${DEMO_USER_IDS.ada}`,
      retryAfterSeconds: 7,
    });
    const limited = await apiError(clerk.users.getUser(DEMO_USER_IDS.ada));
    assert.equal(limited.status, 429);
    assert.equal(limited.errors[0].code, 'too_many_requests');
    assert.equal(limited.retryAfter, 7);
  });
});
