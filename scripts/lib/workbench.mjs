// A real workbench: code-server plus Debian's chromium driven by playwright-core.
// The extension host starts only once a browser window connects, so both the integration
// runner and the e2e tests go through here.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startCodeServer } from './code-server.mjs';
import { onCleanup, once } from './processes.mjs';
import { CHROMIUM_PATH, provision } from './provision.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches chromium headless (CLERK_UU_HEADED=1 shows it, given a display). */
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: process.env.CLERK_UU_HEADED !== '1',
    args: CHROMIUM_ARGS,
    // Our own handlers end the browser (see processes.mjs), in order with code-server.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const close = once(async () => {
    unregister();
    await browser.close().catch(() => {});
  });
  const unregister = onCleanup(close);
  return { browser, close };
}

/**
 * Settings of the test workbenches (the demo has its own, which the README pictures show): no minimap, which
 * no test reads and VS Code repaints on every edit and scroll. Breadcrumbs, sticky scroll and motion stay as
 * a user has them: with them off too, the "Preview changes" lens once sat above line 1 with no room made for
 * it, under the tabs, after the find widget closed.
 */
const QUIET_SETTINGS = {
  'editor.minimap.enabled': false,
};

/**
 * Opens the workbench at `url` in a new page of `browser` and waits until it is on screen. Returns
 * { context, page, consoleLines } (the page's console and errors, for a failure's report).
 */
export async function openWorkbenchPage(browser, url, { viewport = { width: 1280, height: 800 } } = {}) {
  // The clipboard as a desktop has it: without these, the web workbench's clipboard waits on a permission
  // prompt.
  const context = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  const started = Date.now();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: 60_000 });
  console.log(`[workbench] ${url} on screen in ${Date.now() - started} ms`);
  return { context, page, consoleLines };
}

/**
 * Starts code-server with the given extensions, opens `workspace` in chromium, and waits until
 * the workbench is on screen.
 * @param {object} options
 * @param {string} options.workspace  absolute folder to open
 * @param {string[]} [options.vsixes]  VSIX files to install
 * @param {Record<string,string>} [options.env]  environment of code-server and its extension host
 * @param {boolean} [options.trust]  keep Workspace Trust on (default: off, everything trusted)
 * @param {object} [options.settings]  extra user settings
 * @param {{width:number,height:number}} [options.viewport]  (default: see openWorkbenchPage)
 */
export async function startWorkbench({
  workspace,
  vsixes = [],
  env = {},
  trust = false,
  settings = {},
  viewport,
}) {
  const paths = await provision();
  // The browser starts while code-server does: neither needs the other until the page opens.
  const [serverStart, browserStart] = await Promise.allSettled([
    startCodeServer({ vsixes, env, trust, settings: { ...QUIET_SETTINGS, ...settings }, paths }),
    launchChromium(),
  ]);
  if (serverStart.status === 'rejected' || browserStart.status === 'rejected') {
    if (serverStart.status === 'fulfilled') await serverStart.value.stop();
    if (browserStart.status === 'fulfilled') await browserStart.value.close();
    throw serverStart.status === 'rejected' ? serverStart.reason : browserStart.reason;
  }
  const server = serverStart.value;
  const browserHandle = browserStart.value;
  try {
    const url = server.workbenchUrl(workspace);
    const { context, page, consoleLines } = await openWorkbenchPage(browserHandle.browser, url, { viewport });

    const stop = once(async () => {
      await browserHandle.close();
      await server.stop();
    });
    return {
      page,
      context,
      browser: browserHandle.browser,
      server,
      url,
      consoleLines,
      stop,
      /** Saves a full-page screenshot to `file` (its folder is created). */
      async screenshot(file) {
        mkdirSync(file.replace(/[/\\][^/\\]*$/, ''), { recursive: true });
        await page.screenshot({ path: file, animations: 'disabled' });
        return file;
      },
    };
  } catch (error) {
    console.error(server.logTail());
    await browserHandle.close();
    await server.stop();
    throw error;
  }
}
