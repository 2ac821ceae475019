// End to end: a 200-row CSV run from its "Send 200 updates"
// lens on the real workbench. While a row is held at the fake, the lens says "Running… | Cancel" and
// the progress notification counts the rows; then the summary notification, and its "Open Report".
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  clickNotificationButton,
  codeLens,
  copySamples,
  environmentSettings,
  fakeClerkModule,
  notificationToast,
  notifications,
  openFile,
  startFake,
  startWorkbench,
} from './workbench.mjs';
import { waitFor } from '../../scripts/lib/processes.mjs';

const ROWS = 200;
const FILE = 'rollout.userupdates.csv';

suite('e2e: a bulk run from the lens', function () {
  let fake;
  let wb;
  let users;

  suiteSetup(async function () {
    fake = await startFake({ users: { generate: ROWS, seed: 3, base: 'none' } });
    users = [...fake.users.values()];
    const workspace = copySamples();
    writeFileSync(join(workspace, FILE), `$user_id,locale\n${users.map((u) => `${u.id},nl-NL`).join('\n')}\n`);
    wb = await startWorkbench({
      workspace,
      env: { CLERK_SECRET_KEY: fakeClerkModule().FAKE_TEST_KEY },
      // The pace of an instance with custom limits: 200 rows in a few seconds instead of Clerk's default 20.
      settings: { ...environmentSettings(fake.url, 'Fake'), 'clerkUserUpdate.bulk.rate': '1000/10s' },
    });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && wb) console.log(`    screenshot of the failure: ${await wb.screenshot(`failed-${this.currentTest.title}`)}`);
  });
  suiteTeardown(async function () {
    await wb?.stop();
    await fake?.stop();
  });

  test('a 200-row CSV: the lens, "Running…" and the progress while a row is in flight, then the summary and the report', async function () {
    const { page } = wb;
    await openFile(page, FILE);
    await codeLens(page, `Send ${ROWS} updates`).waitFor();
    await clearNotifications(page);

    // One row is held at the fake, so the run is certainly in flight while the test looks at it.
    const held = fake.hold({ method: 'PATCH', path: `/v1/users/${users[150].id}` });
    await clickCodeLens(page, `Send ${ROWS} updates`);
    await held.arrived;
    await codeLens(page, 'Running…').waitFor();
    await codeLens(page, 'Cancel').waitFor();
    const progress = await waitFor(async () => (await notifications(page)).find((m) => /\d+ \/ 200 rows · [\d.]+ rows\/s/.test(m)), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: 'the progress notification with the rows done',
    });
    console.log(`    in flight: "${progress}"`);
    await wb.screenshot('bulk-run-in-progress');
    held.release();

    const summary = await waitFor(async () => (await notifications(page)).find((m) => m.startsWith(`${FILE}: `)), { timeoutMs: 60_000, intervalMs: 100, what: 'the summary notification' });
    assert.match(summary, new RegExp(`^${FILE.replace(/\./g, '\\.')}: Updated 200, unchanged 0, failed 0 of 200 rows; \\d+ requests, 0 rate-limited, in [\\d.]+ s\\.$`));
    const buttons = await notificationToast(page, summary).locator('.monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['Open Report', 'Undo Run', 'Show Log']);
    await codeLens(page, `Send ${ROWS} updates`).waitFor();
    await wb.screenshot('bulk-run-summary');

    assert.equal(fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200).length, ROWS);
    assert.deepEqual(fake.writes().appliedMoreThanOnce, [], 'no row was applied twice');
    assert.ok(users.every((u) => fake.users.get(u.id).locale === 'nl-NL'), 'every user has the new locale');

    await clickNotificationButton(page, summary, 'Open Report');
    await activeTab(page, `${FILE}.report.jsonl`).waitFor();
  });
});
