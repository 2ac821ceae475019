import * as vscode from 'vscode';
import { renderUpdateFile, updateFileName } from '../../core/users/editable';
import type { ApiVersion } from '../../core/versions';
import type { ClientFactory } from '../environments/clients';
import { createAndOpen } from './newFile';
import { pickUser } from './userPicker';

/**
 * "Clerk: New Update File for User…": search users, then create `<username or id>.userupdate.json`
 * (never overwriting) with $user_id, $api_version and the user's current editable, non-secret values.
 */
export async function newUpdateFileForUser(
  clients: ClientFactory,
  apiVersion: ApiVersion,
  userId?: string,
): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'Reading users from Clerk is disabled in an untrusted workspace. Trust the workspace to start from a real user.',
    );
    return undefined;
  }
  const made = await clients.forActive(apiVersion);
  if (!made.ok) {
    void vscode.window.showWarningMessage(made.message);
    return undefined;
  }
  const id = userId ?? (await pickUser(made.client, undefined, 'New update file for which Clerk user?'))?.id;
  if (!id) return undefined;
  const read = await made.client.getUser(id);
  if (!read.ok) {
    void vscode.window.showErrorMessage(read.message);
    return undefined;
  }
  const base = updateFileName(read.data).replace(/\.userupdate\.json$/, '');
  const editor = await createAndOpen(base, renderUpdateFile(read.data, apiVersion));
  return editor?.document.uri;
}
