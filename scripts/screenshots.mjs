// The README screenshots, taken from the real workbench (code-server + chromium, our VSIX
// installed) on a copy of samples/workspace, with the fake Clerk of `npm start` (the demo users,
// generated ones, instance-wide limits) and an environment "Demo" pointing at it:
// media/screenshot-diagnostics.png mistakes.userupdate.json with its problems and the quick fix menu (Ctrl+.)
//   media/screenshot-typed-metadata.png typed-metadata.userupdate.json checked against the demo's
//                                     types/globals.d.ts: its problems, and the hover on a role it
//                                     does not allow
//   media/screenshot-codelens.png     the "Send update" and "Preview changes" lenses
//   media/screenshot-success.png      the success notification after a send
//   media/screenshot-user.png         the returned user, opened read-only by "Open User"
//   media/screenshot-bulk-run.png     a bulk run of paris-office.userupdates.csv in progress (the demo's
//                                     fake limits the instance to 100 requests per 10 s, as Clerk does)
//   media/screenshot-bulk-preview.png the rendered Preview run of paris-office.userupdates.csv
//   media/screenshot-history.png      the "Clerk" view (history) with the send's diff before ↔ after
//   media/screenshot-history-run.png  the run's entry: each row's user and fields before ↔ after
//
// `npm run screenshots` refreshes media/. The end-to-end suite (test/e2e/screenshots.e2e.mjs)
// runs the same capture into .test-output/e2e/readme/, so a change that breaks a screenshot
// fails the tests. Options: --out DIR (default media/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAll, REPO } from './lib/build.mjs';
import { cleanupAll, isExiting, waitFor } from './lib/processes.mjs';
import { provision } from './lib/provision.mjs';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  clickNotificationButton,
  codeLens,
  copySamples,
  environmentSettings,
  fakeClerkModule,
  fakeUser,
  historyRow,
  notificationAfter,
  notifications,
  openFile,
  openHistoryView,
  runCommand,
  selectInEditor,
  startFake,
  startWorkbench,
  waitForProblems,
  waitForSquiggles,
} from '../test/e2e/workbench.mjs';

export const README_SCREENSHOTS = [
  'diagnostics',
  'typed-metadata',
  'codelens',
  'success',
  'user',
  'bulk-run',
  'bulk-preview',
  'history',
  'history-run',
];
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 800 };
/** Each PNG stays under this size (they ship in the VSIX, for the README). */
export const MAX_SCREENSHOT_BYTES = 300 * 1024;
const TIMEOUT = 30_000;

/**
 * The fake Clerk and a workbench set up like the demo: environment "Demo" on the fake, its test
 * key in CLERK_SECRET_KEY, a copy of samples/workspace, 1280x800, the default dark theme.
 */
export async function startScreenshotSession() {
  const fake = await startFake(fakeClerkModule().DEMO_FAKE_OPTIONS);
  try {
    const wb = await startWorkbench({
      workspace: copySamples(),
      env: { CLERK_SECRET_KEY: fakeClerkModule().FAKE_TEST_KEY },
      settings: {
        ...environmentSettings(fake.url, 'Demo'),
        'workbench.colorTheme': 'Default Dark Modern',
        'window.commandCenter': false,
        // The history's diff side by side, also with the side bar widened.
        'diffEditor.useInlineViewWhenSpaceIsLimited': false,
      },
      viewport: SCREENSHOT_VIEWPORT,
    });
    return {
      wb,
      fake,
      async stop() {
        await wb.stop();
        await fake.stop();
      },
    };
  } catch (error) {
    await fake.stop();
    throw error;
  }
}

/** The typed problem the typed-metadata screenshot shows in its hover (the demo's types/globals.d.ts). */
export const TYPED_METADATA_MESSAGE =
  "'superuser' is not a valid 'role': UserPublicMetadata allows 'owner', 'admin' or 'member'.";

/** Waits until no progress notification of a send is on screen (it closes a moment after the send). */
async function progressGone(page) {
  await page
    .locator('.notifications-toasts .notification-toast', { hasText: 'Clerk: sending to' })
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
}

/**
 * Takes the README screenshots (README_SCREENSHOTS) in `session` and saves them as
 * `<outDir>/screenshot-<name>.png`. Every step waits for what the picture must show, so a broken flow
 * fails here instead of producing a wrong picture. Returns { name: file }.
 */
