// End to end: a folder opened in Restricted Mode. Authoring works (the file
// gets its diagnostics), the lens says sending is off and why, and nothing reaches Clerk, even
// with a key in the environment.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  clearNotifications,
  clickCodeLens,
  codeLens,
  fakeClerkModule,
  notificationAfter,
  openFile,
  runCommand,
  statusBarItem,
  waitForProblems,
  waitForSquiggles,
} from './workbench.mjs';

const { FAKE_TEST_KEY } = fakeClerkModule();

suite('e2e: untrusted workspace (Restricted Mode)', function () {
  const ctx = fakeWorkbenchSuite({ trust: true, env: { CLERK_SECRET_KEY: FAKE_TEST_KEY } });

  test('authoring works, the lenses say "workspace not trusted" (a bulk file\'s too), a click explains, and the fake gets no request', async function () {
    const { page } = ctx.wb;
    await statusBarItem(page, 'Restricted Mode').waitFor();

    await openFile(page, 'mistakes.userupdate.json');
    const squiggles = await waitForSquiggles(page, { kind: 'error' });
    const counts = await waitForProblems(page, (c) => c.errors >= 5);
    console.log(`    Restricted Mode: ${squiggles} squiggle(s), ${counts.errors} error(s) and ${counts.warnings} warning(s) in mistakes.userupdate.json`);

    await openFile(page, 'rename-user.userupdate.json');
    await codeLens(page, 'Send update (workspace not trusted)').waitFor();
    assert.equal(await codeLens(page, 'Preview changes').count(), 0, 'no Preview changes lens: it would read from Clerk');
    const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update (workspace not trusted)'));
    assert.match(message, /^Sending is disabled in an untrusted workspace\./);
    await ctx.wb.screenshot('untrusted-send');

    // The same from the Command Palette.
    await clearNotifications(page);
    const again = await notificationAfter(page, () => runCommand(page, 'Clerk: Send Update'));
    assert.match(again, /^Sending is disabled in an untrusted workspace\./);

    // A bulk file: the same lens, the same answer.
    await clearNotifications(page);
    await openFile(page, 'team-changes.userupdates.jsonl');
    await codeLens(page, 'Send 4 updates (workspace not trusted)').waitFor();
    assert.equal(await codeLens(page, 'Preview run').count(), 0, 'no Preview run lens: it would read from Clerk');
    const bulk = await notificationAfter(page, () => clickCodeLens(page, 'Send 4 updates (workspace not trusted)'));
    assert.match(bulk, /^Sending is disabled in an untrusted workspace\./);

    assert.deepEqual(
      ctx.fake.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'the fake Clerk received no request at all',
    );
  });
});
