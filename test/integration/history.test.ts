// The history of changes in the real editor against the fake Clerk: a send, a bulk run and
// an undo appear in the "Clerk" view; undoing an older entry restores its before-values; a stale entry
// is refused; the diff of an entry; and no key or secret value anywhere in the store.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { secretsIn } from '../support/secrets';
import { filesUnder, updateUserSetting, useFake } from './clerk';
import { activateExtension, closeAllEditors, openFixture } from './helpers';

interface TreeItem {
  label: string;
  description: string;
  contextValue: string;
  id: string;
  children: TreeItem[];
}
interface Api {
  paths: { history: string };
  historyTree(): Promise<TreeItem[]>;
}
interface SendResult {
  status: string;
  message: string;
}
interface UndoResult {
  status: string;
  message: string;
  entryId?: string;
}

const send = (uri: vscode.Uri) =>
  vscode.commands.executeCommand<SendResult>('clerkUserUpdate.sendUpdate', uri) as Promise<SendResult>;
const undoEntry = (id: string, options: { ifChanged?: 'ask' | 'refuse'; confirmed?: boolean } = {}) =>
  vscode.commands.executeCommand('clerkUserUpdate.undoHistoryEntry', id, options) as Promise<
    UndoResult & { summary?: { updated: number } }
  >;

/** The entries of the view, newest first: every environment's days' children. */
async function entries(api: Api): Promise<TreeItem[]> {
  return (await api.historyTree()).flatMap((env) => env.children.flatMap((day) => day.children));
}

