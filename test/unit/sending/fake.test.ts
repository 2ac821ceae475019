// The fake Clerk's own behaviour, over raw HTTP (what the client tests do not reach).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import { FAKE_TEST_KEY, type FakeClerk, abortableWrite, callFake, startFake } from '../../support/fake-clerk';

const ADA = DEMO_USER_IDS.ada;

describe('fake Clerk', () => {
  let fake: FakeClerk;
  const call = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    callFake(fake, method, path, { body, headers });

  before(async () => {
    fake = await startFake();
  });
  after(() => fake.stop());
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });

  it("answers JSON as Clerk does: Content-Type exactly application/json (Clerk's SDK parses nothing else), a cf-ray", async () => {
    for (const r of [
      await call('GET', `/v1/users/${ADA}`),
      await call('GET', '/v1/users/user_missing'),
      await call('GET', '/v1/users/count'),
    ]) {
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.match(r.headers.get('cf-ray') ?? '', /^[0-9a-f]{16}-LHR$/);
    }
  });

  it('checks the Authorization header format', async () => {
    const missing = await call('GET', `/v1/users/${ADA}`, undefined, { Authorization: '' });
    assert.equal(missing.status, 401);
    const basic = await call('GET', `/v1/users/${ADA}`, undefined, { Authorization: 'Basic abc' });
    assert.equal(basic.json?.errors?.[0]?.code, 'authorization_header_format_invalid');
    assert.equal(fake.requests.at(-1)?.auth.status, 'malformed');
  });

  it('rejects unknown versions and a version in both header and query', async () => {
    const both = await call('GET', `/v1/users/${ADA}?__clerk_api_version=2025-11-10`);
    assert.equal(both.status, 400);
    assert.equal(both.json?.errors?.[0]?.code, 'api_version_invalid');
    const query = await call('GET', `/v1/users/${ADA}?__clerk_api_version=2025-11-10`, undefined, {
      'Clerk-API-Version': '',
    });
    assert.equal(query.status, 400, 'an empty header still counts as a header');
    const ok = await fetch(`${fake.url}/v1/users/${ADA}?__clerk_api_version=2025-11-10`, {
      headers: { Authorization: `Bearer ${FAKE_TEST_KEY}` },
    });
    assert.equal(ok.status, 200);
  });

  it('answers 415 for a body that is not JSON and 400 for broken JSON', async () => {
    const form = await call('PATCH', `/v1/users/${ADA}`, 'first_name=Ada', {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415);
    assert.equal(form.json?.errors?.[0]?.code, 'unsupported_content_type');
    const broken = await call('PATCH', `/v1/users/${ADA}`, '{"first_name": ');
    assert.equal(broken.status, 400);
    assert.equal(broken.json?.errors?.[0]?.code, 'request_body_invalid');
  });

  it('applies PATCH semantics: absent unchanged, null clears, username "" removes, updated_at bumps only on change', async () => {
    const before = fake.users.get(DEMO_USER_IDS.katherine);
    assert.ok(before);
    const same = await call(
      'PATCH',
      `/v1/users/${before.id}`,
      JSON.stringify({ first_name: before.first_name }),
    );
    assert.equal(same.json?.updated_at, before.updated_at);
    const r = await call(
      'PATCH',
      `/v1/users/${before.id}`,
      '{"last_name": null, "username": "", "create_organizations_limit": 5}',
    );
    assert.equal(r.status, 200);
    assert.equal(r.json?.first_name, 'Katherine');
    assert.equal(r.json?.last_name, null);
    assert.equal(r.json?.username, null);
    assert.equal(r.json?.create_organizations_limit, 5);
    assert.ok(Number(r.json?.updated_at) > before.updated_at);
  });

  it('returns Clerk error codes with param_name', async () => {
    const cases: Array<[string, string, string]> = [
      ['{"password": "password123"}', 'form_password_pwned', 'password'],
      ['{"password": "short"}', 'form_password_length_too_short', 'password'],
      ['{"username": "LINUS"}', 'form_identifier_exists', 'username'],
      ['{"username": "abc"}', 'form_username_invalid_length', 'username'],
      ['{"username": "a b c d"}', 'form_username_invalid_character', 'username'],
      ['{"created_at": "yesterday"}', 'form_param_format_invalid', 'created_at'],
      ['{"first_name": 5}', 'form_param_format_invalid', 'first_name'],
      [
        '{"primary_email_address_id": "idn_2xhFjG0aLovelaceWork0002"}',
        'form_param_value_invalid',
        'primary_email_address_id',
      ],
      ['{"unsafe_metadata": {"a": 1}}', 'form_param_unknown', 'unsafe_metadata'],
    ];
    for (const [body, code, param] of cases) {
      const r = await call('PATCH', `/v1/users/${DEMO_USER_IDS.grace}`, body);
      assert.equal(r.status, 422, body);
      assert.equal(r.json?.errors?.[0]?.code, code, body);
      assert.equal(r.json?.errors?.[0]?.meta?.param_name, param, body);
      assert.match(String(r.json?.clerk_trace_id), /^[0-9a-f]{32}$/);
      fake.resetRateLimits();
    }
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)?.username, 'grace_h', 'nothing applied on errors');
  });

  it('merges metadata with PATCH (null deletes at any level) and replaces with PUT', async () => {
    const id = DEMO_USER_IDS.ada;
    await call('PUT', `/v1/users/${id}/metadata`, '{"private_metadata": {"a": {"b": 1, "c": 2}, "d": 3}}');
    const merged = await call(
      'PATCH',
      `/v1/users/${id}/metadata`,
      '{"private_metadata": {"a": {"c": null, "e": 4}, "d": null}}',
    );
    assert.deepEqual(merged.json?.private_metadata, { a: { b: 1, e: 4 } });
    const replaced = await call('PUT', `/v1/users/${id}/metadata`, '{"private_metadata": {}}');
    assert.deepEqual(replaced.json?.private_metadata, {});
    assert.notDeepEqual(replaced.json?.public_metadata, {}, 'omitted fields untouched');
    const unknown = await call('PUT', `/v1/users/${id}/metadata`, '{"first_name": "x"}');
    assert.equal(unknown.json?.errors?.[0]?.code, 'form_param_unknown');
  });

  it('lists with query, limit, offset and order, and counts', async () => {
    const all = await fetch(`${fake.url}/v1/users?limit=500`, {
      headers: { Authorization: `Bearer ${FAKE_TEST_KEY}` },
    });
    const users = (await all.json()) as Array<{ id: string; created_at: number }>;
    assert.equal(users.length, fake.users.size);
    assert.ok(
      users.every((u, i) => i === 0 || users[i - 1].created_at >= u.created_at),
      'newest first',
    );
    const page = (await (
      await fetch(`${fake.url}/v1/users?limit=2&offset=1`, {
        headers: { Authorization: `Bearer ${FAKE_TEST_KEY}` },
      })
    ).json()) as Array<{ id: string }>;
    assert.deepEqual(
      page.map((u) => u.id),
      users.slice(1, 3).map((u) => u.id),
    );
    const byEmail = (await call('GET', '/v1/users?query=BLETCHLEY')).json as unknown as Array<{ id: string }>;
    assert.deepEqual(
      byEmail.map((u) => u.id),
      [DEMO_USER_IDS.alan],
    );
    const bad = await call('GET', '/v1/users?limit=501');
    assert.equal(bad.status, 422);
    const count = await call('GET', '/v1/users/count?query=example');
    assert.equal(count.json?.object, 'total_count');
    assert.equal(typeof count.json?.total_count, 'number');
  });

  it('records, for each answered request, the last request that had arrived by then (seqWhenFinished)', async () => {
    const hold = fake.hold({ method: 'GET', path: `/v1/users/${ADA}` });
    const slow = call('GET', `/v1/users/${ADA}`);
    const first = await hold.arrived;
    await call('GET', `/v1/users/${DEMO_USER_IDS.grace}`);
    hold.release();
    await slow;
    const second = fake.requests.find(
      (r) => r.path === `/v1/users/${DEMO_USER_IDS.grace}` && r.seq > first.seq,
    )!;
    const done = await fake.waitForRequest((r) => r.seq === first.seq);
    assert.equal(done.status, 200, 'a released request is handled normally');
    assert.ok((done.seqWhenFinished ?? 0) >= second.seq, 'the second arrived while the first was in flight');
    assert.equal(second.seqWhenFinished, second.seq, 'nothing else arrived while the second was handled');
    await call('GET', `/v1/users/${ADA}`);
    const third = fake.requests.at(-1)!;
    assert.ok(
      third.seq > (second.seqWhenFinished ?? Infinity),
      'the third arrived after the second was answered',
    );
  });

  it('drops a held request whose client went away: nothing is applied', async () => {
    const hold = fake.hold({ method: 'PATCH', path: `/v1/users/${ADA}` });
    const patch = abortableWrite(fake, 'PATCH', `/v1/users/${ADA}`, '{"first_name": "Gone"}');
    const arrived = await hold.arrived;
    await patch.abort();
    const record = await fake.waitForRequest((r) => r.seq === arrived.seq);
    assert.equal(record.clientGone, true);
    assert.equal(record.applied, false);
    assert.notEqual(fake.users.get(ADA)?.first_name, 'Gone');
    hold.release();
  });

  it('has a control API for out-of-process tests', async () => {
    fake.requests.length = 0;
    await call('GET', `/v1/users/${ADA}`);
    const log = (await (await fetch(`${fake.url}/__fake/requests`)).json()) as Array<{
      path: string;
      headers: Record<string, string>;
    }>;
    assert.equal(log.length, 1);
    assert.equal(log[0].headers.authorization, '[redacted]');
    assert.ok(!JSON.stringify(log).includes(FAKE_TEST_KEY));
    await fetch(`${fake.url}/__fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'status500', method: 'GET', pathPattern: '^/v1/users/' }),
    });
    assert.equal((await call('GET', `/v1/users/${ADA}`)).status, 500);
    assert.equal((await call('GET', `/v1/users/${ADA}`)).status, 200, 'one-shot');
    const t0 = fake.clock.now();
    await fetch(`${fake.url}/__fake/clock`, { method: 'POST', body: '{"advanceMs": 60000}' });
    assert.ok(fake.clock.now() - t0 >= 60_000);
    const user = (await (await fetch(`${fake.url}/__fake/users/${ADA}`)).json()) as { id: string };
    assert.equal(user.id, ADA);
  });

  it('applies the update when a fault is set with apply: true (proxy failing after the backend)', async () => {
    fake.setFault({ kind: 'html502', method: 'PATCH', apply: true });
    const r = await call('PATCH', `/v1/users/${DEMO_USER_IDS.linus}`, '{"first_name": "Linus"}');
    assert.equal(r.status, 502);
    assert.equal(fake.users.get(DEMO_USER_IDS.linus)?.first_name, 'Linus');
    assert.equal(fake.requests.at(-1)?.applied, true);
  });
});
