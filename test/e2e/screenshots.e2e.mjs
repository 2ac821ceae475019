// The README screenshots, taken by the same code as `npm run screenshots`
// (scripts/screenshots.mjs), into .test-output/e2e/readme/. Each capture waits for what its
// picture must show, so this fails when a screenshot would show something else.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import { REPO } from '../../scripts/lib/build.mjs';
import {
  captureReadmeScreenshots,
  MAX_SCREENSHOT_BYTES,
  pngSize,
  README_SCREENSHOTS,
  SCREENSHOT_VIEWPORT,
  startScreenshotSession,
} from '../../scripts/screenshots.mjs';
import { SCREENSHOTS } from './workbench.mjs';

suite('e2e: README screenshots', function () {
  let session;

  suiteSetup(async function () {
    session = await startScreenshotSession();
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed' && session) {
      const file = await session.wb.screenshot(`failed-${this.currentTest.title}`);
      console.log(`    screenshot of the failure: ${file}`);
    }
  });

  suiteTeardown(async function () {
    await session?.stop();
  });

  test('diagnostics with a quick fix, typed metadata, the lenses, the success notification, the returned user, a bulk run in progress and the history view', async function () {
    const out = join(SCREENSHOTS, 'readme');
    const files = await captureReadmeScreenshots(session, out);
    assert.deepEqual(Object.keys(files), README_SCREENSHOTS);
    for (const name of README_SCREENSHOTS) {
      const { width, height, bytes } = pngSize(files[name]);
      assert.deepEqual({ width, height }, SCREENSHOT_VIEWPORT, name);
      assert.ok(bytes <= MAX_SCREENSHOT_BYTES, `${name}: ${bytes} bytes`);
      // The README shows the committed copies; `npm run screenshots` refreshes them.
      assert.ok(
        existsSync(join(REPO, 'media', `screenshot-${name}.png`)),
        `media/screenshot-${name}.png is committed`,
      );
    }
    console.log(`    README screenshots: ${out}`);
  });
});
