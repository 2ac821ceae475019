import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ClerkClient, ClerkConfigError, type ClerkClientConfig } from '../../../src/core/clerk/client';
import type { ClerkResult } from '../../../src/core/clerk/errors';
import { withRateLimitRetry, type RateLimitWait } from '../../../src/core/clerk/ratelimit';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

const ADA = DEMO_USER_IDS.ada;

describe('ClerkClient against the fake Clerk', () => {
  let fake: FakeClerk;
  const seen: string[] = [];
  const client = (overrides: Partial<ClerkClientConfig> = {}): ClerkClient =>
    new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: '2026-05-12',
      userAgent: 'clerk-user-update-tests/0.0.0',
      timeoutMs: 5000,
      ...overrides,
    });
  /** Remember every result, to check at the end that the key never appears in any of them. */
  const track = <T>(result: ClerkResult<T>): ClerkResult<T> => {
    seen.push(JSON.stringify(result));
    if (!result.ok) seen.push(result.message);
    return result;
  };

  before(async () => {
    fake = await startFake();
  });
  after(async () => {
    await fake.stop();
    for (const text of seen)
      assert.ok(!text.includes(FAKE_TEST_KEY), 'the key must never appear in a result');
  });
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });

  it('reads a user and sends the documented headers', async () => {
    const result = track(await client().getUser(ADA));
    assert.ok(result.ok);
    assert.equal(result.status, 200);
    assert.equal(result.data.id, ADA);
    assert.equal(result.data.first_name, 'Ada');
    assert.ok(result.traceId, 'falls back to the cf-ray header');
    const record = fake.requests.at(-1);
    assert.ok(record);
    assert.equal(record.method, 'GET');
    assert.equal(record.path, `/v1/users/${ADA}`);
    assert.equal(record.headers['clerk-api-version'], '2026-05-12');
    assert.equal(record.headers['user-agent'], 'clerk-user-update-tests/0.0.0');
    assert.equal(record.headers.authorization, '[redacted]');
    assert.deepEqual(record.auth, { status: 'ok', keyLabel: 'test' });
  });

  it('sends a PATCH body byte for byte and returns the updated user', async () => {
    const body = '{\n  "first_name": "Augusta",\n  "create_organizations_limit": 1e1\n}';
    const before = fake.users.get(ADA)?.updated_at ?? 0;
    const result = track(await client().updateUser(ADA, body));
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.data.first_name, 'Augusta');
    assert.equal(result.data.create_organizations_limit, 10);
    assert.ok(result.data.updated_at > before);
    const record = fake.requestsTo('PATCH', `/v1/users/${ADA}`).at(-1);
    assert.equal(record?.body, body);
    assert.equal(record?.headers['content-type'], 'application/json');
    assert.equal(record?.applied, true);
  });

  it('lists and counts users', async () => {
    const list = track(await client().listUsers('lovelace', 5));
    assert.ok(list.ok);
    assert.deepEqual(
      list.data.map((u) => u.id),
      [ADA],
    );
    const all = track(await client().listUsers('', 2));
    assert.ok(all.ok);
    assert.equal(all.data.length, 2);
    const count = track(await client().countUsers());
    assert.ok(count.ok);
    assert.deepEqual(count.data, { object: 'total_count', total_count: fake.users.size });
  });

  it('maps 401 to unauthorized with Clerk code and trace id', async () => {
    const result = track(await client({ secretKey: 'sk_test_not-the-right-key-0000' }).getUser(ADA));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'unauthorized');
    assert.equal(result.status, 401);
    assert.equal(result.errors[0]?.code, 'clerk_key_invalid');
    assert.match(result.traceId ?? '', /^[0-9a-f]{32}$/);
    assert.match(result.message, /refused the secret key/);
    assert.ok(!result.message.includes('not-the-right-key'));
    assert.equal(fake.requests.at(-1)?.auth.status, 'invalid');
  });

  it('maps 404 to a message naming the user', async () => {
    const result = track(await client().updateUser('user_doesnotexist', '{"first_name":"x"}'));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'not-found');
    assert.equal(result.errors[0]?.code, 'resource_not_found');
    assert.match(result.message, /No user was found with id user_doesnotexist/);
    assert.equal(result.notApplied, true);
  });

  it('maps 422 with meta.param_name', async () => {
    const result = track(await client().updateUser(ADA, '{"first_nam": "Ada", "password": "short"}'));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'api');
    assert.equal(result.status, 422);
    assert.deepEqual(
      result.errors.map((e) => [e.code, e.meta?.param_name]),
      [['form_param_unknown', 'first_nam']],
    );
    const short = track(await client().updateUser(ADA, '{"password": "short"}'));
    assert.ok(!short.ok);
    assert.equal(short.errors[0]?.code, 'form_password_length_too_short');
    assert.equal(short.errors[0]?.meta?.param_name, 'password');
    assert.ok(!short.message.includes('short"'));
  });

  it('refuses metadata in PATCH under 2026-05-12 but accepts it under 2025-11-10', async () => {
    const body = '{"public_metadata": {"role": "owner"}}';
    const now = track(await client().updateUser(ADA, body));
    assert.ok(!now.ok);
    assert.equal(now.errors[0]?.code, 'form_param_unknown');
    assert.equal(now.errors[0]?.meta?.param_name, 'public_metadata');
    const old = track(await client({ apiVersion: '2025-11-10' }).updateUser(ADA, body));
    assert.ok(old.ok);
    assert.deepEqual(old.data.public_metadata, { role: 'owner' });
    const put = track(await client().putMetadata(ADA, '{"public_metadata": {"role": "admin"}}'));
    assert.ok(put.ok);
    assert.deepEqual(put.data.public_metadata, { role: 'admin' });
    const merge = track(
      await client().patchMetadata(ADA, '{"public_metadata": {"plan": "free", "role": null}}'),
    );
    assert.ok(merge.ok);
    assert.deepEqual(merge.data.public_metadata, { plan: 'free' });
  });

  it('maps an unknown API version to 400 api_version_invalid', async () => {
    const result = track(await client({ apiVersion: '2020-01-01' }).getUser(ADA));
    assert.ok(!result.ok);
    assert.equal(result.status, 400);
    assert.equal(result.errors[0]?.code, 'api_version_invalid');
  });

  it('reports 429 with Retry-After, and without', async () => {
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 7 });
    const withHeader = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!withHeader.ok);
    assert.equal(withHeader.kind, 'rate-limited');
    assert.equal(withHeader.retryAfterSeconds, 7);
    assert.equal(withHeader.notApplied, true);
    assert.match(withHeader.message, /retry after 7 s/);
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: null });
    const without = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!without.ok);
    assert.equal(without.kind, 'rate-limited');
    assert.equal(without.retryAfterSeconds, undefined);
  });

  it('retries a 429 visibly, with bounded tries, and never anything else', async () => {
    const waits: RateLimitWait[] = [];
    const sleeps: number[] = [];
    const sleep = async (ms: number): Promise<void> => {
      sleeps.push(ms);
    };
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 3 });
    const startCount = fake.requestsTo('PATCH').length;
    const ok = track(
      await withRateLimitRetry(() => client().updateUser(ADA, '{"last_name":"King"}'), {
        sleep,
        onWait: (w) => void waits.push(w),
      }),
    );
    assert.ok(ok.ok);
    assert.deepEqual(sleeps, [3000]);
    assert.equal(waits[0]?.nextTry, 2);
    assert.equal(waits[0]?.fromRetryAfter, true);
    assert.equal(fake.requestsTo('PATCH').length - startCount, 2);

    // Without Retry-After: the default wait, doubled; gives up after 3 tries.
    sleeps.length = 0;
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: null, persistent: true });
    const failed = track(
      await withRateLimitRetry(() => client().updateUser(ADA, '{"last_name":"King"}'), { sleep }),
    );
    assert.ok(!failed.ok);
    assert.equal(failed.kind, 'rate-limited');
    assert.deepEqual(sleeps, [5000, 10000]);
    assert.match(failed.message, /Gave up after 3 tries/);
    fake.clearFaults();

    // A 500 is not retried.
    fake.setFault({ kind: 'status500', method: 'PATCH' });
    const before500 = fake.requestsTo('PATCH').length;
    const server = track(
      await withRateLimitRetry(() => client().updateUser(ADA, '{"last_name":"King"}'), { sleep }),
    );
    assert.ok(!server.ok);
    assert.equal(fake.requestsTo('PATCH').length - before500, 1);
  });

  it('enforces 10 requests per 10 s per user on PATCH, on the fake clock', async () => {
    const c = client();
    for (let i = 0; i < 10; i++) {
      const r = await c.updateUser(DEMO_USER_IDS.grace, `{"first_name":"Grace ${i}"}`);
      assert.ok(r.ok, `request ${i + 1}`);
    }
    const limited = track(await c.updateUser(DEMO_USER_IDS.grace, '{"first_name":"Grace"}'));
    assert.ok(!limited.ok);
    assert.equal(limited.kind, 'rate-limited');
    assert.equal(limited.errors[0]?.code, 'too_many_requests');
    assert.ok((limited.retryAfterSeconds ?? 0) >= 1 && (limited.retryAfterSeconds ?? 0) <= 10);
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)?.first_name, 'Grace 9');
    // Other users are not affected, and GET is not limited.
    assert.ok((await c.updateUser(DEMO_USER_IDS.alan, '{"first_name":"Alan"}')).ok);
    assert.ok((await c.getUser(DEMO_USER_IDS.grace)).ok);
    fake.clock.advance(10_000);
    assert.ok((await c.updateUser(DEMO_USER_IDS.grace, '{"first_name":"Grace"}')).ok);
  });

  it('maps a 500 with Clerk envelope', async () => {
    fake.setFault({ kind: 'status500', method: 'PATCH' });
    const result = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'server');
    assert.equal(result.status, 500);
    assert.equal(result.errors[0]?.code, 'internal_clerk_error');
    assert.equal(result.notApplied, false);
    assert.match(result.message, /500 Internal Server Error/);
  });

  it('ends a message built from Clerk’s errors with exactly one full stop', async () => {
    fake.setFault({ kind: 'status500', method: 'PATCH' });
    const server = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!server.ok);
    assert.equal(
      server.message,
      "Clerk returned 500 Internal Server Error (internal_clerk_error): There was an internal error on our servers. We've been notified and are working on fixing it. The change may or may not have been applied.",
    );
    const taken = track(await client().updateUser(ADA, '{"username":"grace_h","password":"short"}'));
    assert.ok(!taken.ok);
    assert.doesNotMatch(taken.message, /\.\./);
    assert.match(
      taken.message,
      /^Clerk rejected the request with 422 Unprocessable Entity \(.+\): .+; .+[^.]\.$/,
    );
    const refused = track(await client({ secretKey: 'sk_test_notAKeyTheFakeKnows0123' }).getUser(ADA));
    assert.ok(!refused.ok);
    assert.doesNotMatch(refused.message, /\.\./);
    assert.match(refused.message, /is correct\. Check that the key belongs to this instance\.$/);
  });

  it('says a change answered 2xx with an unusable body was probably applied', async () => {
    for (const kind of ['malformed-json', 'huge'] as const) {
      fake.setFault({ kind, method: 'PATCH' });
      const patch = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
      assert.ok(!patch.ok);
      assert.equal(patch.notApplied, false);
      assert.match(
        patch.message,
        /\. Clerk answered with success, so the change was probably applied; check the user before sending it again\.$/,
        kind,
      );
      fake.setFault({ kind, method: 'GET' });
      const read = track(await client().getUser(ADA));
      assert.ok(!read.ok);
      assert.doesNotMatch(read.message, /applied/, `${kind} on a read says nothing about changes`);
    }
  });

  it('maps an HTML 502 and takes the trace id from cf-ray', async () => {
    fake.setFault({ kind: 'html502' });
    const result = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'server');
    assert.match(result.message, /^Clerk returned 502 Bad Gateway with an HTML page instead of JSON\./);
    assert.match(result.traceId ?? '', /^[0-9a-f]{16}-LHR$/);
  });

  it('maps a connection reset before the response', async () => {
    fake.setFault({ kind: 'reset', method: 'PATCH' });
    const result = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'connection');
    assert.match(result.message, /was reset before Clerk answered/);
    assert.equal(result.notApplied, false);
  });

  it('maps a malformed JSON body', async () => {
    fake.setFault({ kind: 'malformed-json', method: 'GET' });
    const result = track(await client().getUser(ADA));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'bad-response');
    assert.match(result.message, /Clerk returned 200 OK with a malformed JSON body/);
  });

  it('stops reading a 10 MB response at the cap', async () => {
    fake.setFault({ kind: 'huge', method: 'GET' });
    const result = track(await client().getUser(ADA));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'too-large');
    assert.match(result.message, /larger than 5 MB/);
    // With a bigger cap, the same response is read whole.
    fake.setFault({ kind: 'huge', method: 'GET' });
    const whole = await client({ maxResponseBytes: 11 * 1024 * 1024 }).getUser(ADA);
    assert.ok(whole.ok);
    assert.equal(whole.bodyText.length, 10 * 1024 * 1024);
  });

  it('times out, and the fake drops the request whose client went away', async () => {
    const body = '{"first_name":"Too late"}';
    // Held and never released: only the client's own timeout can end it.
    fake.hold({ method: 'PATCH' });
    const result = track(await client({ timeoutMs: 100 }).updateUser(ADA, body));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'timeout');
    assert.match(result.message, /did not answer within 0.1 s/);
    const record = await fake.waitForRequest((r) => r.body === body);
    assert.equal(record.clientGone, true);
    assert.notEqual(fake.users.get(ADA)?.first_name, 'Too late');
  });

  it('cancels an in-flight request', async () => {
    const body = '{"first_name":"Cancelled"}';
    const held = fake.hold({ method: 'PATCH' });
    const controller = new AbortController();
    const pending = client().updateUser(ADA, body, { signal: controller.signal });
    assert.equal((await held.arrived).body, body);
    controller.abort();
    const result = track(await pending);
    assert.ok(!result.ok);
    assert.equal(result.kind, 'cancelled');
    // Finished once the fake saw the connection close; released only then (earlier, it would be applied).
    const record = await fake.waitForRequest((r) => r.body === body);
    held.release();
    assert.equal(record.clientGone, true);
    assert.notEqual(fake.users.get(ADA)?.first_name, 'Cancelled');
    // Already aborted: nothing is sent.
    const count = fake.requests.length;
    const early = await client().updateUser(ADA, body, { signal: AbortSignal.abort() });
    assert.ok(!early.ok);
    assert.equal(early.kind, 'cancelled');
    assert.equal(early.notApplied, true);
    assert.equal(fake.requests.length, count);
  });

  it('reports a host that does not resolve', async () => {
    const result = track(await client({ apiUrl: 'https://api.example.invalid' }).getUser(ADA));
    assert.ok(!result.ok);
    assert.equal(result.kind, 'dns');
    assert.match(result.message, /^Could not resolve host api\.example\.invalid/);
    assert.equal(result.notApplied, true);
  });

  it('never follows a redirect to another host (so Authorization never leaves)', async () => {
    const received: http.IncomingHttpHeaders[] = [];
    const other = http.createServer((req, res) => {
      received.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const otherUrl = `http://localhost:${(other.address() as AddressInfo).port}`;
      for (const status of [301, 302, 307, 308] as const) {
        fake.setFault({ kind: 'redirect', location: otherUrl, redirectStatus: status });
        const result = track(await client().updateUser(ADA, '{"first_name":"Ada"}'));
        assert.ok(!result.ok);
        assert.equal(result.kind, 'redirect');
        assert.match(
          result.message,
          /redirect to another host \(http:\/\/localhost:\d+\)\. It was not followed/,
        );
      }
      fake.setFault({ kind: 'redirect', location: otherUrl, method: 'GET' });
      assert.equal((await client().getUser(ADA)).ok, false);
      assert.equal(received.length, 0);
      assert.ok(received.every((h) => h.authorization === undefined));
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('follows a same-origin 307 keeping method and body', async () => {
    fake.setFault({ kind: 'redirect', location: fake.url, method: 'PATCH' });
    const result = track(await client().updateUser(ADA, '{"last_name":"Byron"}'));
    assert.ok(result.ok, !result.ok ? result.message : '');
    assert.equal(result.data.last_name, 'Byron');
    const patches = fake.requestsTo('PATCH', `/v1/users/${ADA}`).slice(-2);
    assert.deepEqual(
      patches.map((r) => [r.status, r.body]),
      [
        [307, '{"last_name":"Byron"}'],
        [200, '{"last_name":"Byron"}'],
      ],
    );
  });

  it('refuses bad keys and URLs without echoing them', () => {
    const bad = ['pk_test_Y2xlcmsuZXhhbXBsZS5jb20k', 'sk_test_abc def', 'hello-world-key', ''];
    for (const secretKey of bad) {
      assert.throws(
        () =>
          new ClerkClient({
            apiUrl: 'https://api.clerk.com',
            secretKey,
            apiVersion: '2026-05-12',
            userAgent: 't',
          }),
        (error: unknown) =>
          error instanceof ClerkConfigError && (secretKey === '' || !error.message.includes(secretKey)),
      );
    }
    assert.throws(
      () =>
        new ClerkClient({
          apiUrl: 'http://api.clerk.com',
          secretKey: FAKE_TEST_KEY,
          apiVersion: '2026-05-12',
          userAgent: 't',
        }),
      /uses http:\/\//,
    );
    const trimmed = new ClerkClient({
      apiUrl: 'http://[::1]:1',
      secretKey: `  ${FAKE_TEST_KEY}\r\n`,
      apiVersion: '2026-05-12',
      userAgent: 't',
    });
    assert.equal(trimmed.keyLabel, 'sk_test_…');
    assert.equal(trimmed.isProduction, false);
  });
});
