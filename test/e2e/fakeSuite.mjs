// A workbench pointed at a fake Clerk, with the hooks every sending suite needs.
//
// Starting a workbench (code-server, chromium, the extension host) is most of an end-to-end suite's
// time, so suites share one per trust mode unless they ask for a fresh one: the shared workbench
// and its fake Clerk (the demo users) stay up until the last suite that uses it is done. A suite on a shared
// one
// starts with the fake's request log, write counts, faults and rate limits reset, and must leave
// the demo users as it found them (undo what it changed). A suite whose test needs its own state
// (another environment, a key it stores) asks for `fresh: true`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suiteSetup, suiteTeardown, teardown } from 'mocha';
import {
  copySamples,
  environmentSettings,
  fakeClerkModule,
  startFake,
  startWorkbench,
} from './workbench.mjs';

const { FAKE_TEST_KEY } = fakeClerkModule();

/**
 * In the untrusted workspace, a web/.env.local with a key and an API URL (the shared fake's) from
 * the start: Restricted Mode must never read it, so it must never show up as an environment.
 */
export const UNTRUSTED_DOTENV = 'web/.env.local';
const UNTRUSTED_DOTENV_KEY = 'sk_test_untrustedWorkspaceKey0123456789';

/** The shared workbenches, by trust mode: a promise of { wb, fake, workspace }. */
const shared = new Map();
/**
 * How many suites (defined in the loaded files) use the shared workbench of each trust mode and have not
 * finished.
 */
const sharers = new Map();

/**
 * A shared workbench: the fake's test key in CLERK_SECRET_KEY, and the bulk pace of an instance
 * with custom limits (a 200-row run in a few seconds instead of Clerk's default 20).
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
  const wb = await startWorkbench({
    workspace,
    trust,
    env: { CLERK_SECRET_KEY: FAKE_TEST_KEY },
    settings: { ...environmentSettings(fake.url, 'Fake'), 'clerkUserUpdate.bulk.rate': '1000/10s' },
  });
  return { wb, fake, workspace };
}

/**
 * Registers the suite's hooks: before it, a fake Clerk and a workbench on a copy of the sample
 * workspace whose environment "Fake" points at that fake; a screenshot of each failed test.
 * Returns a holder whose `wb`, `fake` and `workspace` are set once the suite started.
 *
 * Shared (the default): the workbench of this trust mode, CLERK_SECRET_KEY set to the fake's test
 * key, kept for the next suites. `fresh: true`: a workbench and a fake of the suite's own, with
 * `env`, stopped after the suite.
 *
 * @param {{ env?: Record<string, string>, trust?: boolean, fresh?: boolean }} [options] `trust: true` opens
 * the folder in Restricted Mode
 */
export function fakeWorkbenchSuite({ env = {}, trust = false, fresh = false } = {}) {
  if (!fresh && Object.keys(env).length)
    throw new Error('fakeWorkbenchSuite: a shared workbench has its own environment; ask for fresh: true');
  /** @type {{ wb: Awaited<ReturnType<typeof startWorkbench>>, fake: any, workspace: string }} */
  const ctx = { wb: undefined, fake: undefined, workspace: undefined };
  if (!fresh) sharers.set(trust, (sharers.get(trust) ?? 0) + 1);
  suiteSetup(async function () {
    if (fresh) {
      ctx.fake = await startFake();
      ctx.workspace = copySamples();
      ctx.wb = await startWorkbench({
        workspace: ctx.workspace,
        trust,
        env,
        settings: environmentSettings(ctx.fake.url, 'Fake'),
      });
      return;
    }
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
    if (!fresh) {
      // The last suite on a shared workbench stops it (a suite left out by a grep never gets
      // here: then the layer's cleanup at its end stops it).
      sharers.set(trust, sharers.get(trust) - 1);
      if (sharers.get(trust) > 0) return;
      shared.delete(trust);
    }
    await ctx.wb?.stop();
    await ctx.fake?.stop();
  });
  return ctx;
}
