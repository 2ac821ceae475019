// The README screenshots, taken in the `npm start` demo (scripts/lib/demo.mjs: the fake Clerk with the
// demo users, generated ones and instance-wide limits, code-server with our VSIX and the environment
// "Demo", a copy of samples/workspace) opened in chromium at 1280x800:
//   media/screenshot-diagnostics.png  mistakes.userupdate.json with its problems and the quick fix
//                                     menu (Ctrl+.)
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
// `npm run screenshots` refreshes media/. The demo's end-to-end test (test/demo/demo.e2e.mjs) takes the
// same pictures in the workbench of `npm start` into .test-output/e2e/readme/, so a change that breaks a
// screenshot fails the tests. Options: --out DIR (default media/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAll, REPO } from './lib/build.mjs';
import { DEMO_ENVIRONMENT, startDemo } from './lib/demo.mjs';
import { cleanupAll, isExiting, waitFor } from './lib/processes.mjs';
import { provision } from './lib/provision.mjs';
import { launchChromium, openWorkbenchPage } from './lib/workbench.mjs';
import {
  activeTab,
  clearNotifications,
  clickCodeLens,
  clickNotificationButton,
  codeLens,
  focusEditor,
  historyRow,
  notificationAfter,
  notifications,
  openFile,
  openHistoryView,
  runCommand,
  selectInEditor,
  selectSymbolInEditor,
  statusBarItem,
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

/** The user the rename sample targets (Ada Lovelace among the demo users). */
export const RENAME_SAMPLE_USER_ID = JSON.parse(
  readFileSync(join(REPO, 'samples', 'workspace', 'rename-user.userupdate.json'), 'utf8'),
).$user_id;

/**
 * Opens the demo's `url` in a new page of `browser` at SCREENSHOT_VIEWPORT, as a new user does, and waits
 * until it has settled: the environment "Demo" with the key from CLERK_SECRET_KEY in the status bar, and
 * the sample README that the demo opens on start-up.
 */
export async function openDemoPage(browser, url) {
  const { page } = await openWorkbenchPage(browser, url, { viewport: SCREENSHOT_VIEWPORT });
  await statusBarItem(page, `Clerk: ${DEMO_ENVIRONMENT} (CLERK_SECRET_KEY)`).waitFor({ timeout: 60_000 });
  await page.locator('.tabs-container .tab', { hasText: 'README' }).first().waitFor({ timeout: 60_000 });
  return page;
}

/** The typed problem the typed-metadata screenshot shows in its hover (the demo's types/globals.d.ts). */
export const TYPED_METADATA_MESSAGE =
  "'superuser' is not a valid 'role': UserPublicMetadata allows 'owner', 'admin' or 'member'.";

/**
 * Closes the README that the demo opens on start-up with its tab's close button, as a person would. It is a
 * Markdown preview: a webview, which takes the focus as it opens and forwards keys to the workbench only
 * once its page has loaded, so F1 pressed before then is lost (seen: the Command Palette never opened).
 */
async function closeStartupReadme(page) {
  const tab = page.locator('.tabs-container .tab', { hasText: 'README' }).first();
  await tab.locator('.tab-actions .action-label').first().click({ timeout: TIMEOUT });
  await tab.waitFor({ state: 'detached', timeout: TIMEOUT });
  // Off the tabs: the next file's tab opens under the pointer, and its hover (the file's path) would cover
  // the lenses.
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2);
}

/** Closes every editor and waits until no tab is left. */
async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await page
    .locator('.editor-group-container .tabs-container .tab')
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
}

/**
 * Shows the Problems panel (Ctrl+Shift+M) and waits until it has taken the focus. The panel takes it
 * only once its view is opened, after the extension host has answered, which on a loaded machine can
 * come well after its rows show: a key meant for an editor would then land in the panel. So the panel
 * is opened before the file, and the file's editor takes the focus from it for good. What is awaited is
 * the focus arriving in the panel, not the focus being there: shown again after the file with problems was
 * closed, the panel focuses its list of problems, which hides as their removal arrives, and the focus
 * falls to the page at once.
 */