export async function captureReadmeScreenshots({ wb, fake }, outDir) {
  const { page } = wb;
  mkdirSync(outDir, { recursive: true });
  const files = {};
  const shoot = async (name) => {
    const file = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    files[name] = file;
  };

  // 1. Diagnostics: the file with deliberate mistakes, the Problems panel, and the quick fix menu
  //    (Ctrl+.) on the camelCase key.
  await openFile(page, 'mistakes.userupdate.json');
  await waitForSquiggles(page, { kind: 'error' });
  await waitForProblems(page, (c) => c.errors >= 5);
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: TIMEOUT });
  await selectInEditor(page, 'firstName');
  // Ctrl+. finds nothing when a code action provider registers while it asks, and VS Code's JSON language
  // features register theirs when their server has started, which on a loaded machine comes after our
  // squiggles. The breadcrumbs' symbol at the cursor comes from that server's providers, registered together:
  // once it shows, Ctrl+. asks every provider there will be.
  await page
    .locator('.editor-group-container.active .breadcrumbs-control .monaco-breadcrumb-item', {
      hasText: 'firstName',
    })
    .first()
    .waitFor({ timeout: TIMEOUT });
  // Moving the cursor schedules the editor's own look for code actions at it, a moment later; if that lands
  // after Ctrl+., it replaces the menu Ctrl+. opened with the light bulb. The look the find above made may
  // have run before the JSON providers registered and found nothing, leaving no light bulb: the cursor is
  // moved to the key again, now that every provider is there, and the light bulb showing is that look done
  // (the cursor's line is the first with a quick fix).
  await selectInEditor(page, 'firstName');
  await page
    .locator(
      '.editor-group-container.active .monaco-editor :is(.lightBulbWidget, [class*="gutter-lightbulb"])',
    )
    .first()
    .waitFor({ state: 'visible', timeout: TIMEOUT });
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget', { hasText: 'Rename to' }).first().waitFor({ timeout: TIMEOUT });
  await shoot('diagnostics');
  await page.keyboard.press('Escape');
  await page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout: TIMEOUT });
  await page.keyboard.press('Control+J'); // View: Toggle Panel Visibility (hides it)
  await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: TIMEOUT });

  // 1b. Typed metadata: typed-metadata.userupdate.json against the demo's types/globals.d.ts, its typed
  //     problems in the Problems panel and the hover on the role the declaration does not allow. The
  //     declarations are read in the background after activation: their problem in the panel says the
  //     read is done.
  await runCommand(page, 'View: Close All Editors');
  await page
    .locator('.editor-group-container .tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
  await openFile(page, 'typed-metadata.userupdate.json');
  await codeLens(page, 'Send update').waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Control+Shift+M');
  await page
    .locator('.markers-panel .monaco-list-row', { hasText: TYPED_METADATA_MESSAGE })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await waitForSquiggles(page, { kind: 'error' });
  await selectInEditor(page, 'superuser');
  // The Problems panel selects the problem at the cursor (problems.autoReveal), a moment after it moves.
  await page
    .locator('.markers-panel .monaco-list-row.selected', { hasText: TYPED_METADATA_MESSAGE })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I'); // Show or Focus Hover, at the cursor
  const hover = page.locator('.monaco-hover', { hasText: TYPED_METADATA_MESSAGE }).first();
  await hover.waitFor({ state: 'visible', timeout: TIMEOUT });
  // With the problem, our hover: the declaration, in colour once the editor has tokenized it.
  await hover
    .locator('.monaco-tokenized-source', { hasText: "role?: 'owner' | 'admin' | 'member'" })
    .first()
    .waitFor({ state: 'visible', timeout: TIMEOUT });
  await shoot('typed-metadata');
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: TIMEOUT });
  await page.keyboard.press('Control+J');
  await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: TIMEOUT });

  // 2. The lenses above the JSON.
  await openFile(page, 'rename-user.userupdate.json');
  await codeLens(page, 'Send update').waitFor({ timeout: TIMEOUT });
  await codeLens(page, 'Preview changes').waitFor({ timeout: TIMEOUT });
  await clearNotifications(page);
  await shoot('codelens');

  // 3. The success notification.
  const ada = fakeUser(fake, 'Ada');
  const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), {
    match: /^Updated /,
    timeout: TIMEOUT,
  });
  if (message !== `Updated Augusta Ada King (${ada.id}).`)
    throw new Error(`unexpected notification after Send update: ${message}`);
  await progressGone(page);
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2); // no hover effects on the toast
  await shoot('success');

  // 4. "Open User": the user Clerk returned, as a read-only JSON document beside the file.
  await clickNotificationButton(page, message, 'Open User');
  await activeTab(page, `${ada.id}.json`).waitFor({ timeout: TIMEOUT });
  await page
    .locator('.editor-group-container.active .view-line', { hasText: '"object": "user"' })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page
    .locator('.editor-group-container.active .view-line', { hasText: '"first_name": "Augusta Ada"' })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await shoot('user');

  // 5. A bulk run in progress: the "Running… | Cancel" lens and the progress notification with the
  //    rows done, the rate and the time left; then Cancel (the rows in flight finish, nothing is lost).
  await runCommand(page, 'View: Close All Editors');
  await page
    .locator('.editor-group-container .tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
  await openFile(page, 'paris-office.userupdates.csv');
  await clearNotifications(page);
  await clickCodeLens(page, 'Send 300 updates');
  await codeLens(page, 'Running…').waitFor({ timeout: TIMEOUT });
  await waitFor(
    async () =>
      (await notifications(page)).some((m) => Number(/(\d+) \/ 300 rows · .* left/.exec(m)?.[1] ?? 0) >= 40),
    {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'the progress notification of the bulk run at 40 rows or more',
    },
  );
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2);
  await shoot('bulk-run');
  const cancelled = await notificationAfter(page, () => clickCodeLens(page, 'Cancel'), {
    match: /^paris-office\.userupdates\.csv: Cancelled/,
    timeout: TIMEOUT,
  });
  if (!/Run the same command again to resume/.test(cancelled))
    throw new Error(`unexpected notification after Cancel: ${cancelled}`);

  // 5b. Preview run: the rendered page beside the file (counts, fields, the first changes).
  await clearNotifications(page);
  await clickCodeLens(page, 'Preview run');
  await activeTab(page, 'Preview: paris-office.userupdates.csv').waitFor({ timeout: TIMEOUT });
  const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  await preview
    .locator('h1', { hasText: /^Preview of paris-office\.userupdates\.csv: nothing was sent$/ })
    .waitFor({ timeout: TIMEOUT });
  await preview.locator('li code', { hasText: / → / }).first().waitFor({ timeout: TIMEOUT });
  await progressGone(page);
  await clearNotifications(page);
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2);
  await shoot('bulk-preview');

  // 6. The history: the "Clerk" view in the activity bar with the send and the cancelled run, and
  //    the send's diff before ↔ after.
  await runCommand(page, 'View: Close All Editors');
  await page
    .locator('.editor-group-container .tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
  await clearNotifications(page);
  await openHistoryView(page);
  await historyRow(page, 'Run paris-office.userupdates.csv').waitFor({ timeout: TIMEOUT });
  // A wider side bar, so that the entries' fields show.
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const edge = sidebar.x + sidebar.width + 1;
    await page.mouse.move(edge, SCREENSHOT_VIEWPORT.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge + 100, SCREENSHOT_VIEWPORT.height / 2, { steps: 5 });
    await page.mouse.up();
  }
  await historyRow(page, 'Augusta Ada King').click();
  await activeTab(page, 'before ↔ after').waitFor({ timeout: TIMEOUT });
  await page
    .locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-line', {
      hasText: 'Augusta Ada',
    })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2);
  await shoot('history');

  // 7. A run's entry: each row with its user and each field before ↔ after, from the journal.
  await historyRow(page, 'Run paris-office.userupdates.csv').click();
  await activeTab(page, 'Run paris-office.userupdates.csv: before ↔ after').waitFor({ timeout: TIMEOUT });
  await page
    .locator('.editor-group-container.active .monaco-diff-editor .editor.modified .view-line', {
      hasText: /^row\s\d+:\s.+\s·\supdated$/,
    })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2);
  await shoot('history-run');
  return files;
}

