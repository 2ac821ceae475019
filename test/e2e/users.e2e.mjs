// End to end: start from a real user, edit, preview, send, undo.
// "Clerk: New Update File for User…" → search → pick Ada → the new file opens → type a new first
// name → "Preview changes" opens the diff → send from the diff's title bar → "Undo" on the
// success notification → the fake's user is back as it was.
import * as assert from 'node:assert/strict';
import { URLSearchParams } from 'node:url';
import { suite, test } from 'mocha';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  clickNotificationButton,
  editorText,
  fakeUser,
  notificationAfter,
  openFile,
  runCommand,
  selectInEditor,
} from './workbench.mjs';

suite('e2e: pull, edit, preview, send, undo', function () {
  const ctx = fakeWorkbenchSuite();

  test('New Update File for User → edit → Preview changes → send from the diff → Undo restores the user', async function () {
    const { page } = ctx.wb;
    const ada = fakeUser(ctx.fake, 'Ada');
    const before = JSON.parse(JSON.stringify(ctx.fake.users.get(ada.id)));
    // Activate the extension the way a person would: open one of the files.
    await openFile(page, 'rename-user.userupdate.json');

    // Pull: search as you type, pick Ada. By her phone number, which her row does not show: the picker
    // lists what Clerk found, not only the rows its own filter (name, email, id) matches.
    await runCommand(page, 'Clerk: New Update File for User…');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'New update file for which Clerk user?' }).waitFor();
    const phone = ada.phone_numbers[0].phone_number;
    await input.fill(phone);
    const search = await ctx.fake.waitForRequest(
      (r) =>
        r.method === 'GET' && r.path === '/v1/users' && new URLSearchParams(r.query).get('query') === phone,
      10_000,
    );
    assert.equal(search.status, 200);
    // The row Enter picks: the focused one, listed once the search answered (no row of the first listing
    // matches a phone number).
    const row = page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Ada Lovelace' })
      .first();
    await row.waitFor();
    assert.match(await row.innerText(), /ada@analytical\.engine/);
    assert.match(await row.innerText(), new RegExp(ada.id));
    await ctx.wb.screenshot('users-pick');
    await page.keyboard.press('Enter');
    await activeTab(page, 'ada.userupdate.json').waitFor();
    const pulled = await editorText(page);
    assert.match(pulled, new RegExp(`"\\$user_id": "${ada.id}"`));
    assert.match(pulled, /"first_name": "Ada"/);

    // Edit a field by typing.
    await selectInEditor(page, '"first_name": "Ada"');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('"first_name": "Augusta Ada"');
    await page
      .locator('.editor-group-container.active .view-line', { hasText: '"first_name": "Augusta Ada",' })
      .waitFor();
    assert.match(await editorText(page), /"first_name": "Augusta Ada",\n/);

    // Preview: a diff of the current user and the user after the send.
    await clickCodeLens(page, 'Preview changes');
    const diffTab = activeTab(page, `${ada.id}: current ↔ after send`);
    await diffTab.waitFor();
    assert.match(await diffTab.innerText(), /\(1 field change\)/);
    await page
      .locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-line', {
        hasText: 'Augusta Ada',
      })
      .waitFor();
    assert.match(await editorText(page, { side: 'modified' }), /"first_name": "Augusta Ada"/);
    assert.match(await editorText(page, { side: 'original' }), /"first_name": "Ada"/);
    await ctx.wb.screenshot('users-preview');

    // Send from the diff's title bar.
    await clearNotifications(page);
    const sendAction = page
      .locator('.editor-group-container.active .editor-actions .action-label[aria-label^="Send Update"]')
      .first();
    const sent = await notificationAfter(page, () => sendAction.click(), { match: /^Updated / });
    assert.equal(sent, `Updated Augusta Ada Lovelace (${ada.id}) (PATCH + PUT).`);
    assert.equal(ctx.fake.users.get(ada.id).first_name, 'Augusta Ada');
    const patches = ctx.fake.requestsTo('PATCH', `/v1/users/${ada.id}`);
    assert.equal(patches.length, 1);
    assert.equal(JSON.parse(patches[0].body).first_name, 'Augusta Ada');
    await ctx.wb.screenshot('users-sent');

    // Undo from the notification.
    const undone = await notificationAfter(page, () => clickNotificationButton(page, sent, 'Undo'), {
      match: /^Undid the update of /,
    });
    assert.equal(undone, `Undid the update of Augusta Ada Lovelace (${ada.id}): restored first_name.`);
    const after = ctx.fake.users.get(ada.id);
    assert.equal(after.first_name, 'Ada');
    const undoPatch = ctx.fake.requestsTo('PATCH', `/v1/users/${ada.id}`).at(-1);
    assert.deepEqual(JSON.parse(undoPatch.body), { first_name: 'Ada' });
    for (const field of ['last_name', 'username', 'external_id', 'locale'])
      assert.deepEqual(after[field], before[field], field);
    assert.deepEqual(after.public_metadata, before.public_metadata);
    await ctx.wb.screenshot('users-undone');
  });
});
