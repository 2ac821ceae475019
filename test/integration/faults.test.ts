// Faults in the editor: every fault of the fake Clerk, the guards the editor can prove, and a
// final sweep for leaked secrets. Production confirmations are modal and cannot be answered here;
// the browser e2e suite covers them (and the CLI tests cover them for the CLI).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import type { FakeFault, FakeRequestRecord } from '../../src/fake/server';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { secretsIn } from '../support/secrets';
import {
  activateExtension,
  closeAllEditors,
  EXTENSION_ID,
  firstSettled,
  fixturePath,
  openFixture,
  waitForEvent,
} from './helpers';
import { filesUnder, updateUserSetting, useFake } from './clerk';

interface SendResult {
  status: string;
  message: string;
  failureKind?: string;
  steps?: { method: string; path: string; status?: number }[];
  traceId?: string;
}

interface Api {
  paths: { logs: string; globalStorage: string; workspaceStorage?: string };
}

interface EnvironmentSetting {
  name: string;
  apiUrl: string;
}

const GRACE_FILE = 'faults/grace.userupdate.json';
const GRACE_PATH = `/v1/users/${DEMO_USER_IDS.grace}`;
const SECRET_FILES = ['faults/secrets-password.userupdate.json', 'faults/secrets-digest.userupdate.json'];
const LINUS_PATH = `/v1/users/${DEMO_USER_IDS.linus}`;

/** Every message a send or preview returned in this suite: the text its notification shows. */
const messages: string[] = [];

async function send(uri: vscode.Uri): Promise<SendResult> {
  const result = (await vscode.commands.executeCommand<SendResult>(
    'clerkUserUpdate.sendUpdate',
    uri,
  )) as SendResult;
  messages.push(result.message);
  return result;
}

/** This machine's first non-loopback IPv4 address, if any. */
function lanAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
}

