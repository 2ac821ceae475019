// Untrusted workspaces read no .env at all. The workspace (written by
// scripts/run-integration.mjs) has a web/.env.local with a key and CLERK_API_URL from the start.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, openFixture } from '../helpers';

interface Api {
  environments(): { name: string; apiUrl: string; file?: string }[];
  dotenvRead(): Promise<void>;
}

suite('an untrusted workspace', () => {
  test('offers no environment from its .env.local', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the workspace is untrusted');
    await openFixture('rename.userupdate.json');
    const api = (await activateExtension()).exports as Api;
    await api.dotenvRead();
    assert.deepEqual(api.environments(), [{ name: 'Default', apiUrl: 'https://api.clerk.com' }]);
  });
});
