import * as vscode from 'vscode';

/**
 * Read-only JSON documents (returned users, preview sides) served from memory under one scheme.
 * Nothing here is written to disk.
 */
export class ReadonlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private counter = 0;

  constructor(readonly scheme: string) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /**
   * Stores `content` under a fresh URI whose file name is `name` (keeps the .json extension for
   * highlighting).
   */
  put(name: string, content: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: this.scheme, path: `/${name}`, query: String(++this.counter) });
    this.contents.set(uri.toString(), content);
    return uri;
  }

  async open(name: string, content: string, language = 'json'): Promise<vscode.TextEditor> {
    const uri = this.put(name, content);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, {
      preview: true,
      preserveFocus: false,
      viewColumn: vscode.ViewColumn.Beside,
    });
  }

  dispose(): void {
    this.contents.clear();
    this.emitter.dispose();
  }
}