async function showProblemsPanel(page) {
  await page.locator('body').evaluate((body) => {
    globalThis.problemsPanelFocused = false;
    const seen = (event) => {
      if (typeof event.target?.closest !== 'function' || !event.target.closest('.markers-panel')) return;
      globalThis.problemsPanelFocused = true;
      body.ownerDocument.removeEventListener('focusin', seen, true);
    };
    body.ownerDocument.addEventListener('focusin', seen, true);
  });
  await page.keyboard.press('Control+Shift+M');
  await page.waitForFunction(() => globalThis.problemsPanelFocused === true, undefined, { timeout: TIMEOUT });
}

/** Waits until no progress notification of a send is on screen (it closes a moment after the send). */
async function progressGone(page) {
  await page
    .locator('.notifications-toasts .notification-toast', { hasText: 'Clerk: sending to' })
    .first()
    .waitFor({ state: 'detached', timeout: TIMEOUT });
}

/**
 * Takes the README screenshots (README_SCREENSHOTS) in the demo's `page` (openDemoPage) and saves them as
 * `<outDir>/screenshot-<name>.png`. Every step waits for what the picture must show, so a broken flow
 * fails here instead of producing a wrong picture. Sends the rename sample and runs part of a bulk file:
 * the demo's fake changes. Returns { name: file }.
 */
export async function captureReadmeScreenshots(page, outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = {};
  const shoot = async (name) => {
    const file = join(outDir, `screenshot-${name}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    files[name] = file;
  };

  // The README the demo opened on start-up is not in the pictures.
  await closeStartupReadme(page);

  // 1. Diagnostics: the file with deliberate mistakes, the Problems panel, and the quick fix menu
  //    (Ctrl+.) on the camelCase key.
  await showProblemsPanel(page);
  await openFile(page, 'mistakes.userupdate.json');
  await waitForSquiggles(page, { kind: 'error' });
  await waitForProblems(page, (c) => c.errors >= 5);
  await page.locator('.markers-panel .monaco-list-row').first().waitFor({ timeout: TIMEOUT });
  // The light bulb shows what the editor's own look for code actions found, a moment after the cursor
  // moved, if the editor had the focus then; Ctrl+. while that look is still due opens a menu that the look
  // then replaces with the light bulb. So: the cursor to the first line, where nothing can be fixed, until
  // the light bulb is gone; then the key selected. The light bulb showing again is the look at the key done.
  const lightBulb = page
    .locator(
      '.editor-group-container.active .monaco-editor :is(.lightBulbWidget, [class*="gutter-lightbulb"])',
    )
    .first();
  await focusEditor(page, { timeout: TIMEOUT });
  await page.keyboard.press('Control+Home');
  await lightBulb.waitFor({ state: 'hidden', timeout: TIMEOUT });
  // Go to Symbol selects the key and focuses the editor in one step; its symbols come from VS Code's JSON
  // language features, whose code action providers register with them: Ctrl+. then asks every provider.
  await selectSymbolInEditor(page, 'firstName');
  await lightBulb.waitFor({ state: 'visible', timeout: TIMEOUT });
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
  await closeAllEditors(page);
  await showProblemsPanel(page);
  await openFile(page, 'typed-metadata.userupdate.json');
  await codeLens(page, 'Send update').waitFor({ timeout: TIMEOUT });
  await page
    .locator('.markers-panel .monaco-list-row', { hasText: TYPED_METADATA_MESSAGE })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await waitForSquiggles(page, { kind: 'error' });
  await selectInEditor(page, 'superuser');
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
  const adaId = RENAME_SAMPLE_USER_ID;
  const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), {
    match: /^Updated /,
    timeout: TIMEOUT,
  });
  if (message !== `Updated Augusta Ada King (${adaId}).`)
    throw new Error(`unexpected notification after Send update: ${message}`);
  await progressGone(page);
  await page.mouse.move(0, SCREENSHOT_VIEWPORT.height / 2); // no hover effects on the toast
  await shoot('success');

  // 4. "Open User": the user Clerk returned, as a read-only JSON document beside the file.
  await clickNotificationButton(page, message, 'Open User');
  await activeTab(page, `${adaId}.json`).waitFor({ timeout: TIMEOUT });
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
  await closeAllEditors(page);
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
  await closeAllEditors(page);
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
  const paths = await provision();
  const { vsix } = await buildAll({ tests: false, runner: false });
  // The fake's requests are not logged: the pictures are the output.
  const demo = await startDemo({ vsix, paths, log: () => {} });
  const { browser, close } = await launchChromium();
  try {
    const files = await captureReadmeScreenshots(await openDemoPage(browser, demo.url), outDir);
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
    await close();
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
