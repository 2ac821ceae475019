import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { analyzeDocument } from '../../../src/core/analyze';
import type { CliIO } from '../../../src/cli/io';
import { runPull } from '../../../src/cli/pull/pull';
import { runSend } from '../../../src/cli/send/send';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import { captureIO } from '../../support/cli';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

const ADA = DEMO_USER_IDS.ada;
const PASSWORD = 'Wonderful-Engine-1843';

interface Captured {
  io: CliIO;
  out: () => string;
  err: () => string;
  asked: string[];
}

const allOutput: string[] = [];

function capture(
  env: Record<string, string | undefined>,
  cwd: string,
  tty = false,
  answer = false,
): Captured {
  const asked: string[] = [];
  const captured = captureIO({
    cwd,
    env,
    tty,
    onWrite: (t) => allOutput.push(t),
    confirm: async (q) => {
      asked.push(q);
      allOutput.push(q);
      if (!tty) throw new Error('confirm() called without a TTY');
      return answer;
    },
  });
  return { io: captured.io, out: captured.stdout, err: captured.stderr, asked };
}

describe('CLI send and pull against the fake Clerk', () => {
  let fake: FakeClerk;
  let dir: string;
  const file = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  /** `key` null: CLERK_SECRET_KEY unset. */
  const send = async (
    args: string[],
    key: string | null = FAKE_TEST_KEY,
    tty = false,
    answer = false,
  ): Promise<Captured & { code: number }> => {
    const c = capture({ CLERK_SECRET_KEY: key ?? undefined }, dir, tty, answer);
    const code = await runSend(['--api-url', fake.url, ...args], c.io);
    return { ...c, code };
  };

  before(async () => {
    fake = await startFake();
    dir = mkdtempSync(join(tmpdir(), 'cuu-send-'));
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
    const everything = allOutput.join('\n');
    assert.ok(!everything.includes(FAKE_TEST_KEY), 'the test key never appears in CLI output');
    assert.ok(!everything.includes(FAKE_LIVE_KEY), 'the live key never appears in CLI output');
    assert.ok(!everything.includes(PASSWORD), 'a password never appears in CLI output');
  });
  beforeEach(() => {
    fake.clearFaults();
    fake.resetRateLimits();
    fake.requests.length = 0;
  });

  it('sends a file and reports the user, status and trace', async () => {
    const name = file(
      'rename.userupdate.json',
      `{\n  "$user_id": "${ADA}",\n  "first_name": "Augusta Ada",\n  "last_name": "King"\n}\n`,
    );
    const r = await send([name]);
    assert.equal(r.code, 0, r.err());
    assert.match(
      r.out(),
      /Updated Augusta Ada King \(user_2xhFjEI5X2qWRvtV13BzSj8H6Dk\): first_name, last_name\./,
    );
    assert.match(r.out(), /PATCH \/v1\/users\/user_\w+ → 200 in \d+ ms \(trace [0-9a-f]{16}-LHR\)/);
    assert.deepEqual(
      fake.requests.map((q) => [q.method, q.body]),
      [
        ['GET', ''],
        ['PATCH', '{\n  "first_name": "Augusta Ada",\n  "last_name": "King"\n}\n'],
      ],
    );
    assert.match(
      fake.requests[1].headers['user-agent'] ?? '',
      /^clerk-user-update\/\d+\.\d+\.\d+ \(cli; node v\d+/,
    );
    assert.equal(fake.users.get(ADA)?.last_name, 'King');
  });

  it('merges metadata by default (PATCH /metadata after the user PATCH, other keys survive); replace sends PUT', async () => {
    const both = file(
      'meta.userupdate.json',
      `{"$user_id": "${ADA}", "public_metadata": {"role": "owner"}, "first_name": "Ada"}`,
    );
    const r = await send([both]);
    assert.equal(r.code, 0, r.err());
    assert.deepEqual(
      fake.requests.map((q) => [q.method, q.path, q.body]),
      [
        ['GET', `/v1/users/${ADA}`, ''],
        ['PATCH', `/v1/users/${ADA}`, '{"first_name": "Ada"}'],
        ['PATCH', `/v1/users/${ADA}/metadata`, '{"public_metadata": {"role": "owner"}}'],
      ],
    );
    assert.deepEqual(fake.users.get(ADA)?.public_metadata, { role: 'owner', plan: 'pro' });
    fake.requests.length = 0;
    const only = file(
      'only-meta.userupdate.json',
      `{"$user_id": "${ADA}", "unsafe_metadata": {"theme": "light"}}`,
    );
    assert.equal((await send([only])).code, 0);
    assert.deepEqual(
      fake.requests.map((q) => q.method),
      ['GET', 'PATCH'],
    );
    fake.requests.length = 0;
    const replace = file(
      'replace.userupdate.json',
      `{"$user_id": "${ADA}", "$metadata": "replace", "public_metadata": {"role": "owner"}}`,
    );
    assert.equal((await send([replace])).code, 0);
    assert.deepEqual(
      fake.requests.map((q) => q.method),
      ['GET', 'PUT'],
    );
    assert.deepEqual(fake.users.get(ADA)?.public_metadata, { role: 'owner' });
  });

  it('does not send the PUT when the PATCH fails, and prints Clerk code, field and trace id', async () => {
    const name = file(
      'taken.userupdate.json',
      `{"$user_id": "${ADA}", "username": "grace_h", "public_metadata": {"x": 1}}`,
    );
    const r = await send([name]);
    assert.equal(r.code, 1);
    assert.match(r.err(), /form_identifier_exists \[username\]: That username is taken/);
    assert.match(r.err(), /trace id: [0-9a-f]{32}/);
    assert.match(
      r.err(),
      /PATCH \/v1\/users\/user_\w+\/metadata was not sent because the step before it failed/,
    );
    assert.deepEqual(
      fake.requests.map((q) => q.method),
      ['GET', 'PATCH'],
    );
  });

  it('lets --user-id override $user_id and the file version override --api-version', async () => {
    const name = file(
      'override.userupdate.json',
      `{"$user_id": "user_nobody", "$api_version": "2025-11-10", "public_metadata": {"v": 2025}}`,
    );
    const r = await send(['--user-id', DEMO_USER_IDS.grace, '--api-version', '2026-05-12', name]);
    assert.equal(r.code, 0, r.err());
    assert.deepEqual(
      fake.requests.map((q) => `${q.method} ${q.path}`),
      [`GET /v1/users/${DEMO_USER_IDS.grace}`, `PATCH /v1/users/${DEMO_USER_IDS.grace}/metadata`],
    );
    assert.equal(fake.requests[1].headers['clerk-api-version'], '2025-11-10');
  });

  it('blocks on validation errors and sends nothing; prints warnings without blocking', async () => {
    const bad = file('bad.userupdate.json', `{"$user_id": "${ADA}", "first_name": 5}`);
    const r = await send([bad]);
    assert.equal(r.code, 1);
    assert.match(r.err(), /bad\.userupdate\.json:1:\d+ error wrong-type/);
    assert.equal(fake.requests.length, 0);
    const warn = file('warn.userupdate.json', `{"$user_id": "${DEMO_USER_IDS.linus}", "username": ""}`);
    const w = await send([warn]);
    assert.equal(w.code, 0, w.err());
    assert.match(w.err(), /warning username-deletion/);
    assert.equal(fake.users.get(DEMO_USER_IDS.linus)?.username, null);
  });

  it('--dry-run prints the exact requests with key and secrets redacted, a field summary, and sends nothing', async () => {
    const name = file(
      'dry.userupdate.json',
      `{\n  "$user_id": "${ADA}",\n  "first_name": "Augusta",\n  "password": "${PASSWORD}",\n  "public_metadata": {"plan": "team"}\n}\n`,
    );
    const r = await send(['--dry-run', name]);
    assert.equal(r.code, 0, r.err());
    const out = r.out();
    assert.ok(out.startsWith('Dry run: nothing is sent.\n'));
    assert.ok(
      out.includes(
        `PATCH ${fake.url}/v1/users/${ADA}\nAuthorization: Bearer [redacted sk_test_… key]\nClerk-API-Version: 2026-05-12\n`,
      ),
    );
    assert.ok(out.includes('\n{\n  "first_name": "Augusta",\n  "password": "[redacted]"\n}\n'));
    assert.ok(out.includes(`PATCH ${fake.url}/v1/users/${ADA}/metadata\n`));
    assert.ok(out.includes('\n{\n  "public_metadata": {"plan": "team"}\n}\n'));
    assert.match(out, /first_name: "(Ada|Augusta Ada)" → "Augusta"/);
    assert.match(out, /password: \(set\) → \(will be set\)/);
    assert.match(out, /\n {2}public_metadata\.plan: \S+ → "team"\n/);
    assert.deepEqual(
      fake.requests.map((q) => q.method),
      ['GET'],
    );
    // Without any key it still prints the requests.
    const noKey = await send(['--dry-run', name], null);
    assert.equal(noKey.code, 0);
    assert.match(noKey.out(), /Authorization: Bearer \[no valid secret key\]/);
  });

  it('needs --yes for a live key when there is no terminal, and never asks', async () => {
    const name = file('live.userupdate.json', `{"$user_id": "${ADA}", "first_name": "Live"}`);
    const refused = await send([name], FAKE_LIVE_KEY);
    assert.equal(refused.code, 2);
    assert.match(refused.err(), /production key\. Pass --yes/);
    assert.equal(refused.asked.length, 0);
    assert.equal(fake.requestsTo('PATCH').length, 0);

    const declined = await send([name], FAKE_LIVE_KEY, true, false);
    assert.equal(declined.code, 1);
    assert.match(
      declined.asked[0] ?? '',
      /^PRODUCTION instance http:\/\/127\.0\.0\.1:\d+: update .+ \(user_\w+\), changing first_name\?$/,
    );
    assert.equal(fake.requestsTo('PATCH').length, 0);

    const confirmed = await send([name], FAKE_LIVE_KEY, true, true);
    assert.equal(confirmed.code, 0, confirmed.err());
    assert.equal(fake.requestsTo('PATCH').length, 1);

    const yes = await send(['--yes', name], `  ${FAKE_LIVE_KEY}\n`);
    assert.equal(yes.code, 0, yes.err());
    assert.equal(yes.asked.length, 0);
    assert.equal(fake.requestsTo('PATCH').length, 2);
    assert.equal(fake.requestsTo('PATCH')[1].auth.keyLabel, 'live');
  });

  it('retries a 429 visibly and reports faults with a clear message and exit 1', async () => {
    const name = file(
      'faults.userupdate.json',
      `{"$user_id": "${DEMO_USER_IDS.katherine}", "first_name": "Kathy"}`,
    );
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 0 });
    const limited = await send([name]);
    assert.equal(limited.code, 0, limited.err());
    assert.match(
      limited.err(),
      /rate-limited the request \(429\); waiting 0 s as Retry-After asks before try 2 of 3/,
    );
    assert.match(limited.out(), /after 2 tries/);

    fake.setFault({ kind: 'html502', method: 'PATCH' });
    const r502 = await send([name]);
    assert.equal(r502.code, 1);
    assert.match(r502.err(), /Clerk returned 502 Bad Gateway with an HTML page instead of JSON/);
    assert.match(r502.err(), /trace id: [0-9a-f]{16}-LHR/);

    // Held and never released: only --timeout can end it. The timeout leaves the read before the
    // PATCH time to be answered on a loaded machine: only the PATCH is held.
    fake.hold({ method: 'PATCH' });
    const slow = await send(['--timeout', '3', name]);
    assert.equal(slow.code, 1);
    assert.match(slow.err(), /did not answer within 3 s/);
    assert.equal((await fake.waitForRequest((q) => q.fault === 'hold')).clientGone, true);
    assert.equal(
      fake.requestsTo('PATCH').filter((q) => q.fault === 'hold').length,
      1,
      'no PATCH repeated after a timeout',
    );
  });

  it('refuses a missing, publishable or malformed key with exit 2 and no echo', async () => {
    const name = file('k.userupdate.json', `{"$user_id": "${ADA}", "first_name": "K"}`);
    const missing = await send([name], null);
    assert.equal(missing.code, 2);
    assert.match(missing.err(), /CLERK_SECRET_KEY is not set/);
    const pk = 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k';
    const publishable = await send([name], pk);
    assert.equal(publishable.code, 2);
    assert.match(publishable.err(), /publishable key/);
    assert.ok(!publishable.err().includes(pk));
    const inner = await send([name], 'sk_test_abc\ndef');
    assert.equal(inner.code, 2);
    assert.match(inner.err(), /whitespace or a line break inside it/);
    const http = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
    assert.equal(await runSend(['--api-url', 'http://api.example.com', name], http.io), 2);
    assert.match(http.err(), /uses http:\/\//);
    assert.equal(fake.requests.length, 0);
  });

  it('pull prints an exact, valid update file', async () => {
    const c = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
    const code = await runPull(
      ['--api-url', fake.url, '--api-version', '2025-11-10', DEMO_USER_IDS.alan],
      c.io,
    );
    assert.equal(code, 0, c.err());
    assert.equal(
      c.out(),
      `{
  "$user_id": "${DEMO_USER_IDS.alan}",
  "$api_version": "2025-11-10",
  "$metadata": "replace",
  "first_name": "Alan",
  "last_name": "Turing",
  "primary_email_address_id": "idn_2zKpW4AlanTuringMail00001",
  "primary_web3_wallet_id": "idn_2zKpW4AlanTuringWallet001",
  "delete_self_enabled": false,
  "create_organization_enabled": true,
  "bypass_client_trust": false,
  "public_metadata": {},
  "private_metadata": {},
  "unsafe_metadata": {}
}
`,
    );
    for (const version of ['2021-02-05', '2026-05-12'] as const) {
      for (const id of Object.values(DEMO_USER_IDS)) {
        const p = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
        assert.equal(await runPull(['--api-url', fake.url, '--api-version', version, id], p.io), 0);
        const analysis = analyzeDocument(p.out(), { defaultApiVersion: '2026-05-12' });
        assert.equal(analysis.hasErrors, false, `${id} ${version}: ${JSON.stringify(analysis.diagnostics)}`);
        assert.equal(analysis.userId, id);
        assert.ok(!p.out().includes('created_at') && !p.out().includes('legal_accepted_at'));
      }
    }
    // Sending a pulled file back changes nothing.
    const pulled = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
    await runPull(['--api-url', fake.url, DEMO_USER_IDS.katherine], pulled.io);
    const before = JSON.stringify(fake.users.get(DEMO_USER_IDS.katherine));
    const name = file('pulled.userupdate.json', pulled.out());
    assert.equal((await send([name])).code, 0);
    const afterUser = fake.users.get(DEMO_USER_IDS.katherine);
    assert.equal(JSON.stringify(afterUser), before);
    assert.equal(readFileSync(join(dir, name), 'utf8'), pulled.out());
  });

  it('pull reports a missing user and bad usage', async () => {
    const c = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
    assert.equal(await runPull(['--api-url', fake.url, 'user_missing'], c.io), 1);
    assert.match(c.err(), /No user was found with id user_missing/);
    const u = capture({ CLERK_SECRET_KEY: FAKE_TEST_KEY }, dir);
    assert.equal(await runPull([], u.io), 2);
  });
});