suite('history of changes', () => {
  let fake: FakeClerk;
  let api: Api;

  suiteSetup(async () => {
    fake = await startFake();
    await openFixture('history/ada.userupdate.json');
    api = (await activateExtension()).exports as Api;
    await useFake(fake);
    await updateUserSetting('bulk.rate', '1000/1s');
    assert.equal(
      (
        (await vscode.commands.executeCommand('clerkUserUpdate.clearHistory', { confirmed: true })) as {
          status: string;
        }
      ).status,
      'cleared',
    );
  });
  suiteTeardown(async () => {
    await updateUserSetting('bulk.rate', undefined);
    await fake?.stop();
  });
  teardown(closeAllEditors);

  test('a send, a bulk run and an undo appear in the view, under the environment and the day', async () => {
    assert.deepEqual(await api.historyTree(), [], 'empty: the view shows its welcome content');
    const ada = await openFixture('history/ada.userupdate.json');
    assert.equal((await send(ada.document.uri)).status, 'sent');
    const pair = await openFixture('history/pair.userupdates.jsonl');
    const run = (await vscode.commands.executeCommand('clerkUserUpdate.sendBulk', pair.document.uri)) as {
      status: string;
      message: string;
    };
    assert.equal(run.status, 'finished', run.message);

    const tree = await api.historyTree();
    assert.equal(tree.length, 1);
    assert.equal(tree[0].label, 'Fake');
    assert.equal(tree[0].description, fake.url);
    assert.equal(tree[0].children.length, 1, 'one day');
    assert.match(tree[0].children[0].label, /^\d{4}-\d\d-\d\d$/);
    assert.equal(tree[0].children[0].description, '2 changes');
    const [runItem, sendItem] = tree[0].children[0].children;
    assert.equal(runItem.label, 'Run pair.userupdates.jsonl');
    assert.match(runItem.description, /^2 updated, 0 failed, 0 unchanged \(first_name\) · /);
    // Its rows in file order, each led by the user's name.
    assert.deepEqual(
      runItem.children.map((r) => `${r.label} | ${r.description}`),
      [
        `Alan Turing (${DEMO_USER_IDS.alan}) | row 1 · updated (200)`,
        `Grace Hopper (${DEMO_USER_IDS.grace}) | row 2 · updated (200)`,
      ],
    );
    assert.equal(sendItem.label, 'Countess Lovelace');
    assert.match(sendItem.description, /^first_name · /);
    assert.equal(sendItem.contextValue, 'entry send undoable user trace source');

    // Its diff: before ↔ after, field by field.
    const opened = (await vscode.commands.executeCommand(
      'clerkUserUpdate.openHistoryEntry',
      sendItem.id,
    )) as { status: string; before: string; after: string };
    assert.deepEqual(opened, {
      status: 'opened',
      before: '{\n  "first_name": "Ada"\n}\n',
      after: '{\n  "first_name": "Countess"\n}\n',
    });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.match(tab.label, /^Countess Lovelace \(user_\w+\): before ↔ after/);

    // A run's diff: each row in file order, its user, each field before ↔ after, from the journal.
    const runDiff = (await vscode.commands.executeCommand(
      'clerkUserUpdate.openHistoryEntry',
      runItem.id,
    )) as { status: string; before: string; after: string };
    const title = `Bulk run: ${pair.document.uri.fsPath}\n2 rows\n`;
    assert.equal(
      runDiff.before,
      `${title}\nrow 1: Alan Turing (${DEMO_USER_IDS.alan}) · updated\n  first_name: Alan\nrow 2: Grace Hopper (${DEMO_USER_IDS.grace}) · updated\n  first_name: Grace\n`,
    );
    assert.equal(
      runDiff.after,
      `${title}\nrow 1: Alan Turing (${DEMO_USER_IDS.alan}) · updated\n  first_name: Alan M.\nrow 2: Grace Hopper (${DEMO_USER_IDS.grace}) · updated\n  first_name: Amazing Grace\n`,
    );
    // Filtered by a user: only that user's rows.
    await vscode.commands.executeCommand('clerkUserUpdate.filterHistory', 'grace');
    const found = (await vscode.commands.executeCommand('clerkUserUpdate.openHistoryEntry', runItem.id)) as {
      after: string;
    };
    assert.equal(
      found.after,
      `Bulk run: ${pair.document.uri.fsPath}\nrows matching 'grace': 1 of 2\n\nrow 2: Grace Hopper (${DEMO_USER_IDS.grace}) · updated\n  first_name: Amazing Grace\n`,
    );
    assert.deepEqual(
      (await entries(api)).find((e) => e.id === runItem.id)?.children.map((r) => r.label),
      [`Grace Hopper (${DEMO_USER_IDS.grace})`],
    );
    await vscode.commands.executeCommand('clerkUserUpdate.clearHistoryFilter');

    const undone = await undoEntry(sendItem.id);
    assert.equal(undone.status, 'undone', undone.message);
    assert.equal(fake.users.get(DEMO_USER_IDS.ada)!.first_name, 'Ada');
    const after = await entries(api);
    assert.equal(after.length, 3);
    assert.equal(after[0].label, 'Undo: Ada Lovelace');
    assert.equal(after[0].id, undone.entryId);
    assert.match(after[0].contextValue, /\bundoable\b/, 'an undo can be undone');
    // The send it undid is marked undone and offers no undo.
    const undoneSend = after.find((e) => e.id === sendItem.id)!;
    assert.equal(undoneSend.contextValue, 'entry send undone user trace source');
    assert.match(undoneSend.description, /^first_name · .+ · undone at .+$/);

    // ...and undoing the undo puts the send's value back.
    assert.equal((await undoEntry(undone.entryId!)).status, 'undone');
    assert.equal(fake.users.get(DEMO_USER_IDS.ada)!.first_name, 'Countess');
    assert.equal(
      (await entries(api)).find((e) => e.id === undone.entryId)?.contextValue,
      'entry undo undone user trace source',
    );

    // Undo Run: the run is marked undone and offers no undo; its undo is an entry of its own.
    const runUndo = (await undoEntry(runItem.id, { confirmed: true })) as { status: string; message: string };
    assert.equal(runUndo.status, 'finished', runUndo.message);
    const final = await entries(api);
    const undoneRun = final.find((e) => e.id === runItem.id)!;
    assert.equal(undoneRun.contextValue, 'entry run undone trace source');
    assert.match(
      undoneRun.description,
      /^2 updated, 0 failed, 0 unchanged \(first_name\) · .+ · undone at .+$/,
    );
    assert.equal(final[0].label, 'Undo of run pair.userupdates.jsonl.journal.jsonl');
  });

  test('undoing an older entry restores its before-values; a stale entry is refused and changes nothing', async () => {
    const grace = await openFixture('history/grace.userupdate.json');
    assert.equal((await send(grace.document.uri)).status, 'sent');
    const katherine = await openFixture('history/katherine.userupdate.json');
    assert.equal((await send(katherine.document.uri)).status, 'sent');
    const list = await entries(api);
    // The run that set 'Amazing Grace' was undone in the test before.
    const graceEntry = list.find(
      (e) => e.label === 'Grace Murray Hopper' && e.description.startsWith('last_name'),
    )!;
    const katherineEntry = list.find((e) => e.label.startsWith('Katherine'))!;
    assert.ok(graceEntry && katherineEntry, list.map((e) => e.label).join(', '));
    assert.ok(list.indexOf(graceEntry) > list.indexOf(katherineEntry), 'the grace entry is the older one');

    const beforeLast = 'Hopper';
    const undone = await undoEntry(graceEntry.id);
    assert.equal(undone.status, 'undone', undone.message);
    assert.equal(fake.users.get(DEMO_USER_IDS.grace)!.last_name, beforeLast);

    // Someone else changes katherine after our send: undoing it would overwrite that.
    const other = await fetch(`${fake.url}/v1/users/${DEMO_USER_IDS.katherine}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${FAKE_TEST_KEY}`, 'content-type': 'application/json' },
      body: '{"locale":"de-DE"}',
    });
    assert.equal(other.status, 200);
    const writes = fake.requests.filter((r) => r.method !== 'GET').length;
    const refused = await undoEntry(katherineEntry.id, { ifChanged: 'refuse' });
    assert.equal(refused.status, 'refused');
    assert.match(
      refused.message,
      new RegExp(
        `^Undo was not sent: ${DEMO_USER_IDS.katherine} changed after the update \\(updated_at moved from .+ to .+\\)\\. Restoring the old values would overwrite that change\\.$`,
      ),
    );
    assert.equal(fake.users.get(DEMO_USER_IDS.katherine)!.locale, 'de-DE');
    assert.equal(fake.requests.filter((r) => r.method !== 'GET').length, writes, 'nothing was written');
  });

  test('the filter, Show History for This User, and no key or secret value anywhere in the store', async () => {
    const linus = await openFixture('history/linus-secrets.userupdate.json');
    assert.equal((await send(linus.document.uri)).status, 'sent');
    const filtered = (await vscode.commands.executeCommand('clerkUserUpdate.filterHistory', 'password')) as {
      entries: string[];
    };
    assert.equal(filtered.entries.length, 1);
    const [item] = await entries(api);
    assert.equal(item.label, 'Linus');
    assert.match(item.description, /^first_name, password · /);
    const opened = (await vscode.commands.executeCommand('clerkUserUpdate.openHistoryEntry', item.id)) as {
      after: string;
    };
    assert.equal(opened.after, '{\n  "first_name": "Linus",\n  "password": "(set)"\n}\n');
    await vscode.commands.executeCommand('clerkUserUpdate.clearHistoryFilter');

    const ada = await openFixture('history/ada.userupdate.json');
    const forAda = (await vscode.commands.executeCommand(
      'clerkUserUpdate.showUserHistory',
      ada.document.uri,
    )) as { entries: string[] };
    assert.equal(forAda.entries.length, 3, 'the send, its undo and the undo of that');
    assert.deepEqual(
      (await entries(api)).map((e) => e.label),
      ['Undo: Countess Lovelace', 'Undo: Ada Lovelace', 'Countess Lovelace'],
    );
    await vscode.commands.executeCommand('clerkUserUpdate.clearHistoryFilter');

    const files = filesUnder(api.paths.history);
    assert.ok(files.length > 0, 'the history is on disk');
    for (const file of files)
      assert.deepEqual(secretsIn(fs.readFileSync(file)), [], `${file} holds no key or secret value`);
  });
});
