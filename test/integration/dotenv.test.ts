// Keys where Clerk projects keep them: the workspace's .env.local/.env files as
// environments, and "Copy as…" on the clipboard.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { renderSnippet } from '../../src/core/snippets';
import { DEMO_USER_IDS } from '../../src/fake/seed';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, startFake, type FakeClerk } from '../support/fake-clerk';
import { updateUserSetting } from './clerk';
import { activateExtension, closeAllEditors, fixtureUri, openFixture, waitForEvent } from './helpers';

interface Api {
  environments(): { name: string; apiUrl: string; file?: string }[];
  onDidChangeEnvironments: vscode.Event<void>;
  dotenvRead(): Promise<void>;
  statusBar(): Promise<{ text: string; tooltip: string; command: string | undefined; arguments: unknown[] }>;
}

/** A key only the dotenv file holds: the fake accepts it under its own label. */
const DOTENV_KEY = 'sk_test_dotenvOnlyKey0123456789abcdef';

const send = (uri: vscode.Uri) =>
  vscode.commands.executeCommand<{ status: string; message: string }>('clerkUserUpdate.sendUpdate', uri);

suite('dotenv environments and Copy as…', () => {
  let fake: FakeClerk;
  /** Where a workspace's .env points without a key: it must never receive anything. */
  let elsewhere: FakeClerk;
  let api: Api;
  const written: vscode.Uri[] = [];

  async function writeFile(relative: string, text: string): Promise<void> {
    const uri = fixtureUri(...relative.split('/'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    written.push(uri);
  }

  function waitForEnvironments<T>(
    condition: (list: ReturnType<Api['environments']>) => T | undefined | false,
    what: string,
  ): Promise<T> {
    return waitForEvent(api.onDidChangeEnvironments, () => condition(api.environments()), {
      what,
      describe: () => JSON.stringify(api.environments()),
    });
  }

  suiteSetup(async () => {
    fake = await startFake({
      keys: [
        { key: DOTENV_KEY, label: 'dotenv' },
        { key: FAKE_TEST_KEY, label: 'stored' },
      ],
    });
    elsewhere = await startFake();
    await openFixture('dotenv/rename.userupdate.json');
    api = (await activateExtension()).exports as Api;
    await updateUserSetting('environments', [{ name: 'Fake', apiUrl: fake.url }]);
    assert.equal(await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake'), true);
    assert.equal(
      await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
        environment: 'Fake',
        key: FAKE_TEST_KEY,
      }),
      true,
    );
  });
  suiteTeardown(async () => {
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake');
    await fake?.stop();
    await elsewhere?.stop();
  });
  teardown(closeAllEditors);

  test('a .env.local with a key is offered as "dotenv/web/.env.local (development)", and a send uses its key and its URL', async () => {
    await writeFile(
      'dotenv/web/.env.local',
      `# Clerk\nNEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZSQ\nCLERK_SECRET_KEY=${DOTENV_KEY}\nCLERK_API_URL=${fake.url}\n`,
    );
    const offered = await waitForEnvironments(
      (list) => list.find((e) => e.file === 'dotenv/web/.env.local'),
      'the .env.local environment',
    );
    assert.deepEqual(offered, {
      name: 'dotenv/web/.env.local (development)',
      apiUrl: fake.url,
      file: 'dotenv/web/.env.local',
    });
    assert.equal(
      await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', offered.name),
      true,
    );

    const { document } = await openFixture('dotenv/rename.userupdate.json');
    const before = fake.requests.length;
    const result = await send(document.uri);
    assert.equal(result?.status, 'sent', result?.message);
    const requests = fake.requests.slice(before).filter((r) => r.method !== 'GET');
    assert.deepEqual(
      requests.map((r) => `${r.method} ${r.path} ${r.auth.keyLabel}`),
      [`PATCH /v1/users/${DEMO_USER_IDS.ada} dotenv`, `PATCH /v1/users/${DEMO_USER_IDS.ada}/metadata dotenv`],
    );

    // Its key is read from the file, never stored: Set Secret Key refuses it.
    assert.equal(
      await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
        environment: offered.name,
        key: FAKE_TEST_KEY,
      }),
      false,
    );

    // Re-read on change: the file loses its key, the environment goes away and the active one falls back.
    await writeFile(
      'dotenv/web/.env.local',
      'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZSQ\n',
    );
    await waitForEnvironments(
      (list) => !list.some((e) => e.file === 'dotenv/web/.env.local'),
      'the .env.local environment to go away',
    );
  });

  test('the one development key of a .env.local is used when no other key is set, and the status bar says so; a production key only offered', async () => {
    // Fake selected: no dotenv file chosen by the user.
    assert.equal(await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake'), true);
    assert.equal(await vscode.commands.executeCommand('clerkUserUpdate.removeKey', 'Fake'), true);
    try {
      assert.equal((await api.statusBar()).text, '$(key) Clerk: Fake (no key)');
      await writeFile('dotenv/web/.env.local', `CLERK_SECRET_KEY=${DOTENV_KEY}\nCLERK_API_URL=${fake.url}\n`);
      await waitForEnvironments(
        (list) => list.some((e) => e.file === 'dotenv/web/.env.local'),
        'the .env.local environment',
      );
      const shown = await api.statusBar();
      assert.equal(shown.text, '$(beaker) Clerk: dotenv/web/.env.local (development) · found automatically');
      assert.equal(
        shown.tooltip,
        `dotenv/web/.env.local (development) · ${fake.url}\nDevelopment key (sk_test_), read from dotenv/web/.env.local (never stored).\nChosen automatically: it is the only key in the workspace and no other key is set. Click to choose another.`,
      );
      const { document } = await openFixture('dotenv/rename.userupdate.json');
      const before = fake.requests.length;
      assert.equal((await send(document.uri))?.status, 'sent');
      assert.deepEqual(
        [...new Set(fake.requests.slice(before).map((r) => r.auth.keyLabel))],
        ['dotenv'],
        'sent with the key of the file',
      );

      // A production key is never chosen without the user: the status bar says where it is, and a click
      // selects it.
      await writeFile(
        'dotenv/web/.env.local',
        `CLERK_SECRET_KEY=${FAKE_LIVE_KEY}\nCLERK_API_URL=${fake.url}\n`,
      );
      await waitForEnvironments(
        (list) => list.some((e) => e.name === 'dotenv/web/.env.local (production)'),
        'the production .env.local environment',
      );
      const offered = await api.statusBar();
      assert.deepEqual(offered, {
        text: '$(key) Clerk: Fake (no key) · key found in dotenv/web/.env.local',
        tooltip: `Fake · ${fake.url}\nNo secret key is set, but the workspace has one. Click to use dotenv/web/.env.local.\ndotenv/web/.env.local: a production (sk_live_) key`,
        command: 'clerkUserUpdate.selectEnvironment',
        arguments: ['dotenv/web/.env.local (production)'],
      });
      assert.equal(await vscode.commands.executeCommand(offered.command!, ...offered.arguments), true);
      assert.equal(
        (await api.statusBar()).text,
        '$(warning) Clerk: dotenv/web/.env.local (production) — PRODUCTION',
      );
    } finally {
      await writeFile(
        'dotenv/web/.env.local',
        'NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=pk_test_Y2xlcmsuZXhhbXBsZSQ\n',
      );
      await waitForEnvironments(
        (list) => !list.some((e) => e.file === 'dotenv/web/.env.local'),
        'the .env.local environment to go away',
      );
      assert.equal(
        await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
          environment: 'Fake',
          key: FAKE_TEST_KEY,
        }),
        true,
      );
      await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake');
    }
  });

  test('a .env with CLERK_API_URL and no key is not offered, and never receives a stored key', async () => {
    await writeFile('dotenv/api/.env', `CLERK_API_URL=${elsewhere.url}\n`);
    // A second file with a key proves the first one was read (the scans run over all files).
    await writeFile('dotenv/api/other/.env', `CLERK_SECRET_KEY=${DOTENV_KEY}\nCLERK_API_URL=${fake.url}\n`);
    await waitForEnvironments(
      (list) => list.some((e) => e.file === 'dotenv/api/other/.env'),
      'the other .env environment',
    );
    assert.ok(
      !api.environments().some((e) => e.apiUrl === elsewhere.url),
      JSON.stringify(api.environments()),
    );
    for (const environment of api.environments()) {
      assert.equal(
        await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', environment.name),
        true,
      );
      const { document } = await openFixture('dotenv/rename.userupdate.json');
      fake.resetRateLimits();
      await send(document.uri);
    }
    assert.deepEqual(
      elsewhere.requests.map((r) => `${r.method} ${r.path}`),
      [],
      'the URL of a keyless .env received nothing',
    );
    await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake');
  });

  test('"Copy as…" puts the curl text on the clipboard: the active environment\'s URL, never the key', async () => {
    const { document } = await openFixture('dotenv/rename.userupdate.json');
    await vscode.env.clipboard.writeText('');
    const result = await vscode.commands.executeCommand<{ copied: boolean; text?: string }>(
      'clerkUserUpdate.copyAs',
      document.uri,
      'curl',
    );
    assert.equal(result?.copied, true);
    const expected = renderSnippet('curl', document.getText(), {
      apiUrl: fake.url,
      defaultApiVersion: '2026-05-12',
    });
    assert.ok('text' in expected);
    assert.equal(await vscode.env.clipboard.readText(), expected.text);
    assert.match(
      expected.text,
      /^curl --fail-with-body -sS -X PATCH '.*' \\\n {2}-H "Authorization: Bearer \$CLERK_SECRET_KEY"/m,
    );
    assert.ok(!expected.text.includes(FAKE_TEST_KEY));
  });
});