suite('faults and guards in the editor', () => {
  let fake: FakeClerk;
  let api: Api;
  const fakeEnvironment = (): EnvironmentSetting => ({ name: 'Fake', apiUrl: fake.url });

  /**
   * Makes `environment` (next to the Fake one) active with the test key for `fn`, then makes the
   * Fake one active again and forgets the other and its key.
   */
  async function withEnvironment<T>(environment: EnvironmentSetting, fn: () => Promise<T>): Promise<T> {
    await updateUserSetting('environments', [fakeEnvironment(), environment]);
    try {
      assert.equal(
        await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', environment.name),
        true,
      );
      assert.equal(
        await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
          environment: environment.name,
          key: FAKE_TEST_KEY,
        }),
        true,
      );
      return await fn();
    } finally {
      await vscode.commands.executeCommand('clerkUserUpdate.removeKey', environment.name);
      assert.equal(await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake'), true);
      await updateUserSetting('environments', [fakeEnvironment()]);
    }
  }

  /** The file as it is on disk and in its editor, to check a send leaves both alone. */
  function snapshot(document: vscode.TextDocument): () => void {
    const disk = fs.readFileSync(document.uri.fsPath, 'utf8');
    const shown = document.getText();
    const version = document.version;
    return () => {
      assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), disk, 'the file on disk is unchanged');
      assert.equal(document.getText(), shown, 'the text in the editor is unchanged');
      assert.equal(document.version, version, 'the document was not edited');
      assert.equal(document.isDirty, false);
    };
  }

  const patchesSince = (seq: number, p = GRACE_PATH): FakeRequestRecord[] =>
    fake.requests.filter((r) => r.seq > seq && r.method === 'PATCH' && r.path === p);
  const lastSeq = (): number => fake.requests.at(-1)?.seq ?? 0;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture(GRACE_FILE);
    api = (await activateExtension()).exports as Api;
    await useFake(fake);
  });
  suiteTeardown(async () => {
    await updateUserSetting('requestTimeoutSeconds', undefined);
    await updateUserSetting('maxRateLimitRetries', undefined);
    await fake?.stop();
  });
  setup(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });
  teardown(closeAllEditors);

  interface FaultCase {
    name: string;
    fault?: FakeFault;
    /** The PATCH is held by the fake (never answered) until the extension gives up on it. */
    hold?: true;
    settings?: { requestTimeoutSeconds?: number; maxRateLimitRetries?: number };
    environment?: EnvironmentSetting;
    status: 'failed' | 'sent';
    kind?: string;
    message: RegExp;
    /** The HTTP statuses of the PATCHes the fake records (0: reset or dropped). */
    patches: number[];
  }

  const maybe = 'The change may or may not have been applied\\.';
  const probably =
    'Clerk answered with success, so the change was probably applied; check the user before sending it again\\.';
  const FAULTS: FaultCase[] = [
    {
      name: 'a 500',
      fault: { kind: 'status500', method: 'PATCH' },
      status: 'failed',
      kind: 'server',
      message: new RegExp(
        `^Clerk returned 500 Internal Server Error \\(internal_clerk_error\\): There was an internal error on our servers\\. We've been notified and are working on fixing it\\. ${maybe}$`,
      ),
      patches: [500],
    },
    {
      name: 'an HTML 502',
      fault: { kind: 'html502', method: 'PATCH' },
      status: 'failed',
      kind: 'server',
      message: new RegExp(`^Clerk returned 502 Bad Gateway with an HTML page instead of JSON\\. ${maybe}$`),
      patches: [502],
    },
    {
      name: 'a connection reset before the response',
      fault: { kind: 'reset', method: 'PATCH' },
      status: 'failed',
      kind: 'connection',
      message: new RegExp(
        `^The connection to 127\\.0\\.0\\.1:\\d+ was reset before Clerk answered\\. ${maybe}$`,
      ),
      patches: [0],
    },
    {
      name: 'a response slower than the timeout',
      hold: true,
      settings: { requestTimeoutSeconds: 1 },
      status: 'failed',
      kind: 'timeout',
      message: new RegExp(`^Clerk did not answer within 1 s \\(timeout\\)\\. ${maybe}$`),
      patches: [0],
    },
    {
      name: 'a malformed JSON body',
      fault: { kind: 'malformed-json', method: 'PATCH' },
      status: 'failed',
      kind: 'bad-response',
      message: new RegExp(`^Clerk returned 200 OK with a malformed JSON body\\. ${probably}$`),
      patches: [200],
    },
    {
      name: 'a 429 with Retry-After (retried once, then sent)',
      fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 1 },
      status: 'sent',
      message: /^Updated Grace Brewster Hopper \(user_2yGmR8cQkT4vNw7PzL1aXbE9sHd\)\.$/,
      patches: [429, 200],
    },
    {
      name: 'a 429 without Retry-After when retries are off',
      fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: null },
      settings: { maxRateLimitRetries: 0 },
      status: 'failed',
      kind: 'rate-limited',
      message:
        /^Clerk rate-limited the request \(429 Too Many Requests\), without saying when to retry\. It was not applied\.$/,
      patches: [429],
    },
    {
      name: 'a 429 that does not end (retries used up)',
      fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 0, persistent: true },
      settings: { maxRateLimitRetries: 1 },
      status: 'failed',
      kind: 'rate-limited',
      message:
        /^Clerk rate-limited the request \(429 Too Many Requests\), asking to retry after 0 s\. It was not applied\. Gave up after 2 tries\.$/,
      patches: [429, 429],
    },
    {
      name: 'a 10 MB response',
      fault: { kind: 'huge', method: 'PATCH' },
      status: 'failed',
      kind: 'too-large',
      message: new RegExp(
        `^Clerk's response \\(200 OK\\) was larger than 5 MB and was not read to the end\\. ${probably}$`,
      ),
      patches: [200],
    },
    {
      name: 'an API host that does not resolve (DNS failure)',
      environment: { name: 'Unresolvable', apiUrl: 'https://api.clerk-uu-test.invalid' },
      status: 'failed',
      kind: 'dns',
      message: /^Could not resolve host api\.clerk-uu-test\.invalid\. Check the API URL and your network\.$/,
      patches: [],
    },
  ];

  for (const c of FAULTS) {
    test(`${c.name}: ${c.status === 'sent' ? 'sent after the wait' : `failed (${c.kind})`}, the file unchanged, ${c.patches.length === 1 ? 'one PATCH' : `${c.patches.length} PATCHes`}, and the next send works`, async () => {
      const { document } = await openFixture(GRACE_FILE);
      const unchanged = snapshot(document);
      const start = lastSeq();
      const user = structuredClone(fake.users.get(DEMO_USER_IDS.grace));
      let result: SendResult;
      for (const [key, value] of Object.entries(c.settings ?? {})) await updateUserSetting(key, value);
      try {
        if (c.fault) fake.setFault({ ...c.fault, path: GRACE_PATH });
        // Not released: the fake drops it when the extension's timeout ends the connection.
        if (c.hold) fake.hold({ method: 'PATCH', path: GRACE_PATH });
        result = c.environment
          ? await withEnvironment(c.environment, () => send(document.uri))
          : await send(document.uri);
      } finally {
        fake.clearFaults();
        for (const key of Object.keys(c.settings ?? {})) await updateUserSetting(key, undefined);
      }
      assert.equal(result.status, c.status, result.message);
      assert.equal(result.failureKind, c.kind);
      assert.match(result.message, c.message);
      unchanged();

      const sent = patchesSince(start);
      await Promise.all(sent.map((r) => fake.waitForRequest((q) => q.seq === r.seq, 5000)));
      assert.deepEqual(
        sent.map((r) => r.status),
        c.patches,
      );
      if (c.hold) assert.equal(sent[0].clientGone, true, 'the fake saw the extension give up on the PATCH');
      if (c.status === 'failed') {
        assert.ok(
          sent.every((r) => !r.applied),
          'the fake applied nothing',
        );
        assert.deepEqual(fake.users.get(DEMO_USER_IDS.grace), user, 'the user is unchanged');
      }
      if (c.patches.length === 2 && c.fault?.retryAfterSeconds === 1) {
        assert.ok(
          sent[1].time - sent[0].time >= 950,
          `the retry waited for Retry-After (${sent[1].time - sent[0].time} ms)`,
        );
      }
      if (c.environment) assert.equal(lastSeq(), start, 'nothing reached the fake');

      // Nothing crashed: the same file sends again, with one more PATCH and no leftover one.
      const next = await send(document.uri);
      assert.equal(next.status, 'sent', next.message);
      assert.equal(patchesSince(start).length, c.patches.length + 1);
      assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
      unchanged();
    });
  }

  test('a double invoke and a burst of 10 invocations each lead to exactly one PATCH', async () => {
    const { document } = await openFixture(GRACE_FILE);
    const unchanged = snapshot(document);
    for (const count of [2, 10]) {
      const start = lastSeq();
      const held = fake.hold({ method: 'PATCH', path: GRACE_PATH });
      const sends = Array.from({ length: count }, () => send(document.uri));
      try {
        await held.arrived;
        // Every other invocation is answered while the one PATCH is still in flight.
        const early = await firstSettled(sends, count - 1);
        assert.deepEqual(
          early.map((r) => r.status),
          Array<string>(count - 1).fill('busy'),
        );
      } finally {
        held.release();
      }
      const results = await Promise.all(sends);
      assert.deepEqual(
        results.map((r) => r.status).sort(),
        ['sent', ...Array<string>(count - 1).fill('busy')].sort(),
      );
      for (const busy of results.filter((r) => r.status === 'busy')) {
        assert.equal(busy.message, 'A send for this file is already in flight; nothing was sent again.');
      }
      assert.equal(patchesSince(start).length, 1, `${count} invocations, one PATCH`);
    }
    unchanged();
  });

  test('two files targeting two users send in parallel', async () => {
    const alan = (await openFixture('faults/alan.userupdate.json')).document;
    const katherine = (await openFixture('faults/katherine.userupdate.json')).document;
    const alanPath = `/v1/users/${DEMO_USER_IDS.alan}`;
    const katherinePath = `/v1/users/${DEMO_USER_IDS.katherine}`;
    const start = lastSeq();
    // Both PATCHes are held: each can only arrive while the other is in flight if the two sends run in
    // parallel.
    const holds = [
      fake.hold({ method: 'PATCH', path: alanPath }),
      fake.hold({ method: 'PATCH', path: katherinePath }),
    ];
    const pending = Promise.all([send(alan.uri), send(katherine.uri)]);
    let arrived: FakeRequestRecord[];
    try {
      arrived = await Promise.all([
        fake.waitForArrival((r) => r.seq > start && r.method === 'PATCH' && r.path === alanPath, 10_000),
        fake.waitForArrival((r) => r.seq > start && r.method === 'PATCH' && r.path === katherinePath, 10_000),
      ]);
      assert.deepEqual(
        arrived.map((r) => r.status),
        [undefined, undefined],
        'both PATCHes arrived before either was answered',
      );
    } finally {
      for (const held of holds) held.release();
    }
    const results = await pending;
    assert.deepEqual(
      results.map((r) => r.status),
      ['sent', 'sent'],
      results.map((r) => r.message).join('; '),
    );
    const [a, k] = arrived;
    assert.ok(
      (a.seqWhenFinished ?? 0) >= k.seq && (k.seqWhenFinished ?? 0) >= a.seq,
      'each was in flight while the other arrived',
    );
  });

  test('two files targeting the same user are sent one after the other', async () => {
    const first = (await openFixture('faults/ada-first-name.userupdate.json')).document;
    const second = (await openFixture('faults/ada-last-name.userupdate.json')).document;
    const adaPath = `/v1/users/${DEMO_USER_IDS.ada}`;
    const start = lastSeq();
    // The first PATCH is held until the test has seen it arrive: the second send must wait behind it.
    const held = fake.hold({ method: 'PATCH', path: adaPath });
    const pending = Promise.all([send(first.uri), send(second.uri)]);
    await held.arrived;
    held.release();
    const results = await pending;
    assert.deepEqual(
      results.map((r) => r.status),
      ['sent', 'sent'],
      results.map((r) => r.message).join('; '),
    );
    const [p1, p2] = patchesSince(start, adaPath);
    assert.equal(patchesSince(start, adaPath).length, 2);
    assert.equal(p1.fault, 'hold', 'the first PATCH was the held one');
    assert.ok(
      p2.seq > (p1.seqWhenFinished ?? Infinity),
      `the second PATCH (seq ${p2.seq}) arrived after the first was answered (last seq then ${p1.seqWhenFinished})`,
    );
    const ada = fake.users.get(DEMO_USER_IDS.ada)!;
    assert.equal(ada.first_name, 'Augusta Ada');
    assert.equal(ada.last_name, 'King');
  });

  test('http:// to a host that is not loopback is refused: addEnvironment returns false, a send sends nothing', async () => {
    // A fake on every interface, addressed by this machine's non-loopback address: were the guard
    // missing, the request would reach it.
    const other = await startFake({ host: '0.0.0.0' });
    try {
      const address = lanAddress();
      const url = address ? `http://${address}:${other.port}` : 'http://clerk.example.com';
      if (address)
        assert.equal(
          (await fetch(`${url}/__fake/requests`)).status,
          200,
          'the other fake is reachable there',
        );
      const environments = vscode.workspace
        .getConfiguration('clerkUserUpdate')
        .inspect('environments')?.globalValue;
      assert.equal(
        await vscode.commands.executeCommand('clerkUserUpdate.addEnvironment', {
          name: 'Plain HTTP',
          apiUrl: url,
        }),
        false,
      );
      assert.deepEqual(
        vscode.workspace.getConfiguration('clerkUserUpdate').inspect('environments')?.globalValue,
        environments,
        'no environment was added',
      );

      const { document } = await openFixture(GRACE_FILE);
      const unchanged = snapshot(document);
      const start = lastSeq();
      const result = await withEnvironment({ name: 'Plain HTTP', apiUrl: url }, () => send(document.uri));
      assert.equal(result.status, 'blocked', result.message);
      assert.match(
        result.message,
        /^The Clerk API URL http:\/\/\S+ uses http:\/\/\. Secret keys are only sent over https:\/\/, except to a loopback host \(localhost, 127\.0\.0\.1, ::1\)\.$/,
      );
      assert.equal(other.requests.length, 0, 'nothing reached the non-loopback host');
      assert.equal(lastSeq(), start);
      unchanged();
    } finally {
      await other.stop();
    }
  });

  test('a redirect to another host is not followed, so it never gets the Authorization header', async () => {
    const other = await startFake();
    try {
      const { document } = await openFixture(GRACE_FILE);
      const unchanged = snapshot(document);
      const start = lastSeq();
      fake.setFault({ kind: 'redirect', method: 'PATCH', path: GRACE_PATH, location: other.url });
      const result = await send(document.uri);
      assert.equal(result.status, 'failed', result.message);
      assert.equal(result.failureKind, 'redirect');
      assert.equal(
        result.message,
        `The API answered 307 Temporary Redirect, a redirect to another host (${other.url}). It was not followed, so the secret key was not sent there. Check the API URL.`,
      );
      assert.deepEqual(other.requests, [], 'the other host got no request at all');
      assert.equal(patchesSince(start).length, 1);
      unchanged();
    } finally {
      await other.stop();
    }
  });

  test('a key pasted with whitespace and line breaks around it is trimmed; whitespace inside is refused', async () => {
    const setKey = (key: string) =>
      vscode.commands.executeCommand<boolean>('clerkUserUpdate.setKey', { environment: 'Fake', key });
    const { document } = await openFixture(GRACE_FILE);
    try {
      assert.equal(await setKey(`\r\n\t ${FAKE_TEST_KEY}  \n`), true);
      let start = lastSeq();
      const trimmed = await send(document.uri);
      assert.equal(trimmed.status, 'sent', trimmed.message);
      assert.deepEqual(
        patchesSince(start).map((r) => r.auth),
        [{ status: 'ok', keyLabel: 'test' }],
      );
      for (const inside of [' ', '\n', '\t', '\r\n']) {
        assert.equal(
          await setKey(`${FAKE_TEST_KEY.slice(0, 20)}${inside}${FAKE_TEST_KEY.slice(20)}`),
          false,
          JSON.stringify(inside),
        );
      }
      // The refused keys did not replace the stored one.
      start = lastSeq();
      const after = await send(document.uri);
      assert.equal(after.status, 'sent', after.message);
      assert.equal(patchesSince(start)[0]?.auth.status, 'ok');
    } finally {
      await setKey(FAKE_TEST_KEY);
    }
  });

  test('after sends, failures and retries, no key or secret value is in the log, settings, storage, opened documents or notifications', async () => {
    const password = (await openFixture(SECRET_FILES[0])).document;
    const digest = (await openFixture(SECRET_FILES[1])).document;
    const session: Array<{ document: vscode.TextDocument; fault?: FakeFault; status: string }> = [
      { document: password, status: 'sent' },
      { document: digest, status: 'sent' },
      { document: password, fault: { kind: 'status500', method: 'PATCH' }, status: 'failed' },
      { document: digest, fault: { kind: 'reset', method: 'PATCH' }, status: 'failed' },
      {
        document: password,
        fault: { kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 0 },
        status: 'sent',
      },
      { document: digest, fault: { kind: 'html502', method: 'PATCH' }, status: 'failed' },
      { document: password, fault: { kind: 'malformed-json', method: 'PATCH' }, status: 'failed' },
    ];
    let last: SendResult | undefined;
    for (const step of session) {
      fake.clearFaults();
      if (step.fault) fake.setFault({ ...step.fault, path: LINUS_PATH });
      last = await send(step.document.uri);
      assert.equal(last.status, step.status, last.message);
    }
    const preview = await vscode.commands.executeCommand<{ status: string; message: string }>(
      'clerkUserUpdate.previewChanges',
      password.uri,
    );
    assert.equal(preview?.status, 'shown', preview?.message);
    messages.push(preview.message);
    // The secrets really went to Clerk, so they could have leaked.
    const bodies = fake
      .requestsTo('PATCH', LINUS_PATH)
      .map((r) => r.body)
      .join('\n');
    assert.equal(
      secretsIn(bodies).filter((s) => !s.includes('key')).length,
      5,
      'the fake received all five secret values',
    );

    // Our log records the last failure (wait for it to reach the disk), without a secret.
    const userDataDir = path.resolve(api.paths.globalStorage, '..', '..', '..');
    const logsRoot = path.resolve(api.paths.logs, '..', '..', '..');
    const ourLog = (): string | undefined =>
      filesUnder(logsRoot).find((f) => /Clerk User Update/.test(path.basename(f)));
    const marker = `user=${DEMO_USER_IDS.linus} failed kind=bad-response`;
    await waitForFile(logsRoot, () => {
      const file = ourLog();
      return file !== undefined && fs.readFileSync(file, 'utf8').includes(marker);
    });

    const files = [...new Set([...filesUnder(userDataDir), ...filesUnder(logsRoot)])];
    assert.ok(
      files.some((f) => path.basename(f) === 'settings.json'),
      'settings.json is among the files checked',
    );
    const leaks = files.flatMap((file) => secretsIn(fs.readFileSync(file)).map((s) => `${s} in ${file}`));
    assert.deepEqual(leaks, [], `checked ${files.length} files under ${userDataDir} and ${logsRoot}`);

    // Opened documents: only the fixtures themselves may hold their secrets.
    const allowed = new Set(
      SECRET_FILES.map((f) => vscode.Uri.file(fixturePath(...f.split('/'))).toString()),
    );
    const documents = vscode.workspace.textDocuments.filter((d) => !allowed.has(d.uri.toString()));
    assert.ok(
      documents.some((d) => d.uri.scheme === 'clerk-preview'),
      'the preview documents are among the ones checked',
    );
    const inDocuments = documents.flatMap((d) =>
      secretsIn(d.getText()).map((s) => `${s} in ${d.uri.toString()}`),
    );
    assert.deepEqual(inDocuments, []);
    // Notifications show the result messages.
    assert.deepEqual(secretsIn(messages.join('\n')), [], `checked ${messages.length} messages`);
  });
});

/** Resolves once `condition()` holds, re-checking whenever something under `dir` changes (10 s at most). */
function waitForFile(dir: string, condition: () => boolean): Promise<void> {
  const emitter = new vscode.EventEmitter<void>();
  const watcher = fs.watch(dir, { recursive: true }, () => emitter.fire());
  return waitForEvent(emitter.event, () => condition() || undefined, {
    timeoutMs: 10_000,
    what: `a change under ${dir}`,
  }).then(
    () => {
      watcher.close();
      emitter.dispose();
    },
    (error: unknown) => {
      watcher.close();
      emitter.dispose();
      throw error;
    },
  );
}
