import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.Disposable.from());
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
