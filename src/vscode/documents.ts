import type * as vscode from 'vscode';
import { bulkFormatOf } from '../core/bulk/format/formatOf';
import type { BulkFormat } from '../core/bulk/format/types';

/** The files this extension works on. Used for the document selector and for filtering events. */
export const USER_UPDATE_GLOB = '**/*.userupdate.json';
export const USER_UPDATE_SELECTOR: vscode.DocumentFilter[] = [{ pattern: USER_UPDATE_GLOB }];

export function isUserUpdateDocument(document: vscode.TextDocument): boolean {
  return document.uri.path.toLowerCase().endsWith('.userupdate.json');
}

/**
 * The format of a bulk file (*.userupdates.jsonl, *.userupdates.csv), validated row by row; undefined for
 * others.
 */
export function bulkFormatOfDocument(document: vscode.TextDocument): BulkFormat | undefined {
  return bulkFormatOf(document.uri.path);
}
