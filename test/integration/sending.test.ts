// Sending from the editor against the fake Clerk on loopback (issue "Sending").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { filesUnder, useFake } from './clerk';
import {
  activateExtension,
  closeAllEditors,
  firstSettled,
  openFixture,
  rangeOf,
  waitForDiagnostics,
} from './helpers';

interface SendResult {
  status: string;
  message: string;
  failureKind?: string;
  steps?: { method: string; path: string; status?: number }[];
}

interface Api {
  paths: { logs: string; globalStorage: string; workspaceStorage?: string };
}

const send = (uri: vscode.Uri) =>
  vscode.commands.executeCommand<SendResult>('clerkUserUpdate.sendUpdate', uri) as Promise<SendResult>;

suite('sending from the editor', () => {
  let fake: FakeClerk;
  let api: Api;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture('send-editor/rename.userupdate.json');
    api = (await activateExtension()).exports as Api;
    await useFake(fake);
  });
  suiteTeardown(async () => {
    await fake?.stop();
  });
  setup(() => {
    fake.clearFaults();
    fake.resetRateLimits();
  });
  teardown(closeAllEditors);

  test('a send updates the fake user with exactly the file minus its $ keys', async () => {
    const { document } = await openFixture('send-editor/rename.userupdate.json');
    const before = fake.requests.length;
    const result = await send(document.uri);
    assert.equal(result.status, 'sent', result.message);
    assert.equal(result.message, `Updated Augusta King (${DEMO_USER_IDS.ada}).`);
    const user = fake.users.get(DEMO_USER_IDS.ada)!;
    assert.equal(user.first_name, 'Augusta');
    assert.equal(user.last_name, 'King');
    const patches = fake.requests.slice(before).filter((r) => r.method === 'PATCH');
    assert.equal(patches.length, 1, 'one PATCH');
    assert.equal(patches[0].path, `/v1/users/${DEMO_USER_IDS.ada}`);
    assert.deepEqual(JSON.parse(patches[0].body), { first_name: 'Augusta', last_name: 'King' });
    assert.equal(patches[0].headers['clerk-api-version'], '2025-11-10');
    assert.equal(patches[0].headers['content-type'], 'application/json');
    assert.match(
      patches[0].headers['user-agent'],
      /^clerk-user-update\/\d+\.\d+\.\d+ \(vscode \d+\.\d+\.\d+\)$/,
    );
    assert.equal(patches[0].auth.status, 'ok');
  });

  test('a 422 becomes a diagnostic on the offending key, removed once the user edits', async () => {
    const { document, editor } = await openFixture('send-editor/taken-username.userupdate.json');
    const result = await send(document.uri);
    assert.equal(result.status, 'failed');
    assert.equal(result.failureKind, 'api');
    assert.match(result.message, /form_identifier_exists/);
    const key = rangeOf(document, '"username"');
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.source === 'Clerk API' && x.range.isEqual(key)),
      {
        allSources: true,
        what: 'the Clerk API diagnostic on "username"',
      },
    );
    const apiDiagnostic = shown.find((x) => x.source === 'Clerk API')!;
    assert.equal(apiDiagnostic.code, 'form_identifier_exists');
    assert.equal(apiDiagnostic.severity, vscode.DiagnosticSeverity.Error);
    await editor!.edit((b) =>
      b.insert(document.positionAt(document.getText().indexOf('"grace_h"') + 1), 'x'),
    );
    await waitForDiagnostics(document.uri, (d) => !d.some((x) => x.source === 'Clerk API'), {
      allSources: true,
      what: 'the API diagnostic to go away',
    });
    assert.equal(fake.users.get(DEMO_USER_IDS.ada)!.username, 'ada', 'the username did not change');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a double invoke sends exactly one PATCH', async () => {
    const { document } = await openFixture('send-editor/slow.userupdate.json');
    const path = `/v1/users/${DEMO_USER_IDS.grace}`;
    const held = fake.hold({ method: 'PATCH', path });
    const before = fake.requestsTo('PATCH', path).length;
    const sends = [send(document.uri), send(document.uri)];
    await held.arrived;
    // The second invocation is answered while the first one's PATCH is still in flight.
    assert.deepEqual(
      (await firstSettled(sends, 1)).map((r) => r.status),
      ['busy'],
    );
    held.release();
    const results = await Promise.all(sends);
    assert.deepEqual(results.map((r) => r.status).sort(), ['busy', 'sent']);
    assert.equal(fake.requestsTo('PATCH', path).length - before, 1);
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.last_name, 'Murray Hopper');
  });

  test('cancel while the PATCH is in flight leaves the user unchanged', async () => {
    const { document } = await openFixture('send-editor/cancel.userupdate.json');
    const path = `/v1/users/${DEMO_USER_IDS.alan}`;
    const firstName = fake.users.get(DEMO_USER_IDS.alan)!.first_name;
    const held = fake.hold({ method: 'PATCH', path });
    try {
      const pending = send(document.uri);
      const arrived = await held.arrived;
      assert.equal(await vscode.commands.executeCommand('clerkUserUpdate.cancelSend', document.uri), true);
      const result = await pending;
      assert.equal(result.status, 'cancelled', result.message);
      // Finished only once the fake saw the connection close (were it released first, it would be applied).
      const record = await fake.waitForRequest((r) => r.seq === arrived.seq, 10_000);
      assert.equal(record.clientGone, true, 'the cancel ended the connection');
      assert.equal(record.applied, false, 'the fake did not apply the cancelled PATCH');
      assert.equal(fake.users.get(DEMO_USER_IDS.alan)!.first_name, firstName);
    } finally {
      held.release();
    }
  });

  test('the key and the password never reach the log, settings or storage', async () => {
    const { document } = await openFixture('send-editor/secrets.userupdate.json');
    const result = await send(document.uri);
    assert.equal(result.status, 'sent', result.message);
    fake.setFault({ kind: 'status500', method: 'PATCH' });
    const failed = await send(document.uri);
    assert.equal(failed.status, 'failed');
    const userDataDir = path.resolve(api.paths.globalStorage, '..', '..', '..');
    const logsRoot = path.resolve(api.paths.logs, '..', '..', '..');
    const files = [...new Set([...filesUnder(userDataDir), ...filesUnder(logsRoot)])];
    const ourLog = files.filter((f) => /Clerk User Update/.test(path.basename(f)));
    assert.ok(ourLog.length > 0, `found our log file among ${files.length} files`);
    assert.match(
      fs.readFileSync(ourLog[0], 'utf8'),
      new RegExp(`user=${DEMO_USER_IDS.katherine}`),
      'the log records the send',
    );
    const secrets = [FAKE_TEST_KEY, 'Distinctive-Pa55word-7731'];
    for (const file of files) {
      const content = fs.readFileSync(file);
      for (const secret of secrets) {
        assert.equal(content.includes(secret), false, `${secret.slice(0, 8)}… found in ${file}`);
      }
    }
    assert.equal(document.getText().includes(FAKE_TEST_KEY), false);
  });
});
