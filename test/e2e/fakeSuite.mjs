// A workbench pointed at a fake Clerk, with the hooks every sending suite needs.
//
// Starting a workbench (code-server, chromium, the extension host) is most of an end-to-end suite's
// time, so suites share one per trust mode: the shared workbench and its fake Clerk (the demo users)
// stay up until the last suite that uses it is done. A suite starts with the fake's request log, write
// counts, faults and rate limits reset, and must leave the workbench and the demo users as it found
// them: it undoes what it changed, and a suite that selects another environment selects "Fake" again.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import { suiteSetup, suiteTeardown, teardown } from 'mocha';
import {
  clearNotifications,
  copySamples,
  fakeClerkModule,
  setSecretKey,
  startFake,
  startWorkbench,
  statusBarItem,
} from './workbench.mjs';

const { FAKE_TEST_KEY } = fakeClerkModule();

/**
 * In the untrusted workspace, a web/.env.local with a key and an API URL (the shared fake's) from
 * the start: Restricted Mode must never read it, so it must never show up as an environment.
 */
export const UNTRUSTED_DOTENV = 'web/.env.local';
const UNTRUSTED_DOTENV_KEY = 'sk_test_untrustedWorkspaceKey0123456789';

/**
 * In the trusted workbench, a second environment on the same fake with no key: the environment a
 * suite selects to set a key itself, as a person would (the key of "Fake" is stored when the workbench
 * starts).
 */
export const KEYLESS_ENVIRONMENT = 'Sending';

/** The shared workbenches, by trust mode: a promise of { wb, fake, workspace }. */
const shared = new Map();
/**
 * How many suites (defined in the loaded files) use the shared workbench of each trust mode and have not
 * finished.
 */
const sharers = new Map();

/**
 * A shared workbench, with the bulk pace of an instance with custom limits (a 200-row run in a few seconds
 * instead of Clerk's default 20). Trusted: the environments "Fake" and KEYLESS_ENVIRONMENT on the fake, and
 * the fake's test key stored for "Fake" with "Clerk: Set Secret Key…", so that CLERK_SECRET_KEY, which
 * every environment without a stored key would use, stays unset. Untrusted (Restricted Mode): the
 * environment "Fake", CLERK_SECRET_KEY set to the fake's test key, and a dotenv file (UNTRUSTED_DOTENV).
 */
async function startShared(trust) {
  const fake = await startFake();
  const workspace = copySamples();
  if (trust) {
    mkdirSync(join(workspace, 'web'));
    writeFileSync(
      join(workspace, UNTRUSTED_DOTENV),
      `CLERK_SECRET_KEY=${UNTRUSTED_DOTENV_KEY}\nCLERK_API_URL=${fake.url}\n`,
    );
  }
  const names = trust ? ['Fake'] : ['Fake', KEYLESS_ENVIRONMENT];
  const wb = await startWorkbench({
    workspace,
    trust,
    env: { CLERK_SECRET_KEY: trust ? FAKE_TEST_KEY : '' },
    settings: {
      'clerkUserUpdate.environments': names.map((name) => ({ name, apiUrl: fake.url })),
      'clerkUserUpdate.bulk.rate': '1000/10s',
    },
  });
  if (!trust) {
    // The extension's commands show in the Command Palette once it is active, which its status bar
    // item says.
    await statusBarItem(wb.page, 'Clerk: Fake (no key)').waitFor({ timeout: 60_000 });
    const saved = await setSecretKey(wb.page, FAKE_TEST_KEY, { environment: 'Fake' });
    assert.match(saved, /Saved the development \(sk_test_\) key for "Fake"/);
    await clearNotifications(wb.page);
  }
  return { wb, fake, workspace };
}

/**
 * Registers the suite's hooks: before it, the shared workbench of this trust mode (started by the first
 * suite that needs it) on a copy of the sample workspace whose environment "Fake" points at the shared
 * fake Clerk and has its test key; a screenshot of each failed test. Returns a holder whose `wb`, `fake`
 * and `workspace` are set once the suite started.
 *
 * @param {{ trust?: boolean }} [options] `trust: true` opens the folder in Restricted Mode
 */
export function fakeWorkbenchSuite({ trust = false } = {}) {
  /** @type {{ wb: Awaited<ReturnType<typeof startWorkbench>>, fake: any, workspace: string }} */
  const ctx = { wb: undefined, fake: undefined, workspace: undefined };
  sharers.set(trust, (sharers.get(trust) ?? 0) + 1);
  suiteSetup(async function () {
    if (!shared.has(trust)) shared.set(trust, startShared(trust));
    Object.assign(ctx, await shared.get(trust));
    ctx.fake.requests.length = 0;
    ctx.fake.resetWrites();
    ctx.fake.clearFaults();
    ctx.fake.resetRateLimits();
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && ctx.wb) {
      const file = await ctx.wb.screenshot(`failed-${this.currentTest.title}`);
      console.log(`    screenshot of the failure: ${file}`);
    }
  });
  suiteTeardown(async function () {
    // The last suite on a shared workbench stops it (a suite left out by a grep never gets here: then
    // the layer's cleanup at its end stops it).
    sharers.set(trust, sharers.get(trust) - 1);
    if (sharers.get(trust) > 0) return;
    shared.delete(trust);
    await ctx.wb?.stop();
    await ctx.fake?.stop();
  });
  return ctx;
}
