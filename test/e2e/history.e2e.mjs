// End to end: send, open the "Clerk" view in the activity bar, click the entry, see its
// diff of before ↔ after, and undo it from the entry's context menu: the fake's user is back.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  editorText,
  fakeClerkModule,
  fakeUser,
  historyRow,
  NOT_PROGRESS,
  notificationAfter,
  openFile,
  openHistoryView,
} from './workbench.mjs';

const { FAKE_TEST_KEY } = fakeClerkModule();

suite('e2e: history of changes', function () {
  const ctx = fakeWorkbenchSuite({ env: { CLERK_SECRET_KEY: FAKE_TEST_KEY } });

  test('a send appears in the Clerk view; clicking it shows before ↔ after; Undo This Change restores the user', async function () {
    const { page } = ctx.wb;
    const ada = fakeUser(ctx.fake, 'Ada');
    const before = JSON.parse(JSON.stringify(ctx.fake.users.get(ada.id)));
    await openFile(page, 'rename-user.userupdate.json');
    await clearNotifications(page);
    const sent = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), { match: NOT_PROGRESS });
    assert.equal(sent, `Updated Augusta Ada King (${ada.id}).`);

    await openHistoryView(page);
    await historyRow(page, 'Fake').waitFor();
    const row = historyRow(page, 'Augusta Ada King');
    await row.waitFor();
    assert.match(await row.innerText(), /first_name, last_name/);

    await row.click();
    const diffTab = activeTab(page, 'before ↔ after');
    await diffTab.waitFor();
    await page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-line', { hasText: 'Augusta Ada' }).waitFor();
    assert.equal(await editorText(page, { side: 'original' }), '{\n  "first_name": "Ada",\n  "last_name": "Lovelace"\n}\n');
    assert.equal(await editorText(page, { side: 'modified' }), '{\n  "first_name": "Augusta Ada",\n  "last_name": "King"\n}\n');
    await ctx.wb.screenshot('history-diff');

    await clearNotifications(page);
    const undone = await notificationAfter(page, async () => {
      await row.click({ button: 'right' });
      await page.locator('.context-view .action-label', { hasText: 'Undo This Change' }).first().click();
    }, { match: /^Undid|^Undo/ });
    assert.equal(undone, `Undid the update of Augusta Ada King (${ada.id}): restored first_name, last_name.`);
    const after = ctx.fake.users.get(ada.id);
    assert.equal(after.first_name, before.first_name);
    assert.equal(after.last_name, before.last_name);
    await historyRow(page, 'Undo: Ada Lovelace').waitFor();
    await ctx.wb.screenshot('history-undone');
  });
});
