import * as vscode from 'vscode';
import type * as jsonc from 'jsonc-parser';
import { rootProperties } from '../../core/parse/rootProperties';

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
        if (e.contentChanges.length > 0 && this.collection.has(e.document.uri))
          this.collection.delete(e.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.collection.delete(doc.uri)),
    ];
  }

  /** `root`: the tree of the document's current text (from the core analysis). */
  show(document: vscode.TextDocument, root: jsonc.Node | undefined, errors: readonly ParamError[]): void {
    const properties = rootProperties(root);
    const diagnostics: vscode.Diagnostic[] = [];
    for (const error of errors) {
      const keyNode = properties.find((p) => p.key === error.paramName)?.keyNode;
      const range = keyNode
        ? new vscode.Range(
            document.positionAt(keyNode.offset),
            document.positionAt(keyNode.offset + keyNode.length),
          )
        : new vscode.Range(0, 0, 0, 1);
      const diagnostic = new vscode.Diagnostic(
        range,
        `Clerk: ${error.message}`,
        vscode.DiagnosticSeverity.Error,
      );
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
