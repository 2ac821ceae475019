// Faults for the CLI: fault injection, guards and secrets. The bundled CLI runs as a real process
// (`node dist/cli.js send …`, CLERK_SECRET_KEY in its environment, stdin a pipe and never a
// terminal unless a test gives it a pseudo-terminal) against a fake Clerk in this process, whose
// request log proves what was sent.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import type { FakeFault, FakeFaultKind } from '../../../src/fake/server';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { SECRET_FIELD_VALUES, secretsIn } from '../../support/secrets';
import { type SpawnedRun, spawnCli as spawnCliProcess } from '../../support/cli';
import { bundle, ROOT } from '../../support/dist';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'faults');
const GRACE_PATH = `/v1/users/${DEMO_USER_IDS.grace}`;
const LINUS_PATH = `/v1/users/${DEMO_USER_IDS.linus}`;
const GRACE_FILE = 'grace.userupdate.json';
/** Stack frames or the CLI's last-resort handler: a fault must never end like this. */
const CRASH = /Internal error|^\s+at .+:\d+:\d+\)?$/m;

type Run = Omit<SpawnedRun, 'ms'>;

/** Everything every CLI run printed, for the secret checks at the end. */
const printed: string[] = [];

describe('CLI send under faults and guards (spawned node dist/cli.js)', () => {
  let cli = '';
  let dir = '';
  let fake: FakeClerk;

  /**
   * `node cli.js send --api-url <fake> …args` in the work folder. `key` null leaves
   * CLERK_SECRET_KEY unset. stdin is a pipe that is never written or closed.
   */
  function send(args: string[], options: { key?: string | null; apiUrl?: string } = {}): Promise<Run> {
    const key = options.key === undefined ? FAKE_TEST_KEY : options.key;
    return spawnCli(['send', '--api-url', options.apiUrl ?? fake.url, ...args], key);
  }

  async function spawnCli(args: string[], key: string | null): Promise<Run> {
    const run = await spawnCliProcess(cli, args, {
      cwd: dir,
      env: key === null ? {} : { CLERK_SECRET_KEY: key },
    });
    printed.push(run.stdout, run.stderr);
    return run;
  }

  const fileText = (name: string): Buffer => readFileSync(join(dir, name));
  const patches = (path = GRACE_PATH) => fake.requestsTo('PATCH', path);

  before(async () => {
    cli = bundle('cli.js');
    dir = mkdtempSync(join(tmpdir(), 'cuu-cli-faults-'));
    cpSync(FIXTURES, dir, { recursive: true });
    fake = await startFake();
  });

  after(async () => {
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });

  interface FaultCase {
    name: string;
    fault?: FakeFault;
    /** The PATCH is held by the fake (never answered) until the CLI gives up on it. */
    hold?: true;
    args?: string[];
    apiUrl?: string;
    /** The whole "not updated:" line. */
    message: RegExp;
    /** PATCHes the fake records (0 when the request cannot reach it). */
    patches: 0 | 1;
  }

  const maybe = 'The change may or may not have been applied\\.';
  const probably =
    'Clerk answered with success, so the change was probably applied; check the user before sending it again\\.';
  const line = (text: string) =>
    new RegExp(`^${GRACE_FILE.replace(/\./g, '\\.')}: not updated: ${text}$`, 'm');
  const FAULTS: FaultCase[] = [
    {
      name: 'a 500 with Clerk’s error envelope',
      fault: { kind: 'status500', method: 'PATCH' },
      message: line(
        `Clerk returned 500 Internal Server Error \\(internal_clerk_error\\): There was an internal error on our servers\\. We've been notified and are working on fixing it\\. ${maybe}`,
      ),
      patches: 1,
    },
    {
      name: 'an HTML 502 from a proxy',
      fault: { kind: 'html502', method: 'PATCH' },
      message: line(`Clerk returned 502 Bad Gateway with an HTML page instead of JSON\\. ${maybe}`),
      patches: 1,
    },
    {
      name: 'a connection reset before the response',
      fault: { kind: 'reset', method: 'PATCH' },
      message: line(`The connection to 127\\.0\\.0\\.1:\\d+ was reset before Clerk answered\\. ${maybe}`),
      patches: 1,
    },
    {
      name: 'a response slower than --timeout',
      hold: true,
      // Long enough that the read before the PATCH is answered on a loaded machine: only the PATCH is held.
      args: ['--timeout', '3'],
      message: line(`Clerk did not answer within 3 s \\(timeout\\)\\. ${maybe}`),
      patches: 1,
    },
    {
      name: 'a malformed JSON body',
      fault: { kind: 'malformed-json', method: 'PATCH' },
      message: line(`Clerk returned 200 OK with a malformed JSON body\\. ${probably}`),
      patches: 1,
    },
    {
      name: 'a 429 without Retry-After when retries are off (--retries 0)',
      fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: null },
      args: ['--retries', '0'],
      message: line(
        'Clerk rate-limited the request \\(429 Too Many Requests\\), without saying when to retry\\. It was not applied\\.',
      ),
      patches: 1,
    },
    {
      name: 'a 10 MB response',
      fault: { kind: 'huge', method: 'PATCH' },
      message: line(
        `Clerk's response \\(200 OK\\) was larger than 5 MB and was not read to the end\\. ${probably}`,
      ),
      patches: 1,
    },
    {
      name: 'an API host that does not resolve (DNS failure)',
      apiUrl: 'https://api.clerk-uu-test.invalid',
      message: line(
        'Could not resolve host api\\.clerk-uu-test\\.invalid\\. Check the API URL and your network\\.',
      ),
      patches: 0,
    },
  ];

  for (const c of FAULTS) {
    it(`${c.name}: exit 1, a message naming the cause, the file unchanged, no second PATCH`, async () => {
      const text = fileText(GRACE_FILE);
      const user = structuredClone(fake.users.get(DEMO_USER_IDS.grace));
      const before = fake.requests.length;
      if (c.fault) fake.setFault({ ...c.fault, path: GRACE_PATH });
      if (c.hold) fake.hold({ method: 'PATCH', path: GRACE_PATH });
      const r = await send([...(c.args ?? []), GRACE_FILE], { apiUrl: c.apiUrl });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, c.message);
      assert.doesNotMatch(r.stderr + r.stdout, CRASH);
      assert.doesNotMatch(r.stdout, /Updated/);
      assert.deepEqual(fileText(GRACE_FILE), text, 'the file is unchanged');
      // The process has exited: the log is final. The read of the user, one PATCH, and nothing else.
      const sent = fake.requests.slice(before);
      assert.deepEqual(
        sent.map((q) => `${q.method} ${q.path}`),
        c.patches ? [`GET ${GRACE_PATH}`, `PATCH ${GRACE_PATH}`] : [],
      );
      if (c.fault || c.hold) {
        const patch = sent.find((q) => q.method === 'PATCH')!;
        const record = await fake.waitForRequest((q) => q.seq === patch.seq, 5000);
        assert.equal(record.fault, c.hold ? 'hold' : (c.fault?.kind as FakeFaultKind));
        if (c.hold)
          assert.equal(record.clientGone, true, 'the fake saw the CLI give up and did not apply the PATCH');
      }
      assert.deepEqual(fake.users.get(DEMO_USER_IDS.grace), user, 'the user is unchanged');
    });
  }

  it('a 429 with Retry-After is retried after the wait, then succeeds: exactly 2 PATCHes', async () => {
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', path: GRACE_PATH, retryAfterSeconds: 1 });
    const before = patches().length;
    const r = await send([GRACE_FILE]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^grace\.userupdate\.json: Clerk rate-limited the request \(429\); waiting 1 s as Retry-After asks before try 2 of 3…$/m,
    );
    assert.match(r.stdout, new RegExp(`PATCH ${GRACE_PATH} → 200 in \\d+ ms \\(trace \\S+\\) after 2 tries`));
    const sent = patches().slice(before);
    assert.deepEqual(
      sent.map((q) => q.status),
      [429, 200],
    );
    assert.ok(
      sent[1].time - sent[0].time >= 950,
      `waited ${sent[1].time - sent[0].time} ms for Retry-After: 1`,
    );
  });

  it('a 429 that does not end stops after --retries, with every try visible', async () => {
    fake.setFault({
      kind: 'rate-limit',
      method: 'PATCH',
      path: GRACE_PATH,
      retryAfterSeconds: 0,
      persistent: true,
    });
    const before = patches().length;
    const r = await send(['--retries', '2', GRACE_FILE]);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /not updated: Clerk rate-limited the request \(429 Too Many Requests\), asking to retry after 0 s\. It was not applied\. Gave up after 3 tries\./,
    );
    assert.equal(r.stderr.match(/waiting 0 s as Retry-After asks/g)?.length, 2);
    assert.equal(patches().length - before, 3);
    const usage = await send(['--retries', 'many', GRACE_FILE]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--retries needs a whole number from 0 to 10\./);
  });

  it('a production key without --yes sends nothing (exit 2); with --yes it sends once', async () => {
    const before = fake.requests.length;
    const refused = await send([GRACE_FILE], { key: FAKE_LIVE_KEY });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^grace\.userupdate\.json: not sent: sk_live_… is a production key\. Pass --yes to send with it\.$/m,
    );
    assert.equal(fake.requests.length, before, 'no request at all, not even a read');

    const confirmed = await send(['--yes', GRACE_FILE], { key: FAKE_LIVE_KEY });
    assert.equal(confirmed.code, 0, confirmed.stderr);
    const sent = fake.requests.slice(before);
    assert.deepEqual(
      sent.map((q) => `${q.method} ${q.auth.keyLabel}`),
      ['GET live', 'PATCH live'],
    );
  });

  it('at a terminal, a production send happens only on "y": n, Enter, Ctrl+D and Ctrl+C send nothing', async (t) => {
    // `script` gives the CLI a pseudo-terminal, so it asks; the answer is typed once the question shows.
    if (spawnSync('script', ['--version']).status !== 0)
      return t.skip('util-linux `script` is not installed');
    const ask = (answer: string): Promise<Run> =>
      new Promise((resolve, reject) => {
        const command = `'${process.execPath}' '${cli}' send --api-url ${fake.url} ${GRACE_FILE}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', CLERK_SECRET_KEY: FAKE_LIVE_KEY },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        let typed = false;
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (!typed && out.includes('[y/N]')) {
            typed = true;
            child.stdin.write(answer);
          }
        });
        const timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`the prompt did not end after ${JSON.stringify(answer)}: ${JSON.stringify(out)}`));
        }, 10_000);
        child.on('close', (code) => {
          clearTimeout(timer);
          printed.push(out);
          resolve({ code, stdout: out, stderr: '' });
        });
      });
    const before = patches().length;
    for (const [answer, code, said] of [
      ['n\r', 1, /not sent \(not confirmed\)/],
      ['\r', 1, /not sent \(not confirmed\)/],
      ['\x04', 1, /not sent \(not confirmed\)/],
      ['\x03', 130, /Interrupted: nothing more is sent\./],
    ] as const) {
      const r = await ask(answer);
      assert.match(
        r.stdout,
        /PRODUCTION instance http:\/\/127\.0\.0\.1:\d+: update Grace \S+ ?\S* \(user_2yGmR8cQkT4vNw7PzL1aXbE9sHd\), changing first_name, last_name\? \[y\/N\]/,
      );
      assert.equal(r.code, code, `${JSON.stringify(answer)}: ${r.stdout}`);
      assert.match(r.stdout, said);
      assert.doesNotMatch(r.stdout, CRASH);
      assert.equal(patches().length, before, `${JSON.stringify(answer)} sent nothing`);
    }
    const yes = await ask('y\r');
    assert.equal(yes.code, 0, yes.stdout);
    assert.match(yes.stdout, /Updated Grace/);
    assert.equal(patches().length, before + 1);
  });

  it('refuses http:// to a host that is not loopback before any request', async () => {
    // A fake on every interface, addressed by this machine's non-loopback address: were the guard
    // missing, the request would reach it.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    const other = await startFake({ host: '0.0.0.0' });
    try {
      const urls = ['http://api.clerk.com', 'http://clerk.example.com:8080/'];
      if (lan) {
        const url = `http://${lan.address}:${other.port}`;
        assert.equal(
          (await fetch(`${url}/__fake/requests`)).status,
          200,
          'the other fake is reachable there',
        );
        urls.push(url);
      }
      for (const url of urls) {
        for (const extra of [[], ['--dry-run']]) {
          const r = await send([...extra, GRACE_FILE], { apiUrl: url });
          assert.equal(r.code, 2, url);
          assert.match(
            r.stderr,
            /^send: The Clerk API URL http:\/\/\S+ uses http:\/\/\. Secret keys are only sent over https:\/\/, except to a loopback host \(localhost, 127\.0\.0\.1, ::1\)\.$/m,
          );
        }
      }
      assert.equal(other.requests.length, 0, 'nothing reached the non-loopback host');
    } finally {
      await other.stop();
    }
  });

  it('does not follow a redirect to another host, so the key never reaches it', async () => {
    const other = await startFake();
    try {
      for (const redirectStatus of [302, 307, 308] as const) {
        const before = patches().length;
        fake.setFault({
          kind: 'redirect',
          method: 'PATCH',
          path: GRACE_PATH,
          location: other.url,
          redirectStatus,
        });
        const r = await send([GRACE_FILE]);
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          r.stderr,
          line(
            `The API answered ${redirectStatus} [A-Za-z ]+, a redirect to another host \\(http://127\\.0\\.0\\.1:${other.port}\\)\\. It was not followed, so the secret key was not sent there\\. Check the API URL\\.`,
          ),
        );
        assert.equal(patches().length - before, 1);
      }
      assert.deepEqual(other.requests, [], 'the other host got no request, so no Authorization header');
    } finally {
      await other.stop();
    }
  });

  it('trims whitespace and line breaks around a key, and refuses whitespace inside it', async () => {
    const before = patches().length;
    const trimmed = await send([GRACE_FILE], { key: `\n  ${FAKE_TEST_KEY}\t\r\n` });
    assert.equal(trimmed.code, 0, trimmed.stderr);
    const sent = patches().slice(before);
    assert.equal(sent.length, 1);
    assert.deepEqual(sent[0].auth, { status: 'ok', keyLabel: 'test' });

    const count = fake.requests.length;
    for (const inside of [' ', '\n', '\r\n', '\t']) {
      const key = `${FAKE_TEST_KEY.slice(0, 20)}${inside}${FAKE_TEST_KEY.slice(20)}`;
      const r = await send([GRACE_FILE], { key });
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^send: The Clerk secret key contains whitespace or a line break inside it\. Copy it again from the Clerk Dashboard \(API keys\) as a single line\.$/m,
      );
      assert.ok(
        !r.stderr.includes(FAKE_TEST_KEY.slice(8, 20)) && !r.stderr.includes(FAKE_TEST_KEY.slice(20)),
        'no part of the key is echoed',
      );
    }
    assert.equal(fake.requests.length, count, 'a refused key sends nothing');
  });

  it('a scripted session of dry runs, sends, failures and retries never prints the key or a secret value', async () => {
    writeFileSync(
      join(dir, 'secrets-blocked.userupdate.json'),
      `{\n  "$user_id": "${DEMO_USER_IDS.linus}",\n  "password": "${SECRET_FIELD_VALUES.password}",\n  "password_digest": "${SECRET_FIELD_VALUES.password_digest}",\n  "password_hasher": "bcrypt"\n}\n`,
    );
    const files = ['secrets-password.userupdate.json', 'secrets-digest.userupdate.json'];
    const session: Array<{
      args: string[];
      key?: string | null;
      fault?: FakeFault;
      hold?: true;
      code: number;
      expect?: RegExp;
    }> = [
      { args: ['--dry-run', ...files], code: 0, expect: /"password": "\[redacted\]"/ },
      { args: ['--dry-run', ...files], key: null, code: 0, expect: /Bearer \[no valid secret key\]/ },
      {
        args: ['--dry-run', '--yes', ...files],
        key: FAKE_LIVE_KEY,
        code: 0,
        expect: /"password_digest": "\[redacted\]"/,
      },
      { args: [files[0]], code: 0, expect: /Updated / },
      {
        args: [files[1]],
        fault: { kind: 'status500', method: 'PATCH' },
        code: 1,
        expect: /500 Internal Server Error/,
      },
      {
        args: [files[0]],
        fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 0 },
        code: 0,
        expect: /after 2 tries/,
      },
      { args: ['--timeout', '3', files[0]], hold: true, code: 1, expect: /timeout/ },
      { args: [files[1]], fault: { kind: 'reset', method: 'PATCH' }, code: 1, expect: /was reset/ },
      {
        args: ['--yes', files[0]],
        key: FAKE_LIVE_KEY,
        fault: { kind: 'malformed-json', method: 'PATCH' },
        code: 1,
        expect: /malformed JSON/,
      },
      {
        args: ['--retries', '0', files[1]],
        fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: null },
        code: 1,
        expect: /rate-limited/,
      },
      { args: [files[0]], fault: { kind: 'html502', method: 'PATCH' }, code: 1, expect: /HTML page/ },
      { args: ['secrets-blocked.userupdate.json'], code: 1, expect: /password-and-digest/ },
      {
        args: [files[1]],
        key: `${FAKE_TEST_KEY.slice(0, 12)} ${FAKE_TEST_KEY.slice(12)}`,
        code: 2,
        expect: /whitespace or a line break inside/,
      },
      {
        args: files,
        key: 'sk_test_WrongButDistinct0123456789',
        code: 1,
        expect: /Clerk refused the secret key/,
      },
    ];
    const output: string[] = [];
    for (const step of session) {
      fake.clearFaults();
      if (step.fault) fake.setFault({ ...step.fault, path: LINUS_PATH });
      if (step.hold) fake.hold({ method: 'PATCH', path: LINUS_PATH });
      const r = await send(step.args, { key: step.key });
      assert.equal(r.code, step.code, `${step.args.join(' ')}: ${r.stderr}`);
      if (step.expect) assert.match(r.stdout + r.stderr, step.expect, step.args.join(' '));
      assert.doesNotMatch(r.stdout + r.stderr, CRASH);
      output.push(r.stdout, r.stderr);
    }
    // The secrets were really sent (so printing them would have been possible)…
    const bodies = fake
      .requestsTo('PATCH', LINUS_PATH)
      .map((q) => q.body)
      .join('\n');
    for (const value of Object.values(SECRET_FIELD_VALUES))
      assert.ok(bodies.includes(value), 'the fake received every secret value');
    // …and none of them, nor the key, was printed.
    assert.deepEqual(secretsIn(output.join('\n')), []);
    assert.ok(!output.join('\n').includes('WrongButDistinct'), 'a refused key is not echoed either');
  });

  after(() => {
    // Every run of this file, faults and guards included.
    assert.deepEqual(
      secretsIn(printed.join('\n')),
      [],
      'no CLI output of this file contains a key or secret value',
    );
  });
});