/** Width and height of a PNG file (from its IHDR chunk). */
export function pngSize(file) {
  const header = readFileSync(file).subarray(0, 24);
  if (header.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file} is not a PNG`);
  return { width: header.readUInt32BE(16), height: header.readUInt32BE(20), bytes: statSync(file).size };
}

/** Shrinks a PNG with Debian's pngquant when it is installed (about 3x smaller); otherwise leaves it. */
function quantize(file) {
  const result = spawnSync(
    'pngquant',
    ['--force', '--skip-if-larger', '--quality=70-90', '--output', file, file],
    { stdio: 'ignore' },
  );
  if (result.error)
    console.log('[screenshots] pngquant not found (apt-get install pngquant): keeping the PNGs as captured');
}

async function main() {
  const outIndex = process.argv.indexOf('--out');
  const outDir = resolve(outIndex > 0 ? process.argv[outIndex + 1] : join(REPO, 'media'));
  await provision();
  await buildAll({ tests: false, runner: false });
  const session = await startScreenshotSession();
  try {
    const files = await captureReadmeScreenshots(session, outDir);
    for (const file of Object.values(files)) quantize(file);
    for (const [name, file] of Object.entries(files)) {
      const { width, height, bytes } = pngSize(file);
      const warn = bytes > MAX_SCREENSHOT_BYTES ? `  (over ${MAX_SCREENSHOT_BYTES / 1024} KB!)` : '';
      console.log(
        `[screenshots] ${name.padEnd(12)} ${file}  ${width}x${height}, ${(bytes / 1024).toFixed(0)} KB${warn}`,
      );
    }
    return Object.values(files).every((f) => existsSync(f) && statSync(f).size <= MAX_SCREENSHOT_BYTES)
      ? 0
      : 1;
  } finally {
    await session.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main()
    .then(async (code) => {
      await cleanupAll();
      process.exit(code);
    })
    .catch(async (error) => {
      if (!isExiting()) console.error(`[screenshots] ${error?.stack ?? error}`);
      await cleanupAll();
      process.exit(1);
    });
}
