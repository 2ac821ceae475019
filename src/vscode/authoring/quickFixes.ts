import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE, toWorkspaceEdit } from '../convert';
import type { DiagnosticsController } from './diagnostics';

/**
 * Offers the core's fixes (did-you-mean, camelCase → snake_case, …) for our diagnostics under the cursor,
 * those of the known user's problems included.
 */
export class QuickFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: DiagnosticsController) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (ours.length === 0) return [];
    const published = this.diagnostics.published(document);
    const actions: vscode.CodeAction[] = [];
    for (const shown of ours) {
      const core = published.find(
        (d) =>
          d.code === shown.code &&
          d.range.start.line === shown.range.start.line &&
          d.range.start.character === shown.range.start.character &&
          d.range.end.line === shown.range.end.line &&
          d.range.end.character === shown.range.end.character,
      );
      for (const fix of core?.fixes ?? []) {
        // Two problems on one key may offer the same fix (metadata-mode and metadata-keys-dropped): once.
        const same = actions.find(
          (a) => a.title === fix.title && a.diagnostics?.[0]?.range.isEqual(shown.range),
        );
        if (same) {
          same.diagnostics!.push(shown);
          continue;
        }
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [shown];
        action.isPreferred = fix.preferred ?? false;
        action.edit = toWorkspaceEdit(document, fix.edits);
        actions.push(action);
      }
    }
    return actions;
  }
}
