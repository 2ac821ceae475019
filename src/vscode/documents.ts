import type * as vscode from 'vscode';

/** The files this extension works on. Used for the document selector and for filtering events. */
export const USER_UPDATE_GLOB = '**/*.userupdate.json';
export const USER_UPDATE_SELECTOR: vscode.DocumentFilter[] = [{ pattern: USER_UPDATE_GLOB }];

export function isUserUpdateDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.toLowerCase().endsWith('.userupdate.json');
}
