// Metadata merge or replace in the real editor against the fake Clerk: the information and hover on a
// metadata key, the quick fix that switches to replace, the warning of a replace that would drop keys
// after a preview, a preview per key path, and the undo of a merge from the history view, which keeps a
// key someone else changed since.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { useFake } from './clerk';
import { activateExtension, closeAllEditors, openFixture, rangeOf, waitForDiagnostics } from './helpers';

interface TreeItem {
  label: string;
  description: string;
  id: string;
  children: TreeItem[];
}
interface Api {
  historyTree(): Promise<TreeItem[]>;
}

suite('metadata: merge or replace', () => {
  let fake: FakeClerk;
  let api: Api;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture('metadata/merge.userupdate.json');
    api = (await activateExtension()).exports as Api;
    await useFake(fake);
  });
  suiteTeardown(async () => {
    await fake?.stop();
  });
  teardown(closeAllEditors);

  test('a metadata key says it is merged (diagnostic and hover); the quick fix switches to replace', async () => {
    const { document } = await openFixture('metadata/merge.userupdate.json');
    const key = rangeOf(document, '"public_metadata"');
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.code === 'metadata-mode' && x.range.isEqual(key)),
      { what: 'metadata-mode on "public_metadata"' },
    );
    const info = shown.find((x) => x.code === 'metadata-mode')!;
    assert.equal(info.severity, vscode.DiagnosticSeverity.Information);
    assert.equal(
      info.message,
      "'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      key.start.translate(0, 2),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n');
    assert.match(
      text,
      /merges the given keys into the user's field with `PATCH \/v1\/users\/\{user_id\}\/metadata`/,
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      key,
    );
    const fix = actions.find(
      (a) => a.edit && a.title === 'Replace the whole metadata fields instead ("$metadata": "replace")',
    );
    assert.ok(fix, `the switch among: ${actions.map((a) => a.title).join(', ') || '(none)'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(document.getText(), /\n {2}"\$metadata": "replace",\n {2}"public_metadata"/);
    await waitForDiagnostics(
      document.uri,
      (d) =>
        d.some(
          (x) =>
            x.code === 'metadata-mode' &&
            /^'public_metadata' replaces the user's whole public_metadata/.test(x.message),
        ),
      {
        what: 'the diagnostic to say replace after the fix',
      },
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('after a preview, a replace that would drop keys is warned on its key; the quick fix merges instead', async () => {
    const { document } = await openFixture('metadata/replace.userupdate.json');
    const key = rangeOf(document, '"public_metadata"');
    await waitForDiagnostics(document.uri, (d) => d.some((x) => x.code === 'metadata-mode'), {
      what: 'the first diagnostics',
    });
    assert.deepEqual(
      vscode.languages.getDiagnostics(document.uri).filter((d) => d.code === 'metadata-keys-dropped'),
      [],
      'nothing is known of the user before a read',
    );
    const preview = (await vscode.commands.executeCommand(
      'clerkUserUpdate.previewChanges',
      document.uri,
    )) as {
      status: string;
      message: string;
    };
    assert.equal(preview.status, 'shown', preview.message);
    const shown = await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.code === 'metadata-keys-dropped'),
      { what: 'metadata-keys-dropped after the preview' },
    );
    const warning = shown.find((x) => x.code === 'metadata-keys-dropped')!;
    assert.ok(warning.range.isEqual(key), `on "public_metadata": ${JSON.stringify(warning.range)}`);
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(
      warning.message,
      `'public_metadata' replaces the user's whole public_metadata: it would drop 'team' (as of the last read of ${DEMO_USER_IDS.katherine}).`,
    );

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      key,
    );
    const merges = actions.filter(
      (a) => a.title === 'Merge the metadata keys instead ("$metadata": "merge")',
    );
    assert.equal(merges.length, 1, `one merge fix among: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(merges[0].edit!));
    assert.match(document.getText(), /"\$metadata": "merge"/);
    await waitForDiagnostics(
      document.uri,
      (d) => d.some((x) => x.code === 'metadata-mode') && !d.some((x) => x.code === 'metadata-keys-dropped'),
      { what: 'no metadata-keys-dropped once the file merges' },
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the preview shows each key path; the undo of the merge from the history restores only its keys', async () => {
    const { document } = await openFixture('metadata/merge.userupdate.json');
    const preview = (await vscode.commands.executeCommand(
      'clerkUserUpdate.previewChanges',
      document.uri,
    )) as {
      status: string;
      preview: { changes: Array<{ field: string; change: string; before: unknown; after: unknown }> };
    };
    assert.equal(preview.status, 'shown');
    assert.deepEqual(
      preview.preview.changes.map((c) => [c.field, c.change, c.before, c.after]),
      [
        ['public_metadata.role', 'set', 'admin', 'owner'],
        ['public_metadata.seats', 'set', undefined, 5],
      ],
    );

    const sent = (await vscode.commands.executeCommand('clerkUserUpdate.sendUpdate', document.uri)) as {
      status: string;
      message: string;
    };
    assert.equal(sent.status, 'sent', sent.message);
    assert.deepEqual(fake.users.get(DEMO_USER_IDS.ada)!.public_metadata, {
      role: 'owner',
      plan: 'pro',
      seats: 5,
    });

    // Someone else changes another key since.
    const other = await fetch(`${fake.url}/v1/users/${DEMO_USER_IDS.ada}/metadata`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${FAKE_TEST_KEY}`, 'content-type': 'application/json' },
      body: '{"public_metadata": {"plan": "enterprise"}}',
    });
    assert.equal(other.status, 200);

    const list = (await api.historyTree()).flatMap((env) => env.children.flatMap((day) => day.children));
    const entry = list.find((e) => e.description.startsWith('public_metadata.role, public_metadata.seats'));
    assert.ok(entry, list.map((e) => `${e.label}: ${e.description}`).join('; '));
    const undone = (await vscode.commands.executeCommand('clerkUserUpdate.undoHistoryEntry', entry.id, {
      ifChanged: 'refuse',
    })) as { status: string; message: string };
    assert.equal(undone.status, 'undone', undone.message);
    assert.deepEqual(fake.users.get(DEMO_USER_IDS.ada)!.public_metadata, {
      role: 'admin',
      plan: 'enterprise',
    });
  });
});
