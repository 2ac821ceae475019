// Pointing the installed extension at a fake Clerk, through its own settings and commands.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FAKE_TEST_KEY, type FakeClerk } from '../support/fake-clerk';

/**
 * Updates a user setting (undefined removes it) and resolves once the change event has been delivered (the
 * extension's handler runs first).
 */
export async function updateUserSetting(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration('clerkUserUpdate');
  // No change, no event to wait for.
  if (JSON.stringify(config.inspect(key)?.globalValue) === JSON.stringify(value)) return;
  const changed = new Promise<void>((resolve) => {
    const listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`clerkUserUpdate.${key}`)) {
        listener.dispose();
        resolve();
      }
    });
  });
  await config.update(key, value, vscode.ConfigurationTarget.Global);
  await changed;
}

/** Points the extension at `fake` with a key (pasted with whitespace around it, as people do). */
export async function useFake(fake: FakeClerk, key = FAKE_TEST_KEY): Promise<void> {
  await updateUserSetting('environments', [{ name: 'Fake', apiUrl: fake.url }]);
  assert.equal(
    await vscode.commands.executeCommand('clerkUserUpdate.selectEnvironment', 'Fake'),
    true,
    'selected the Fake environment',
  );
  assert.equal(
    await vscode.commands.executeCommand('clerkUserUpdate.setKey', {
      environment: 'Fake',
      key: `  ${key}\n`,
    }),
    true,
    'stored the key',
  );
}

/** Every file below `dir` (for the audits that no secret reached the disk). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
