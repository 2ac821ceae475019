// End to end: a person sets a key through the Command Palette, clicks the
// "Send update" CodeLens and sees the result; with a production key, the modal names the user,
// the instance and the fields, and only "Send to Production" sends. The fake Clerk runs in this
// process, so the test reads exactly what reached it.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import { fakeWorkbenchSuite, KEYLESS_ENVIRONMENT as KEYLESS } from './fakeSuite.mjs';
import {
  clearNotifications,
  clickCodeLens,
  clickDialogButton,
  fakeClerkModule,
  fakeUser,
  notificationAfter,
  openFile,
  selectEnvironment,
  setSecretKey,
  statusBarItem,
  waitForDialog,
} from './workbench.mjs';

const { FAKE_TEST_KEY, FAKE_LIVE_KEY } = fakeClerkModule();

suite('e2e: sending from the workbench', function () {
  // The environment with no key (no stored key, no CLERK_SECRET_KEY): the test sets one through the
  // command, as a person would. The production key it stores is that environment's only, and "Fake" is
  // selected again at the end, so it never reaches other suites.
  /** The users the sends change, as they were: put back at the end for the next suites. */
  let before = [];
  // Registered before the shared workbench's hooks: mocha runs the teardowns in that order, and the
  // shared one may stop the workbench (when this is the last suite on it).
  suiteTeardown(async function () {
    for (const user of before) ctx.fake.users.set(user.id, user);
    if (!ctx.wb) return;
    await clearNotifications(ctx.wb.page);
    await selectEnvironment(ctx.wb.page, 'Fake');
  });
  const ctx = fakeWorkbenchSuite();
  suiteSetup(async function () {
    before = ['Ada', 'Alan'].map((name) => JSON.parse(JSON.stringify(fakeUser(ctx.fake, name))));
    await selectEnvironment(ctx.wb.page, KEYLESS);
  });

  test('sets a key with "Clerk: Set Secret Key…", clicks Send update, and the fake records the PATCH', async function () {
    const { page } = ctx.wb;
    const ada = fakeUser(ctx.fake, 'Ada');
    await openFile(page, 'rename-user.userupdate.json');
    await statusBarItem(page, `Clerk: ${KEYLESS} (no key)`).waitFor();

    const saved = await setSecretKey(page, FAKE_TEST_KEY, { environment: KEYLESS });
    assert.match(saved, new RegExp(`Saved the development \\(sk_test_\\) key for "${KEYLESS}"`));
    await statusBarItem(page, new RegExp(`Clerk: ${KEYLESS}$`)).waitFor();
    const keyInText = await page
      .locator('body')
      .evaluate((body, key) => body.innerText.includes(key), FAKE_TEST_KEY);
    assert.equal(keyInText, false, 'the key is not shown anywhere in the workbench');
    await clearNotifications(page);

    const started = Date.now();
    const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), {
      match: /^Updated /,
    });
    const ms = Date.now() - started;
    assert.equal(message, `Updated Augusta Ada King (${ada.id}).`);
    console.log(`    "${message}" ${ms} ms after the click (click → GET + PATCH → notification)`);
    await ctx.wb.screenshot('sending-success');

    const patches = ctx.fake.requestsTo('PATCH', `/v1/users/${ada.id}`);
    assert.equal(patches.length, 1, 'one PATCH');
    const [patch] = patches;
    assert.deepEqual(JSON.parse(patch.body), { first_name: 'Augusta Ada', last_name: 'King' });
    assert.equal(patch.status, 200);
    assert.deepEqual(patch.auth, { status: 'ok', keyLabel: 'test' });
    assert.equal(patch.headers['clerk-api-version'], '2026-05-12');
    assert.match(patch.headers['user-agent'], /^clerk-user-update\/\d+\.\d+\.\d+ \(vscode \d+\.\d+\.\d+\)$/);
    assert.equal(ctx.fake.users.get(ada.id).first_name, 'Augusta Ada');
  });

  test('production key: the modal names user, instance and fields; Cancel sends nothing, "Send to Production" sends once', async function () {
    const { page } = ctx.wb;
    const alan = fakeUser(ctx.fake, 'Alan');
    const patchesToAlan = () => ctx.fake.requestsTo('PATCH', `/v1/users/${alan.id}`);
    const enabledBefore = alan.create_organization_enabled;
    await clearNotifications(page);
    const saved = await setSecretKey(page, FAKE_LIVE_KEY, { environment: KEYLESS });
    assert.match(saved, new RegExp(`Saved the production \\(sk_live_\\) key for "${KEYLESS}"`));
    await statusBarItem(page, 'PRODUCTION').waitFor();
    await clearNotifications(page);
    await openFile(page, 'no-organization-creation.userupdate.json');

    // First time: Cancel.
    await clickCodeLens(page, 'Send update');
    const asked = await waitForDialog(page);
    assert.equal(asked.message, `Send to PRODUCTION: update Alan Turing (${alan.id})?`);
    assert.match(
      asked.detail,
      new RegExp(
        `Instance: ${KEYLESS} \\(${ctx.fake.url.replace(/[.]/g, '\\.')}\\), production key \\(sk_live_\\)\\.`,
      ),
    );
    assert.match(asked.detail, /Fields: create_organization_enabled\./);
    assert.ok(asked.buttons.includes('Send to Production'), `buttons: ${asked.buttons.join(', ')}`);
    await ctx.wb.screenshot('production-confirmation');
    const declined = await notificationAfter(page, () => clickDialogButton(page, 'Cancel'), {
      match: /^Not sent: /,
    });
    assert.equal(declined, 'Not sent: the production send was not confirmed.');
    assert.equal(patchesToAlan().length, 0, 'no PATCH after Cancel');
    assert.equal(ctx.fake.users.get(alan.id).create_organization_enabled, enabledBefore);

    // Second time: confirm.
    await clearNotifications(page);
    await clickCodeLens(page, 'Send update');
    const again = await waitForDialog(page);
    assert.match(again.message, /^Send to PRODUCTION: update Alan Turing/);
    const sent = await notificationAfter(page, () => clickDialogButton(page, 'Send to Production'), {
      match: /^Updated /,
    });
    assert.equal(sent, `Updated Alan Turing (${alan.id}).`);
    const patches = patchesToAlan();
    assert.equal(patches.length, 1, 'exactly one PATCH after confirming');
    assert.deepEqual(JSON.parse(patches[0].body), { create_organization_enabled: false });
    assert.deepEqual(patches[0].auth, { status: 'ok', keyLabel: 'live' });
    assert.equal(ctx.fake.users.get(alan.id).create_organization_enabled, false);
  });
});
