import * as vscode from 'vscode';
import type { ApiVersion } from '../../core/versions';

/** Picks a file name in `folder` that does not exist yet: base.userupdate.json, base-2.userupdate.json, … */
export async function freeFileUri(folder: vscode.Uri, base: string): Promise<vscode.Uri> {
  const safe = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'user';
  for (let n = 1; ; n++) {
    const candidate = vscode.Uri.joinPath(folder, `${safe}${n === 1 ? '' : `-${n}`}.userupdate.json`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}

/** The folder new files go to: the active file's folder, else the first workspace folder. */
export function targetFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file') {
    const folder = vscode.workspace.getWorkspaceFolder(active);
    if (folder) return vscode.Uri.joinPath(active, '..');
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri;
}

/** Writes `content` to a new file (never overwriting) and opens it. */
export async function createAndOpen(base: string, content: string): Promise<vscode.TextEditor | undefined> {
  let uri: vscode.Uri | undefined;
  const folder = targetFolder();
  if (folder) {
    uri = await freeFileUri(folder, base);
  } else {
    uri = await vscode.window.showSaveDialog({
      filters: { 'Clerk user update': ['userupdate.json'] },
      saveLabel: 'Create',
    });
    if (!uri) return undefined;
    if (!uri.path.endsWith('.userupdate.json'))
      uri = uri.with({ path: uri.path.replace(/(\.json)?$/, '.userupdate.json') });
  }
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(content));
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document);
}

/** The template of "Clerk: New User Update File". */
export function userUpdateTemplate(apiVersion: ApiVersion, userId = 'user_'): string {
  return `{\n  "$user_id": ${JSON.stringify(userId)},\n  "$api_version": "${apiVersion}",\n  "first_name": "Ada"\n}\n`;
}

/** "Clerk: New User Update File": creates the file from the template and selects the user id to replace. */
export async function newUserUpdateFile(apiVersion: ApiVersion): Promise<vscode.Uri | undefined> {
  const content = userUpdateTemplate(apiVersion);
  const editor = await createAndOpen('new-user', content);
  if (!editor) return undefined;
  const start = content.indexOf('"user_') + 1;
  editor.selection = new vscode.Selection(
    editor.document.positionAt(start),
    editor.document.positionAt(start + 'user_'.length),
  );
  return editor.document.uri;
}
