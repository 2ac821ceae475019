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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT, REPO, VSIX } from '../../scripts/lib/build.mjs';
import { onCleanup, waitFor } from '../../scripts/lib/processes.mjs';
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
 * Starts code-server with our VSIX installed and opens `workspace` in chromium.
 * @param {object} options
 * @param {string} options.workspace  absolute folder (see copyFixtures)
 * @param {Record<string,string>} [options.env]  environment of the extension host (e.g. a fake Clerk URL)
 * @param {boolean} [options.trust]  keep Workspace Trust on: the folder opens in Restricted Mode,
 *   without a prompt ("Restricted Mode" in the status bar). Default: trust off, all trusted.
 * @param {object} [options.settings]  extra user settings
 * @param {string[]} [options.vsixes]  VSIXs to install (default: ours)
 * @returns {Promise<{ page: import('playwright-core').Page, stop(): Promise<void>,
 *   screenshot(name: string): Promise<string>, server: object, url: string, consoleLines: string[] }>}
 */
export async function startWorkbench({ workspace, env = {}, trust = false, settings = {}, vsixes = [VSIX] }) {
  const wb = await startRawWorkbench({ workspace, env, trust, settings, vsixes });
  const rawScreenshot = wb.screenshot;
  return {
    ...wb,
    /** Saves .test-output/e2e/<name>.png and returns its path. */
    screenshot: (name) => rawScreenshot(join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`)),
  };
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a person would, and waits for its tab. */
export async function openFile(page, fileName, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.locator('.monaco-workbench').first().waitFor({ timeout });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(fileName);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await activeTab(page, fileName).waitFor({ timeout });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** The active editor tab for a file name. */
export function activeTab(page, fileName) {
  return page.locator('.tabs-container .tab.active', { hasText: fileName }).first();
}

/** Runs a command from the Command Palette (F1) by its title, e.g. "Clerk: Send Update". */
export async function runCommand(page, title, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first().waitFor({ timeout });
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
export async function waitForProblems(page, predicate = (c) => c.errors + c.warnings > 0, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
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
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
}

/** Waits for a notification toast whose message matches `text` (string or RegExp; any if omitted). */
export async function waitForNotification(page, text, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const toasts = page.locator('.notifications-toasts .notification-toast .notification-list-item-message');
  const match = text === undefined ? toasts.first() : toasts.filter({ hasText: text }).first();
  await match.waitFor({ state: 'visible', timeout });
  return match.innerText();
}

/**
 * Runs `action` (e.g. a click) and waits for a notification toast that was not on screen before
 * it; returns that toast's message.
 */
export async function notificationAfter(page, action, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
  const before = new Set(await notifications(page));
  await action();
  return waitFor(
    async () => (await notifications(page)).find((message) => !before.has(message)),
    { timeoutMs: timeout, intervalMs: 100, what: 'a new notification' },
  );
}
