// Helpers for end-to-end tests: a real browser on the real workbench (code-server + chromium),
// with our extension installed from dist/clerk-user-update.vsix.
//
//   const wb = await startWorkbench({ workspace: copyFixtures() });
//   await openFile(wb.page, 'invalid.userupdate.json');
//   await waitForSquiggles(wb.page);
//   ...
//   await wb.screenshot('send-update');   // .test-output/e2e/send-update.png
//   await wb.stop();
//
// Every helper waits on a selector or condition with a timeout; none sleeps.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT, REPO, VSIX } from '../../scripts/lib/build.mjs';
import { onCleanup, once, waitFor } from '../../scripts/lib/processes.mjs';
import { startWorkbench as startRawWorkbench } from '../../scripts/lib/workbench.mjs';

export const SCREENSHOTS = join(OUTPUT, 'e2e');
export const DEFAULT_TIMEOUT_MS = 30_000;

/** A temp copy of test/fixtures (or one sub-folder of it), removed at the end of the run. */
export function copyFixtures(subfolder = '') {
  const dir = mkdtempSync(join(tmpdir(), 'clerk-uu-e2e-'));
  cpSync(join(REPO, 'test', 'fixtures', subfolder), dir, { recursive: true });
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A temp copy of samples/workspace (the demo's sample files) in a folder named `samples` (the
 * name the Explorer and the screenshots show), removed at the end of the run.
 */
export function copySamples() {
  const parent = mkdtempSync(join(tmpdir(), 'clerk-uu-e2e-'));
  const dir = join(parent, 'samples');
  cpSync(join(REPO, 'samples', 'workspace'), dir, { recursive: true });
  onCleanup(() => rmSync(parent, { recursive: true, force: true }));
  return dir;
}

/**
 * The fake Clerk from the bundle the build just made (dist/fake-clerk.js): `startFakeClerk`,
 * `FAKE_TEST_KEY`, `FAKE_LIVE_KEY`. Never part of the VSIX.
 */
export function fakeClerkModule() {
  return createRequire(import.meta.url)(join(REPO, 'dist', 'fake-clerk.js'));
}

/**
 * Starts a fake Clerk in this process on a free loopback port, seeded with the demo users, and
 * stops it at the end of the run at the latest. Returns the fake (see src/fake/server.ts).
 */
export async function startFake(options = {}) {
  const fake = await fakeClerkModule().startFakeClerk({ port: 0, host: '127.0.0.1', ...options });
  const unregister = onCleanup(() => fake.stop());
  const stop = fake.stop.bind(fake);
  fake.stop = once(async () => {
    unregister();
    await stop();
  });
  return fake;
}

/** The fake's user with this first name (the demo users: Ada, Grace, Alan, Katherine). */
export function fakeUser(fake, firstName) {
  const user = [...fake.users.values()].find((u) => u.first_name === firstName);
  if (!user) throw new Error(`the fake has no user named ${firstName}`);
  return user;
}

/**
 * Starts code-server with our VSIX installed and opens `workspace` in chromium.
 * @param {object} options
 * @param {string} options.workspace  absolute folder (see copyFixtures)
 * @param {Record<string,string>} [options.env]  environment of the extension host (e.g. a fake Clerk URL)
 * @param {boolean} [options.trust]  keep Workspace Trust on: the folder opens in Restricted Mode,
 *   without a prompt ("Restricted Mode" in the status bar). Default: trust off, all trusted.
 * @param {object} [options.settings]  extra user settings
 * @param {string[]} [options.vsixes]  VSIXs to install (default: ours)
 * @param {{width:number,height:number}} [options.viewport]  browser viewport (default 1280x800, as the README
 *   pictures)
 * @returns {Promise<{ page: import('playwright-core').Page, stop(): Promise<void>,
 *   screenshot(name: string): Promise<string>, server: object, url: string, consoleLines: string[] }>}
 */
export async function startWorkbench({
  workspace,
  env = {},
  trust = false,
  settings = {},
  vsixes = [VSIX],
  viewport,
}) {
  const wb = await startRawWorkbench({
    workspace,
    env,
    trust,
    settings,
    vsixes,
    ...(viewport ? { viewport } : {}),
  });
  const rawScreenshot = wb.screenshot;
  return {
    ...wb,
    /** Saves .test-output/e2e/<name>.png and returns its path. */
    screenshot: (name) => rawScreenshot(join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`)),
  };
}

/** A regular expression that matches exactly `text`. */
export function exactly(text) {
  return new RegExp(`^${escapeRegExp(text)}$`);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Waits until the Quick Open / Command Palette row that Enter would pick (the focused one) is
 * labelled exactly `label`. Rows arrive as the search finishes and can reorder: a row merely being
 * listed is not the row Enter picks.
 */
async function focusedPick(page, label, timeout) {
  await page
    .locator('.quick-input-widget .monaco-list-row.focused .label-name', { hasText: exactly(label) })
    .first()
    .waitFor({ timeout });
}

/** Opens the quick input with `key` (Ctrl+P, F1) and types `value` into it. */
async function fillQuickInput(page, key, value, timeout) {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press(key);
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(value, { timeout });
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P), as a person would, and waits for its tab.
 * A workbench that opens an editor on its own at start-up (the demo's README) takes the focus
 * from Quick Open: wait for that editor before calling this.
 */
export async function openFile(page, fileName, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.locator('.monaco-workbench').first().waitFor({ timeout });
  await fillQuickInput(page, 'Control+P', fileName, timeout);
  await focusedPick(page, fileName, timeout);
  await page.keyboard.press('Enter');
  await activeTab(page, fileName).waitFor({ timeout });
  await page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .first()
    .waitFor({ timeout });
}

/**
 * Opens a file from the Explorer: for a file written after the workbench opened, the Explorer's row
 * appears when the file watcher reports it, whereas quick open may still answer from the file search
 * it made before (seen after another suite used quick open in the same workbench).
 */
export async function openFromExplorer(page, fileName, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.locator('.monaco-workbench').first().waitFor({ timeout });
  await page.keyboard.press('Control+Shift+E');
  const row = page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(fileName) }) })
    .first();
  await row.waitFor({ timeout });
  await row.dblclick({ timeout });
  await activeTab(page, fileName).waitFor({ timeout });
  await page
    .locator('.editor-group-container.active .monaco-editor .view-lines')
    .first()
    .waitFor({ timeout });
}

/** The active editor tab for a file name. */
export function activeTab(page, fileName) {
  return page.locator('.tabs-container .tab.active', { hasText: fileName }).first();
}

/** Runs a command from the Command Palette (F1) by its title, e.g. "Clerk: Send Update". */
export async function runCommand(page, title, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await fillQuickInput(page, 'F1', `>${title}`, timeout);
  await focusedPick(page, title, timeout);
  await page.keyboard.press('Enter');
}

/** Waits until the active editor shows error or warning squiggles; returns their count. */
export async function waitForSquiggles(page, { kind = 'any', timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const selector = {
    any: '.squiggly-error, .squiggly-warning',
    error: '.squiggly-error',
    warning: '.squiggly-warning',
  }[kind];
  const squiggles = page.locator('.editor-group-container.active .monaco-editor').first().locator(selector);
  await squiggles.first().waitFor({ state: 'attached', timeout });
  return squiggles.count();
}

/** The Problems counts in the status bar: { errors, warnings }. */
export async function problemCounts(page) {
  const text = await page.locator('[id="status.problems"]').innerText();
  const [errors = 0, warnings = 0] = (text.match(/\d+/g) ?? []).map(Number);
  return { errors, warnings };
}

/** Waits until the status bar's Problems counts satisfy `predicate`; returns them. */
export async function waitForProblems(
  page,
  predicate = (c) => c.errors + c.warnings > 0,
  { timeout = DEFAULT_TIMEOUT_MS } = {},
) {
  await page.locator('[id="status.problems"]').waitFor({ timeout });
  return waitFor(
    async () => {
      const counts = await problemCounts(page);
      return predicate(counts) ? counts : undefined;
    },
    { timeoutMs: timeout, intervalMs: 100, what: `Problems counts matching ${predicate}` },
  );
}

/** The CodeLens link with this title in the active editor. */
export function codeLens(page, title) {
  return page.locator('.editor-group-container.active .codelens-decoration a', { hasText: title }).first();
}

/** Clicks a CodeLens by title once it is rendered. */
export async function clickCodeLens(page, title, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const lens = codeLens(page, title);
  await lens.waitFor({ state: 'visible', timeout });
  await lens.click();
}

/** Notification toasts currently shown (their messages). */
export async function notifications(page) {
  return page
    .locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .allInnerTexts();
}

/**
 * Waits for a notification toast whose message matches `text` (a RegExp anchored at the start, or
 * a string it contains), and returns its message.
 */
export async function waitForNotification(page, text, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  if (text === undefined)
    throw new Error('waitForNotification: say which notification (any one may be an earlier one)');
  const match = page
    .locator('.notifications-toasts .notification-toast .notification-list-item-message')
    .filter({ hasText: text })
    .first();
  await match.waitFor({ state: 'visible', timeout });
  return match.innerText();
}

/**
 * Runs `action` (e.g. a click) and waits for a notification toast that was not on screen before
 * it and whose message matches `match` (a RegExp; anchor it with ^ so that a progress notification
 * or an unrelated one is never taken for the outcome); returns that toast's message.
 */
export async function notificationAfter(page, action, { timeout = DEFAULT_TIMEOUT_MS, match } = {}) {
  if (!(match instanceof RegExp))
    throw new Error('notificationAfter: give the message to wait for as { match: /^…/ }');
  const before = new Set(await notifications(page));
  await action();
  try {
    return await waitFor(
      async () => (await notifications(page)).find((message) => !before.has(message) && match.test(message)),
      {
        timeoutMs: timeout,
        intervalMs: 100,
        what: `a new notification matching ${match}`,
      },
    );
  } catch (error) {
    const shown = await notifications(page).catch(() => []);
    throw new Error(
      `${error.message}; on screen: ${shown.length ? shown.map((m) => JSON.stringify(m)).join(', ') : 'none'}`,
    );
  }
}

/** The toast whose message matches `text` (string or RegExp). */
export function notificationToast(page, text) {
  return page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
}

/**
 * Clicks the button `label` (e.g. "Undo") of the notification toast whose message matches `text`. A
 * send's outcome can show while its progress notification is still up (VS Code keeps a progress
 * notification at least 800 ms); when that one closes, the toasts above it move down. A click at that
 * moment presses the button and releases elsewhere, which is no click: so it waits until no toast shows
 * progress.
 */
export async function clickNotificationButton(page, text, label, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const button = notificationToast(page, text).locator('.monaco-button', { hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout });
  await page
    .locator('.notifications-toasts .notification-toast .monaco-progress-container.active')
    .first()
    .waitFor({ state: 'detached', timeout });
  await button.click();
}

/** Closes every notification toast (so the next one is easy to tell apart, and screenshots are clean). */
export async function clearNotifications(page, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const toasts = page.locator('.notifications-toasts .notification-toast');
  if ((await toasts.count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications', { timeout });
  await toasts.first().waitFor({ state: 'detached', timeout });
}

/** A status bar item by (part of) its text, e.g. "Clerk: Demo". */
export function statusBarItem(page, text) {
  return page.locator('.statusbar-item', { hasText: text }).first();
}

/**
 * Picks the row labelled exactly `label` in the quick pick on screen: types it into the filter, waits
 * until it is the row Enter would pick, and presses Enter.
 */
async function choosePick(page, label, timeout) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(label, { timeout });
  await focusedPick(page, label, timeout);
  await page.keyboard.press('Enter');
}

/**
 * "Clerk: Set Secret Key…" from the Command Palette: types `key` into the password input box and
 * waits for the confirmation notification. Returns its message. When the settings have more than one
 * environment, the command first asks for which one: `environment` is picked there.
 */
export async function setSecretKey(page, key, { environment, timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await runCommand(page, 'Clerk: Set Secret Key…', { timeout });
  if (environment !== undefined) await choosePick(page, environment, timeout);
  const input = page.locator('.quick-input-widget input[type="password"]');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(key);
  return notificationAfter(page, () => page.keyboard.press('Enter'), { timeout, match: /^Saved the / });
}

/**
 * Selects the environment `name` as a person does from the status bar: a click on the "Clerk: …" item
 * opens "Clerk: Select Environment" (with no Command Palette closing as it opens); picks `name` and waits
 * until the status bar names it.
 */
export async function selectEnvironment(page, name, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.locator('.statusbar-item[id$=".clerkUserUpdate.environment"]').click({ timeout });
  await page.locator('.quick-input-widget', { hasText: 'Clerk: Select Environment' }).waitFor({ timeout });
  await choosePick(page, name, timeout);
  await statusBarItem(page, new RegExp(`Clerk: ${escapeRegExp(name)}( \\(|$)`)).waitFor({ timeout });
}

/** The modal dialog on screen (showWarningMessage with `modal: true`): { message, detail, buttons }. */
export async function waitForDialog(page, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const dialog = page.locator('.monaco-dialog-box').first();
  await dialog.waitFor({ state: 'visible', timeout });
  const message = await dialog.locator('.dialog-message-text').innerText();
  const detail = (await dialog.locator('.dialog-message-detail').allInnerTexts()).join('\n');
  const buttons = await dialog.locator('.dialog-buttons .monaco-button').allInnerTexts();
  return { dialog, message, detail, buttons: buttons.map((b) => b.trim()) };
}

/** Clicks the button `label` of the modal dialog on screen and waits for the dialog to close. */
export async function clickDialogButton(page, label, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const dialog = page.locator('.monaco-dialog-box').first();
  await dialog.locator('.dialog-buttons .monaco-button', { hasText: label }).first().click({ timeout });
  await dialog.waitFor({ state: 'detached', timeout });
}

/** The text the active editor renders (its visible lines, top to bottom). */
export async function editorText(page, { side = 'modified' } = {}) {
  const group = page.locator('.editor-group-container.active');
  const diff = group.locator('.monaco-diff-editor');
  const editor =
    (await diff.count()) > 0
      ? diff.locator(side === 'original' ? '.editor.original' : '.editor.modified')
      : group.locator('.monaco-editor');
  const lines = await editor
    .first()
    .locator('.view-lines .view-line')
    .evaluateAll((nodes) =>
      nodes
        .map((n) => ({ top: parseFloat(n.style.top) || 0, text: n.textContent ?? '' }))
        .sort((a, b) => a.top - b.top)
        .map((l) => l.text.replace(/\u00a0/g, ' ')),
    );
  return lines.join('\n');
}

/** Waits until the active editor has the focus. */
function editorFocused(page, timeout) {
  return page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor({ timeout });
}

/**
 * Focuses the active editor with Ctrl+1 and waits for it; a click into its lines would move the cursor
 * and can scroll.
 */
export async function focusEditor(page, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.keyboard.press('Control+1');
  await editorFocused(page, timeout);
}

/**
 * Selects the first occurrence of `text` in the active editor, as a person would with Find
 * (Ctrl+F, type, Escape leaves the match selected).
 */
export async function selectInEditor(page, text, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await focusEditor(page, { timeout });
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Control+F');
  const find = page
    .locator(
      '.editor-group-container.active .find-widget.visible textarea, .editor-group-container.active .find-widget.visible input',
    )
    .first();
  await find.waitFor({ state: 'visible', timeout });
  // The widget keeps the last search: filling in the same text again would change nothing and move to no
  // match ("? of 1"). Emptied first, the text typed in is a new search from the top.
  await find.fill('');
  await page
    .locator('.editor-group-container.active .find-widget.visible .matchesCount', { hasText: /^No results$/ })
    .waitFor({ timeout });
  await find.fill(text);
  await page
    .locator('.editor-group-container.active .find-widget.visible .matchesCount', { hasText: /^1 of \d+$/ })
    .waitFor({ timeout });
  await page.keyboard.press('Escape');
  await page
    .locator('.editor-group-container.active .find-widget.visible')
    .waitFor({ state: 'detached', timeout });
}

/**
 * Selects the key of the JSON property `name` in the active editor through Go to Symbol in Editor
 * (Ctrl+P, then `@name`), as a person would. The symbols come from VS Code's JSON language features, so
 * this also waits for their providers. The editor gets the selection and the focus in one step, so the
 * editor's own look for code actions at the new selection, a moment later, runs in a focused editor and
 * can show its light bulb (a look made while the find widget had the focus shows none).
 */
export async function selectSymbolInEditor(page, name, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await fillQuickInput(page, 'Control+P', `@${name}`, timeout);
  // A symbol's label is its kind's icon, a space and its name.
  await page
    .locator('.quick-input-widget .monaco-list-row.focused .label-name', {
      hasText: new RegExp(`^\\s*${escapeRegExp(name)}$`),
    })
    .first()
    .waitFor({ timeout });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout });
  await editorFocused(page, timeout);
}

/** The "Clerk" view's row whose text contains `text`. */
export function historyRow(page, text) {
  return page.locator('.pane-body .monaco-list-row', { hasText: text }).first();
}

/** Opens the "Clerk" view from the activity bar (once it shows, clicking again would close it). */
export async function openHistoryView(page) {
  const title = page.locator('.part.sidebar .composite.title', { hasText: /Clerk/i }).first();
  if (await title.isVisible()) return;
  await page.locator('.activitybar .action-item .action-label[aria-label^="Clerk"]').first().click();
  await title.waitFor();
}

/**
 * Right-clicks `target` and chooses `label` in its context menu with the keyboard, and waits for
 * the menu to close. Not with a click: a menu item takes mouse clicks only a moment after the menu
 * appears (VS Code adds that listener 100 ms later, against accidental clicks), and nothing on
 * screen says when; a click before then is ignored and the menu stays open with the item
 * highlighted. The keyboard works as soon as the menu has the focus, which it takes when shown.
 * Waits for the menu to close (the action has started).
 */
export async function chooseFromContextMenu(page, target, label, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await target.click({ button: 'right', timeout });
  const menu = page.locator('.context-view .monaco-menu').first();
  await menu.waitFor({ state: 'visible', timeout });
  // The pointer off the menu: hovering an item would move the menu's focus under the keys.
  await page.mouse.move(0, 0);
  await waitFor(() => menu.evaluate((element) => element.contains(element.ownerDocument.activeElement)), {
    timeoutMs: timeout,
    intervalMs: 50,
    what: 'the context menu to have the focus',
  });
  const items = menu.locator('.action-item:not(.disabled) .action-label');
  const labels = (await items.allInnerTexts()).map((l) => l.trim());
  if (!labels.includes(label)) throw new Error(`no "${label}" in the context menu: ${labels.join(', ')}`);
  const focused = menu.locator('.action-item.focused .action-label').first();
  for (let step = 0; step < labels.length; step++) {
    await page.keyboard.press('ArrowDown');
    await focused.waitFor({ timeout });
    if ((await focused.innerText()).trim() === label) break;
  }
  if ((await focused.innerText()).trim() !== label)
    throw new Error(`could not move the context menu's focus to "${label}"`);
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout });
}
