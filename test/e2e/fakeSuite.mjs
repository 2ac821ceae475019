// One workbench per suite, pointed at a fake Clerk of its own: the hooks every sending suite needs.
import { suiteSetup, suiteTeardown, teardown } from 'mocha';
import { copySamples, environmentSettings, startFake, startWorkbench } from './workbench.mjs';

/**
 * Registers the suite's hooks: before it, a fake Clerk and a workbench on a copy of the sample
 * workspace whose environment "Fake" points at that fake; a screenshot of each failed test; both
 * stopped after the suite. Returns a holder whose `wb` and `fake` are set once the suite started.
 *
 * @param {{ env?: Record<string, string>, trust?: boolean }} [options] `trust: true` opens the folder in Restricted Mode
 */
export function fakeWorkbenchSuite({ env = {}, trust = false } = {}) {
  /** @type {{ wb: Awaited<ReturnType<typeof startWorkbench>>, fake: any }} */
  const ctx = { wb: undefined, fake: undefined };
  suiteSetup(async function () {
    ctx.fake = await startFake();
    ctx.wb = await startWorkbench({ workspace: copySamples(), trust, env, settings: environmentSettings(ctx.fake.url, 'Fake') });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && ctx.wb) {
      const file = await ctx.wb.screenshot(`failed-${this.currentTest.title}`);
      console.log(`    screenshot of the failure: ${file}`);
    }
  });
  suiteTeardown(async function () {
    await ctx.wb?.stop();
    await ctx.fake?.stop();
  });
  return ctx;
}
