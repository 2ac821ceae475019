import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  isSnippetLanguage,
  renderSnippet,
  SNIPPET_LABELS,
  SNIPPET_LANGUAGES,
  type SnippetLanguage,
} from '../../core/snippets';
import type { ApiVersion } from '../../core/versions';
import { isUserUpdateDocument } from '../documents';
import type { EnvironmentStore } from '../environments/environments';

/** What "Copy as…" did: the text put on the clipboard, or why nothing was copied. */
export type CopyAsResult =
  { copied: true; language: SnippetLanguage; text: string } | { copied: false; message: string };

const DETAILS: Readonly<Record<SnippetLanguage, string>> = {
  curl: 'The PATCH (and, under 2026-05-12, the PUT of the metadata) for bash, with "Authorization: Bearer $CLERK_SECRET_KEY"',
  ts: "clerkClient.users.updateUser(…) and replaceUserMetadata(…) with the SDK's camelCase names",
  rust: 'An UpdateUserRequest literal (absent = None, null = Some(None)) and User::update_user(…)',
};

/**
 * "Copy as…": the file as code that makes what a send would make, against the active environment's
 * API URL, on the clipboard. The key and secret fields are never in the text.
 */
export async function copyAs(
  store: EnvironmentStore,
  apiVersionFor: (uri: vscode.Uri) => ApiVersion,
  uri?: vscode.Uri,
  language?: string,
): Promise<CopyAsResult> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target) return tell({ copied: false, message: 'Open a *.userupdate.json file to copy it as code.' });
  const document = await vscode.workspace.openTextDocument(target);
  if (!isUserUpdateDocument(document))
    return tell({ copied: false, message: 'Only *.userupdate.json files can be copied as code.' });
  let chosen = language;
  if (chosen === undefined) {
    const picked = await vscode.window.showQuickPick(
      SNIPPET_LANGUAGES.map((id) => ({ label: SNIPPET_LABELS[id], detail: DETAILS[id], id })),
      { title: `Clerk: Copy ${path.basename(document.uri.path)} as…` },
    );
    if (!picked) return { copied: false, message: 'Nothing was copied.' };
    chosen = picked.id;
  }
  if (!isSnippetLanguage(chosen))
    return tell({
      copied: false,
      message: `'${chosen}' is not one of ${SNIPPET_LANGUAGES.map((l) => `'${l}'`).join(', ')}.`,
    });
  const snippet = renderSnippet(chosen, document.getText(), {
    apiUrl: store.active().apiUrl,
    defaultApiVersion: apiVersionFor(document.uri),
  });
  if (!snippet.ok) return tell({ copied: false, message: snippet.message });
  await vscode.env.clipboard.writeText(snippet.text);
  void vscode.window.showInformationMessage(
    `Copied ${path.basename(document.uri.path)} as ${SNIPPET_LABELS[chosen]}. The key and any secret field are read from environment variables there.`,
  );
  return { copied: true, language: chosen, text: snippet.text };
}

function tell(result: CopyAsResult & { copied: false }): CopyAsResult {
  void vscode.window.showWarningMessage(result.message);
  return result;
}
