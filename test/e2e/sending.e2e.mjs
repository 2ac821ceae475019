// End to end (issues 4 and 7): a person sets a key through the Command Palette, clicks the
// "Send update" CodeLens and sees the result; with a production key, the modal names the user,
// the instance and the fields, and only "Send to Production" sends. The fake Clerk runs in this
// process, so the test reads exactly what reached it.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, suiteTeardown, teardown, test } from 'mocha';
import {
  clearNotifications,
  clickCodeLens,
  clickDialogButton,
  copySamples,
  environmentSettings,
  fakeClerkModule,
  fakeUser,
  NOT_PROGRESS,
  notificationAfter,
  openFile,
  setSecretKey,
  startFake,
  startWorkbench,
  statusBarItem,
  waitForDialog,
} from './workbench.mjs';

const { FAKE_TEST_KEY, FAKE_LIVE_KEY } = fakeClerkModule();

suite('e2e: sending from the workbench', function () {
  /** @type {Awaited<ReturnType<typeof startWorkbench>>} */
  let wb;
  let fake;

  suiteSetup(async function () {
    fake = await startFake();
    wb = await startWorkbench({
      workspace: copySamples(),
      // No key in the environment: the test sets one through the command, as a person would.
      env: { CLERK_SECRET_KEY: '' },
      settings: environmentSettings(fake.url, 'Fake'),
    });
  });

  teardown(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      const file = await wb.screenshot(`failed-${this.currentTest.title}`);
      console.log(`    screenshot of the failure: ${file}`);
    }
  });

  suiteTeardown(async function () {
    await wb?.stop();
    await fake?.stop();
  });

  test('sets a key with "Clerk: Set Secret Key…", clicks Send update, and the fake records the PATCH', async function () {
    const { page } = wb;
    const ada = fakeUser(fake, 'Ada');
    await openFile(page, 'rename-user.userupdate.json');
    await statusBarItem(page, 'Clerk: Fake (no key)').waitFor();

    const saved = await setSecretKey(page, FAKE_TEST_KEY);
    assert.match(saved, /Saved the development \(sk_test_\) key for "Fake"/);
    await statusBarItem(page, /Clerk: Fake$/).waitFor();
    const keyInText = await page.locator('body').evaluate((body, key) => body.innerText.includes(key), FAKE_TEST_KEY);
    assert.equal(keyInText, false, 'the key is not shown anywhere in the workbench');
    await clearNotifications(page);

    const started = Date.now();
    const message = await notificationAfter(page, () => clickCodeLens(page, 'Send update'), { match: NOT_PROGRESS });
    const ms = Date.now() - started;
    assert.equal(message, `Updated Augusta Ada King (${ada.id}).`);
    console.log(`    "${message}" ${ms} ms after the click (click → GET + PATCH → notification)`);
    await wb.screenshot('sending-success');

    const patches = fake.requestsTo('PATCH', `/v1/users/${ada.id}`);
    assert.equal(patches.length, 1, 'one PATCH');
    const [patch] = patches;
    assert.deepEqual(JSON.parse(patch.body), { first_name: 'Augusta Ada', last_name: 'King' });
    assert.equal(patch.status, 200);
    assert.deepEqual(patch.auth, { status: 'ok', keyLabel: 'test' });
    assert.equal(patch.headers['clerk-api-version'], '2026-05-12');
    assert.match(patch.headers['user-agent'], /^clerk-user-update-vscode\/\d+\.\d+\.\d+/);
    assert.equal(fake.users.get(ada.id).first_name, 'Augusta Ada');
  });

  test('production key: the modal names user, instance and fields; Cancel sends nothing, "Send to Production" sends once', async function () {
    const { page } = wb;
    const alan = fakeUser(fake, 'Alan');
    const patchesToAlan = () => fake.requestsTo('PATCH', `/v1/users/${alan.id}`);
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
    assert.match(asked.detail, new RegExp(`Instance: Fake \\(${fake.url.replace(/[.]/g, '\\.')}\\), production key \\(sk_live_\\)\\.`));
    assert.match(asked.detail, /Fields: create_organization_enabled\./);
    assert.ok(asked.buttons.includes('Send to Production'), `buttons: ${asked.buttons.join(', ')}`);
    await wb.screenshot('production-confirmation');
    const declined = await notificationAfter(page, () => clickDialogButton(page, 'Cancel'), { match: NOT_PROGRESS });
    assert.equal(declined, 'Not sent: the production send was not confirmed.');
    assert.equal(patchesToAlan().length, 0, 'no PATCH after Cancel');
    assert.equal(fake.users.get(alan.id).create_organization_enabled, enabledBefore);

    // Second time: confirm.
    await clearNotifications(page);
    await clickCodeLens(page, 'Send update');
    const again = await waitForDialog(page);
    assert.match(again.message, /^Send to PRODUCTION: update Alan Turing/);
    const sent = await notificationAfter(page, () => clickDialogButton(page, 'Send to Production'), { match: NOT_PROGRESS });
    assert.equal(sent, `Updated Alan Turing (${alan.id}).`);
    const patches = patchesToAlan();
    assert.equal(patches.length, 1, 'exactly one PATCH after confirming');
    assert.deepEqual(JSON.parse(patches[0].body), { create_organization_enabled: false });
    assert.deepEqual(patches[0].auth, { status: 'ok', keyLabel: 'live' });
    assert.equal(fake.users.get(alan.id).create_organization_enabled, false);
  });
});
