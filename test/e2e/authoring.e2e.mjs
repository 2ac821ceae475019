// End to end: a person opens a *.userupdate.json file in the real workbench, sees the problems,
// and clicks the "Send update" CodeLens.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import {
  clickCodeLens,
  copyFixtures,
  notificationAfter,
  openFile,
  startWorkbench,
  waitForProblems,
  waitForSquiggles,
} from './workbench.mjs';

suite('e2e: authoring a user update in the workbench', function () {
  /** @type {Awaited<ReturnType<typeof startWorkbench>>} */
  let wb;

  suiteSetup(async function () {
    wb = await startWorkbench({ workspace: copyFixtures('harness') });
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const file = await wb.screenshot(`failed-${this.currentTest.title}`);
      console.log(`    screenshot of the failure: ${file}`);
    }
  });

  suiteTeardown(async function () {
    await wb?.stop();
  });

  test('shows squiggles and the Problems count, and the Send update lens acts', async function () {
    const { page } = wb;
    await openFile(page, 'invalid.userupdate.json');
    const squiggles = await waitForSquiggles(page);
    assert.ok(squiggles >= 1, `squiggles in the editor: ${squiggles}`);
    const counts = await waitForProblems(page, (c) => c.errors + c.warnings >= 2);
    console.log(`    Problems in the status bar: ${counts.errors} error(s), ${counts.warnings} warning(s)`);
    await wb.screenshot('diagnostics');

    // Sending is refused while the file has errors; any new notification shows the lens acted.
    const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'));
    console.log(`    notification after the click: ${message}`);
    const file = await wb.screenshot('send-update');
    console.log(`    screenshot: ${file}`);
  });
});
