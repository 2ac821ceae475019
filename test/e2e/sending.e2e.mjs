// End to end: a person sets a key through the Command Palette, clicks the
// "Send update" CodeLens and sees the result; with a production key, the modal names the user,
// the instance and the fields, and only "Send to Production" sends. The fake Clerk runs in this
// process, so the test reads exactly what reached it.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
import { fakeWorkbenchSuite } from './fakeSuite.mjs';
import {
  clearNotifications,
  clickCodeLens,
  clickDialogButton,
  fakeClerkModule,
  fakeUser,
  notificationAfter,
  openFile,
  setSecretKey,
  statusBarItem,
  waitForDialog,
} from './workbench.mjs';

const { FAKE_TEST_KEY, FAKE_LIVE_KEY } = fakeClerkModule();

suite('e2e: sending from the workbench', function () {
  // A workbench of its own: no key in the environment (the test sets one through the command, as a
  // person would), and the production key it stores must not reach other suites.
  const ctx = fakeWorkbenchSuite({ fresh: true, env: { CLERK_SECRET_KEY: '' } });

  test('sets a key with "Clerk: Set Secret Key…", clicks Send update, and the fake records the PATCH', async function () {
    const { page } = ctx.wb;
    const ada = fakeUser(ctx.fake, 'Ada');
    await openFile(page, 'rename-user.userupdate.json');
    await statusBarItem(page, 'Clerk: Fake (no key)').waitFor();

    const saved = await setSecretKey(page, FAKE_TEST_KEY);
    assert.match(saved, /Saved the development \(sk_test_\) key for "Fake"/);
    await statusBarItem(page, /Clerk: Fake$/).waitFor();
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
    const saved = await setSecretKey(page, FAKE_LIVE_KEY);
    assert.match(saved, /Saved the production \(sk_live_\) key for "Fake"/);
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
        `Instance: Fake \\(${ctx.fake.url.replace(/[.]/g, '\\.')}\\), production key \\(sk_live_\\)\\.`,
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
