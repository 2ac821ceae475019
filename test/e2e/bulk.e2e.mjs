// End to end: a 200-row CSV run from its "Send 200 updates"
// lens on the real workbench. While a row is held at the fake, the lens says "Running… | Cancel" and
// the progress notification counts the rows; then the summary notification, and its "Open Report".
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, test } from 'mocha';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  clickNotificationButton,
  codeLens,
  notificationToast,
  notifications,
  openFromExplorer,
} from './workbench.mjs';
import { waitFor } from '../../scripts/lib/processes.mjs';

const ROWS = 200;
const FILE = 'rollout.userupdates.csv';

suite('e2e: a bulk run from the lens', function () {
  // The workbench's bulk pace is that of an instance with custom limits: 200 rows in a few seconds.
  const ctx = fakeWorkbenchSuite();
  let fake;
  let users;

  suiteSetup(async function () {
    fake = ctx.fake;
    // 200 users of this suite's own, next to the demo users, and a CSV that updates each of them.
    const before = new Set(fake.users.keys());
    fake.generateUsers(ROWS, 3);
    users = [...fake.users.values()].filter((u) => !before.has(u.id));
    assert.equal(users.length, ROWS);
    writeFileSync(
      join(ctx.workspace, FILE),
      `$user_id,locale\n${users.map((u) => `${u.id},nl-NL`).join('\n')}\n`,
    );
  });

  test('a 200-row CSV: the lens, "Running…" and the progress while a row is in flight, then the summary and the report', async function () {
    const { page } = ctx.wb;
    await openFromExplorer(page, FILE);
    await codeLens(page, `Send ${ROWS} updates`).waitFor();
    await clearNotifications(page);

    // One row is held at the fake, so the run is certainly in flight while the test looks at it.
    const held = fake.hold({ method: 'PATCH', path: `/v1/users/${users[150].id}` });
    await clickCodeLens(page, `Send ${ROWS} updates`);
    await held.arrived;
    await codeLens(page, 'Running…').waitFor();
    await codeLens(page, 'Cancel').waitFor();
    const progress = await waitFor(
      async () => (await notifications(page)).find((m) => /\d+ \/ 200 rows · [\d.]+ rows\/s/.test(m)),
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: 'the progress notification with the rows done',
      },
    );
    console.log(`    in flight: "${progress}"`);
    await ctx.wb.screenshot('bulk-run-in-progress');
    held.release();

    const summary = await waitFor(
      async () => (await notifications(page)).find((m) => m.startsWith(`${FILE}: `)),
      { timeoutMs: 60_000, intervalMs: 100, what: `the summary notification ("${FILE}: …")` },
    );
    assert.match(
      summary,
      new RegExp(
        `^${FILE.replace(/\./g, '\\.')}: Updated 200, unchanged 0, failed 0 of 200 rows; \\d+ requests, 0 rate-limited, in [\\d.]+ s\\.$`,
      ),
    );
    const buttons = await notificationToast(page, summary).locator('.monaco-button').allInnerTexts();
    assert.deepEqual(
      buttons.map((b) => b.trim()),
      ['Open Report', 'Undo Run', 'Show Log'],
    );
    await codeLens(page, `Send ${ROWS} updates`).waitFor();
    await ctx.wb.screenshot('bulk-run-summary');

    assert.equal(fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length, ROWS);
    assert.deepEqual(fake.writes().appliedMoreThanOnce, [], 'no row was applied twice');
    assert.ok(
      users.every((u) => fake.users.get(u.id).locale === 'nl-NL'),
      'every user has the new locale',
    );

    await clickNotificationButton(page, summary, 'Open Report');
    await activeTab(page, `${FILE}.report.jsonl`).waitFor();
  });
});
