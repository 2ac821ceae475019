// Start from a real user, preview, identifier completion, undo (issue "Start from a real user").
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { activateExtension, closeAllEditors, openFixture, rangeOf, waitForDiagnostics } from './helpers';
import { useFake } from './clerk';

interface PreviewResult {
  status: string;
  message: string;
  right?: vscode.Uri;
  left?: vscode.Uri;
}

const ADA_PULLED = `{
  "$user_id": "user_2xhFjEI5X2qWRvtV13BzSj8H6Dk",
  "$api_version": "2026-05-12",
  "$metadata": "replace",
  "first_name": "Ada",
  "last_name": "Lovelace",
  "username": "ada",
  "external_id": "crm-1815",
  "locale": "en-GB",
  "primary_email_address_id": "idn_2xhFjG0aLovelaceMain0001",
  "primary_phone_number_id": "idn_2xhFjG0aLovelacePhone003",
  "delete_self_enabled": true,
  "create_organization_enabled": true,
  "bypass_client_trust": false,
  "public_metadata": {
    "role": "admin",
    "plan": "pro"
  },
  "private_metadata": {
    "crm": {
      "tier": "gold",
      "since": 2019
    }
  },
  "unsafe_metadata": {
    "theme": "dark"
  }
}
`;

async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

suite('start from a real user, preview, ids, undo', () => {
  let fake: FakeClerk;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture('users/ids.userupdate.json');
    await activateExtension();
    await useFake(fake, FAKE_TEST_KEY);
  });
  suiteTeardown(async () => {
    await fake?.stop();
  });
  teardown(closeAllEditors);

  test("New Update File for User writes the user's current editable fields, exactly, without overwriting", async () => {
    await closeAllEditors();
    const first = await vscode.commands.executeCommand<vscode.Uri>(
      'clerkUserUpdate.newFileForUser',
      DEMO_USER_IDS.ada,
    );
    const second = await vscode.commands.executeCommand<vscode.Uri>(
      'clerkUserUpdate.newFileForUser',
      DEMO_USER_IDS.ada,
    );
    try {
      assert.ok(first && second);
      assert.match(first.path, /\/ada\.userupdate\.json$/);
      assert.match(second.path, /\/ada-2\.userupdate\.json$/, 'the second pull does not overwrite the first');
      assert.equal(fs.readFileSync(first.fsPath, 'utf8'), ADA_PULLED);
    } finally {
      await closeAllEditors();
      for (const uri of [first, second]) if (uri) fs.rmSync(uri.fsPath, { force: true });
    }
  });

  test('Preview shows null as cleared, absent as unchanged, metadata replaced, secrets as (will be set)', async () => {
    const { document } = await openFixture('users/preview-2025.userupdate.json');
    const result = await vscode.commands.executeCommand<PreviewResult>(
      'clerkUserUpdate.previewChanges',
      document.uri,
    );
    assert.equal(result.status, 'shown', result.message);
    const before = JSON.parse(await textOf(result.left!));
    const after = JSON.parse(await textOf(result.right!));
    assert.equal(before.first_name, 'Ada');
    assert.equal(after.first_name, null, 'null clears');
    assert.equal(after.last_name, 'Lovelace', 'absent stays');
    assert.equal(after.username, 'countess');
    assert.deepEqual(after.public_metadata, { role: 'owner' }, 'metadata replaced whole');
    assert.deepEqual(after.private_metadata, before.private_metadata, 'absent metadata stays');
    assert.equal(after.password, '(will be set)');
    assert.equal(
      (await textOf(result.right!)).includes('Another-Distinct-Pass-42'),
      false,
      'the password is never echoed',
    );
    assert.equal(fake.users.get(DEMO_USER_IDS.ada)!.first_name, 'Ada', 'preview sends nothing');
  });

  test('Preview under 2026-05-12 replaces the metadata field sent with PUT', async () => {
    const { document } = await openFixture('users/preview-2026.userupdate.json');
    const result = await vscode.commands.executeCommand<PreviewResult>(
      'clerkUserUpdate.previewChanges',
      document.uri,
    );
    assert.equal(result.status, 'shown', result.message);
    const after = JSON.parse(await textOf(result.right!));
    assert.deepEqual(after.private_metadata, { crm: { tier: 'platinum' } });
    assert.deepEqual(after.public_metadata, { role: 'admin', plan: 'pro' });
  });

  test("primary_email_address_id completes the user's addresses with their verification, and warns on a bad choice", async () => {
    const { document, editor } = await openFixture('users/ids.userupdate.json');
    const inside = document.positionAt(document.getText().indexOf('""') + 1);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      inside,
    );
    const labels = list.items.map((i) =>
      typeof i.label === 'string' ? i.label : `${i.label.label} ${i.label.description}`,
    );
    assert.ok(
      labels.includes('idn_2xhFjG0aLovelaceMain0001 ada@analytical.engine · verified'),
      labels.join('\n'),
    );
    assert.ok(
      labels.includes('idn_2xhFjG0aLovelaceWork0002 ada.lovelace@example.com · not verified'),
      labels.join('\n'),
    );

    await editor!.edit((b) => b.replace(rangeOf(document, '""'), '"idn_2xhFjG0aLovelaceWork0002"'));
    const unverified = rangeOf(document, '"idn_2xhFjG0aLovelaceWork0002"');
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.code === 'identifier-unverified' && x.range.isEqual(unverified)),
      {
        what: 'the unverified-identifier warning',
      },
    );
    const warning = shown.find((x) => x.code === 'identifier-unverified')!;
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /ada\.lovelace@example\.com\) is not verified/);

    await editor!.edit((b) => b.replace(unverified, '"idn_2xhFjG0aNotAdasAddress99"'));
    const foreign = rangeOf(document, '"idn_2xhFjG0aNotAdasAddress99"');
    const again = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.code === 'identifier-not-owned' && x.range.isEqual(foreign)),
      {
        what: 'the not-owned-identifier warning',
      },
    );
    assert.match(
      again.find((x) => x.code === 'identifier-not-owned')!.message,
      /is not one of user_2xhFjEI5X2qWRvtV13BzSj8H6Dk's email addresses/,
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('Undo restores the previous non-secret values and says it cannot restore the password', async () => {
    const { document } = await openFixture('users/undo.userupdate.json');
    const sent = await vscode.commands.executeCommand<{ status: string; message: string }>(
      'clerkUserUpdate.sendUpdate',
      document.uri,
    );
    assert.equal(sent.status, 'sent', sent.message);
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.first_name, 'Amazing');
    const undone = await vscode.commands.executeCommand<{ status: string; message: string }>(
      'clerkUserUpdate.undoLastSend',
      document.uri,
    );
    assert.equal(undone.status, 'undone', undone.message);
    assert.match(undone.message, /restored first_name, last_name\. It cannot restore password\./);
    const grace = fake.users.get(DEMO_USER_IDS.grace)!;
    assert.equal(grace.first_name, 'Grace');
    assert.equal(grace.last_name, 'Hopper');
    const lastPatch = fake.requestsTo('PATCH', `/v1/users/${DEMO_USER_IDS.grace}`).at(-1)!;
    assert.deepEqual(JSON.parse(lastPatch.body), { first_name: 'Grace', last_name: 'Hopper' });
  });

  test('Undo refuses when the user changed since the send', async () => {
    const { document } = await openFixture('users/undo.userupdate.json');
    const sent = await vscode.commands.executeCommand<{ status: string; message: string }>(
      'clerkUserUpdate.sendUpdate',
      document.uri,
    );
    assert.equal(sent.status, 'sent', sent.message);
    fake.clock.advance(5_000);
    const other = await fetch(`${fake.url}/v1/users/${DEMO_USER_IDS.grace}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${FAKE_TEST_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ last_name: 'Changed Elsewhere' }),
    });
    assert.equal(other.status, 200);
    const patches = fake.requestsTo('PATCH').length;
    const undone = await vscode.commands.executeCommand<{ status: string; message: string }>(
      'clerkUserUpdate.undoLastSend',
      document.uri,
    );
    assert.equal(undone.status, 'refused', undone.message);
    assert.match(undone.message, /changed after the update \(updated_at moved/);
    assert.equal(fake.requestsTo('PATCH').length, patches, 'no PATCH was sent');
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.last_name, 'Changed Elsewhere');
  });
});
