// End to end: a folder opened in Restricted Mode. Authoring works (the file
// gets its diagnostics), the lens says sending is off and why, nothing reaches Clerk, even with a
// key in the environment, and the folder's web/.env.local (a key and an API URL) is never offered
// as an environment.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { fakeWorkbenchSuite, UNTRUSTED_DOTENV } from './fakeSuite.mjs';
import {
  clearNotifications,
  clickCodeLens,
  codeLens,
  exactly,
  notificationAfter,
  openFile,
  runCommand,
  statusBarItem,
  waitForProblems,
  waitForSquiggles,
} from './workbench.mjs';

const UNTRUSTED = /^Sending is disabled in an untrusted workspace\./;

suite('e2e: untrusted workspace (Restricted Mode)', function () {
  // CLERK_SECRET_KEY holds the fake's test key; the folder has a web/.env.local from the start.
  const ctx = fakeWorkbenchSuite({ trust: true });

  test('authoring works, the lenses say "workspace not trusted" (a bulk file\'s too), a click explains, and the fake gets no request', async function () {
    const { page } = ctx.wb;
    await statusBarItem(page, 'Restricted Mode').waitFor();

    await openFile(page, 'mistakes.userupdate.json');
    const squiggles = await waitForSquiggles(page, { kind: 'error' });
    const counts = await waitForProblems(page, (c) => c.errors >= 5);
    console.log(
      `    Restricted Mode: ${squiggles} squiggle(s), ${counts.errors} error(s) and ${counts.warnings} warning(s) in mistakes.userupdate.json`,
    );

    await openFile(page, 'rename-user.userupdate.json');
    await codeLens(page, 'Send update (workspace not trusted)').waitFor();
    assert.equal(
      await codeLens(page, 'Preview changes').count(),
      0,
      'no Preview changes lens: it would read from Clerk',
    );
    const message = await notificationAfter(
      page,
      () => clickCodeLens(page, 'Send update (workspace not trusted)'),
      { match: UNTRUSTED },
    );
    assert.match(message, UNTRUSTED);
    await ctx.wb.screenshot('untrusted-send');

    // The same from the Command Palette.
    await clearNotifications(page);
    const again = await notificationAfter(page, () => runCommand(page, 'Clerk: Send Update'), {
      match: UNTRUSTED,
    });
    assert.match(again, UNTRUSTED);

    // A bulk file: the same lens, the same answer.
    await clearNotifications(page);
    await openFile(page, 'team-changes.userupdates.jsonl');
    await codeLens(page, 'Send 4 updates (workspace not trusted)').waitFor();
    assert.equal(
      await codeLens(page, 'Preview run').count(),
      0,
      'no Preview run lens: it would read from Clerk',
    );
    const bulk = await notificationAfter(
      page,
      () => clickCodeLens(page, 'Send 4 updates (workspace not trusted)'),
      { match: UNTRUSTED },
    );
    assert.match(bulk, UNTRUSTED);

    // The environments on offer: those of the settings only, never the folder's .env.local (it is
    // not read at all while the folder is untrusted).
    await runCommand(page, 'Clerk: Select Environment…');
    const picker = page.locator('.quick-input-widget');
    await picker.locator('.quick-input-title', { hasText: exactly('Clerk: Select Environment') }).waitFor();
    await picker.locator('.monaco-list-row .label-name', { hasText: 'Add Environment…' }).waitFor();
    // Each row's first label is its name (a second one shows its detail, e.g. "active").
    const offered = await picker
      .locator('.monaco-list-row')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('.label-name')?.textContent?.trim()));
    assert.deepEqual(
      offered,
      ['Fake', 'Add Environment…'],
      `offered: ${offered.join(', ')} (${UNTRUSTED_DOTENV} must not be)`,
    );
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'hidden' });

    assert.deepEqual(
      ctx.fake.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'the fake Clerk received no request at all',
    );
  });
});
