import * as vscode from 'vscode';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';

export interface ParamError {
  paramName: string;
  message: string;
  code: string;
}

/**
 * Clerk's errors that name a parameter (`meta.param_name`) become diagnostics on that key.
 * They belong to one version of the text: the first edit to the file removes them.
 */
export class ApiErrorDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('clerk-api');
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    ];
  }

  show(document: vscode.TextDocument, errors: readonly ParamError[]): void {
    const root = parseTree(document.getText());
    const diagnostics: vscode.Diagnostic[] = [];
    for (const error of errors) {
      const property = root ? findNodeAtLocation(root, [error.paramName])?.parent : undefined;
      const keyNode = property?.children?.[0];
      const range = keyNode
        ? new vscode.Range(document.positionAt(keyNode.offset), document.positionAt(keyNode.offset + keyNode.length))
        : new vscode.Range(0, 0, 0, 1);
      const diagnostic = new vscode.Diagnostic(range, `Clerk: ${error.message}`, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Clerk API';
      diagnostic.code = error.code;
      diagnostics.push(diagnostic);
    }
    this.collection.set(document.uri, diagnostics);
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
