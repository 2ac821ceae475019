// End to end: send, open the "Clerk" view in the activity bar, click the entry, see its
// diff of before ↔ after, and undo it from the entry's context menu: the fake's user is back.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { waitFor } from '../../scripts/lib/processes.mjs';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  activeTab,
  chooseFromContextMenu,
  clearNotifications,
  clickCodeLens,
  editorText,
  exactly,
  fakeUser,
  historyRow,
  notificationAfter,
  openFile,
  openHistoryView,
} from './workbench.mjs';

suite('e2e: history of changes', function () {
  const ctx = fakeWorkbenchSuite();

  test('a send appears in the Clerk view; clicking it shows before ↔ after; Undo This Change restores the user', async function () {
    const { page } = ctx.wb;
    const ada = fakeUser(ctx.fake, 'Ada');
    const before = JSON.parse(JSON.stringify(ctx.fake.users.get(ada.id)));
    await openFile(page, 'rename-user.userupdate.json');
    await clearNotifications(page);
    const sent = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), {
      match: /^Updated /,
    });
    assert.equal(sent, `Updated Augusta Ada King (${ada.id}).`);

    await openHistoryView(page);
    await historyRow(page, 'Fake').waitFor();
    const row = historyRow(page, 'Augusta Ada King');
    await row.waitFor();
    assert.match(await row.innerText(), /first_name, last_name/);

    await row.click();
    const diffTab = activeTab(page, 'before ↔ after');
    await diffTab.waitFor();
    await page
      .locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-line', {
        hasText: 'Augusta Ada',
      })
      .waitFor();
    assert.equal(
      await editorText(page, { side: 'original' }),
      '{\n  "first_name": "Ada",\n  "last_name": "Lovelace"\n}\n',
    );
    assert.equal(
      await editorText(page, { side: 'modified' }),
      '{\n  "first_name": "Augusta Ada",\n  "last_name": "King"\n}\n',
    );
    await ctx.wb.screenshot('history-diff');

    await clearNotifications(page);
    // Counted, as other suites on this workbench may have undone a change of Ada's too.
    const undoRows = page.locator('.pane-body .monaco-list-row .label-name', {
      hasText: exactly('Undo: Ada Lovelace'),
    });
    const undoRowsBefore = await undoRows.count();
    const undone = await notificationAfter(page, () => chooseFromContextMenu(page, row, 'Undo This Change'), {
      match: /^Undid the update of /,
    });
    assert.equal(undone, `Undid the update of Augusta Ada King (${ada.id}): restored first_name, last_name.`);
    const after = ctx.fake.users.get(ada.id);
    assert.equal(after.first_name, before.first_name);
    assert.equal(after.last_name, before.last_name);
    await waitFor(async () => (await undoRows.count()) === undoRowsBefore + 1, {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'a new "Undo: Ada Lovelace" entry in the view',
    });
    await ctx.wb.screenshot('history-undone');
  });
});
