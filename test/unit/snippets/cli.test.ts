import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../src/cli/main';
import { captureIO } from '../../support/cli';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { SAMPLES, sendableSamples } from './helpers';

async function cli(
  args: string[],
  env: Record<string, string | undefined> = {},
  cwd = SAMPLES,
): Promise<{ code: number; out: string; err: string }> {
  const captured = captureIO({ cwd, env });
  const code = await main(args, captured.io);
  return { code, out: captured.stdout(), err: captured.stderr() };
}

function bash(script: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

const PASSWORD = 'Orbit-Trajectory-1962!';

describe('node dist/cli.js snippet', () => {
  let fake: FakeClerk;
  let dir: string;
  before(async () => {
    fake = await startFake({ rateLimit: false });
    dir = mkdtempSync(join(tmpdir(), 'uu-snippet-cli-'));
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the curl text, run in bash with CLERK_SECRET_KEY set, makes exactly the writes a send makes', async () => {
    const env = { CLERK_SECRET_KEY: FAKE_TEST_KEY, USER_PASSWORD: PASSWORD };
    const seen = (from: number) =>
      fake.requests.slice(from).map((r) => ({
        method: r.method,
        path: r.path,
        query: r.query,
        body: r.body,
        version: r.headers['clerk-api-version'],
        type: r.headers['content-type'],
        status: r.status,
      }));
    for (const name of sendableSamples()) {
      const start = fake.requests.length;
      const sent = await cli(['send', '--api-url', fake.url, name], env);
      assert.equal(sent.code, 0, sent.err);
      // A send reads the user first (for the history); the snippet is the update: the writes.
      const bySend = seen(start).filter((r) => r.method !== 'GET');
      const snippet = await cli(['snippet', '--lang', 'curl', '--api-url', fake.url, name]);
      assert.equal(snippet.code, 0, snippet.err);
      assert.ok(!snippet.out.includes(FAKE_TEST_KEY) && !snippet.out.includes(PASSWORD));
      const middle = fake.requests.length;
      assert.equal(await bash(snippet.out, env), 0, name);
      assert.ok(bySend.length > 0);
      assert.deepEqual(seen(middle), bySend, name);
    }
  });

  it('prints each language, refuses a file with errors (exit 1) and a bad --lang (exit 2)', async () => {
    for (const lang of ['curl', 'ts', 'rust'])
      assert.equal((await cli(['snippet', '--lang', lang, 'rename-user.userupdate.json'])).code, 0);
    const bad = await cli(['snippet', '--lang', 'curl', 'mistakes.userupdate.json']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /^mistakes\.userupdate\.json: No snippet: fix line 3: /);
    const lang = await cli(['snippet', '--lang', 'go', 'rename-user.userupdate.json']);
    assert.equal(lang.code, 2);
    assert.match(lang.err, /^snippet: Unknown language "go"\. One of curl, ts, rust\./);
  });

  it('the API URL: --api-url, else CLERK_API_URL, else https://api.clerk.com; CLERK_API_VERSION is not the dated version', async () => {
    const url = async (args: string[], env: Record<string, string>) =>
      /curl .* '(https?:\/\/[^/]+)\/v1/.exec(
        (await cli(['snippet', '--lang', 'curl', ...args, 'rename-user.userupdate.json'], env)).out,
      )?.[1];
    assert.equal(await url([], {}), 'https://api.clerk.com');
    assert.equal(
      await url([], { CLERK_API_URL: 'https://clerk.example.test' }),
      'https://clerk.example.test',
    );
    assert.equal(
      await url(['--api-url', 'http://127.0.0.1:9'], { CLERK_API_URL: 'https://clerk.example.test' }),
      'http://127.0.0.1:9',
    );
    const versioned = await cli(['snippet', '--lang', 'curl', 'set-username.userupdate.json'], {
      CLERK_API_VERSION: 'v1',
    });
    assert.match(versioned.out, /Clerk-API-Version: 2026-05-12/);
  });

  it('send reads CLERK_API_URL too, and --env-file takes the key and the URL from a dotenv file as a pair', async () => {
    const before = fake.requests.length;
    const sent = await cli(['send', 'set-username.userupdate.json'], {
      CLERK_SECRET_KEY: FAKE_TEST_KEY,
      CLERK_API_URL: fake.url,
    });
    assert.equal(sent.code, 0, sent.err);
    assert.equal(fake.requests.length, before + 2, 'the read of the user and the PATCH');

    writeFileSync(
      join(dir, '.env.local'),
      `# from the quickstart\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZSQ\nCLERK_SECRET_KEY="${FAKE_TEST_KEY}"\nCLERK_API_URL=${fake.url}\n`,
    );
    // The process's own key and URL are not mixed with the file's.
    const fromFile = await cli(
      ['send', '--env-file', join(dir, '.env.local'), 'set-username.userupdate.json'],
      { CLERK_SECRET_KEY: 'sk_test_someoneelse', CLERK_API_URL: 'https://api.clerk.com' },
    );
    assert.equal(fromFile.code, 0, fromFile.err);
    assert.equal(fake.requests.length, before + 4);
    assert.equal(fake.requests.at(-1)?.auth.status, 'ok');

    writeFileSync(
      join(dir, 'publishable.env'),
      'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZSQ\n',
    );
    const onlyPublishable = await cli(
      ['send', '--env-file', join(dir, 'publishable.env'), 'set-username.userupdate.json'],
      {},
    );
    assert.equal(onlyPublishable.code, 2);
    assert.match(
      onlyPublishable.err,
      /^send: --env-file .*publishable\.env: no CLERK_SECRET_KEY with a secret key \(sk_test_… or sk_live_…\) in it\. It has only publishable/,
    );
    const missing = await cli(['pull', '--env-file', join(dir, 'nope.env'), 'user_1'], {});
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^pull: --env-file .*nope\.env: cannot read it \(no such file\)\.\n$/);
  });
});
