// End to end: a person opens a *.userupdate.json file in the real workbench, sees the problems,
// and clicks the "Send update" CodeLens.
import * as assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import { REPO } from '../../scripts/lib/build.mjs';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  clickCodeLens,
  notificationAfter,
  openFile,
  waitForProblems,
  waitForSquiggles,
} from './workbench.mjs';

suite('e2e: authoring a user update in the workbench', function () {
  const ctx = fakeWorkbenchSuite();

  suiteSetup(function () {
    copyFileSync(
      join(REPO, 'test', 'fixtures', 'harness', 'invalid.userupdate.json'),
      join(ctx.workspace, 'invalid.userupdate.json'),
    );
  });

  test('shows squiggles and the Problems count, and the Send update lens acts', async function () {
    const { page } = ctx.wb;
    await openFile(page, 'invalid.userupdate.json');
    const squiggles = await waitForSquiggles(page);
    assert.ok(squiggles >= 1, `squiggles in the editor: ${squiggles}`);
    const counts = await waitForProblems(page, (c) => c.errors + c.warnings >= 2);
    console.log(`    Problems in the status bar: ${counts.errors} error(s), ${counts.warnings} warning(s)`);
    await ctx.wb.screenshot('diagnostics');

    // Sending is refused while the file has errors: the lens acted, and says what to fix.
    const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), {
      match: /^Not sent: /,
    });
    assert.match(message, /^Not sent: fix .+ first\.$/);
    console.log(`    notification after the click: ${message}`);
    const file = await ctx.wb.screenshot('send-update');
    console.log(`    screenshot: ${file}`);
  });
});
