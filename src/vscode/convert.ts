import * as vscode from 'vscode';
import type { CoreDiagnostic, Range, Severity, TextEdit } from '../core/diagnostics';

/** Converts core results (plain objects) into editor objects. Nothing else in the glue builds ranges. */

export const DIAGNOSTIC_SOURCE = 'clerk-user-update';

export function toRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(core: CoreDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(core.range), core.message, toSeverity(core.severity));
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = core.code;
  return diagnostic;
}

export function toWorkspaceEdit(
  document: vscode.TextDocument,
  edits: readonly TextEdit[],
): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) {
    const range = new vscode.Range(
      document.positionAt(edit.offset),
      document.positionAt(edit.offset + edit.length),
    );
    workspaceEdit.replace(document.uri, range, edit.newText);
  }
  return workspaceEdit;
}
