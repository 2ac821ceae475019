import * as vscode from 'vscode';
import { CommandIds } from '../ids';
import type { DiagnosticsController } from '../authoring/diagnostics';

export interface SendState {
  isSending(uri: vscode.Uri): boolean;
  readonly onDidChange: vscode.Event<vscode.Uri>;
}

/** "Send update" and "Preview changes" above the root object; "Sending…" while a send is in flight. */
export class SendCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly diagnostics: DiagnosticsController,
    private readonly state: SendState,
  ) {
    this.subscriptions = [this.emitter, state.onDidChange(() => this.emitter.fire())];
  }

  /** Asks VS Code to ask for lenses again (e.g. after workspace trust changed). */
  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const root = this.diagnostics.analysis(document).root;
    if (!root || root.type !== 'object') return [];
    const start = document.positionAt(root.offset);
    const range = new vscode.Range(start, start);
    if (this.state.isSending(document.uri)) {
      return [
        new vscode.CodeLens(range, {
          title: '$(sync~spin) Sending…',
          command: CommandIds.sending,
          tooltip: 'A send is in flight for this file',
        }),
        new vscode.CodeLens(range, {
          title: 'Cancel',
          command: CommandIds.cancelSend,
          arguments: [document.uri],
        }),
      ];
    }
    if (!vscode.workspace.isTrusted) {
      return [
        new vscode.CodeLens(range, {
          title: 'Send update (workspace not trusted)',
          command: CommandIds.sendUpdate,
          arguments: [document.uri],
          tooltip: 'Sending is disabled in an untrusted workspace; authoring still works',
        }),
      ];
    }
    return [
      new vscode.CodeLens(range, {
        title: 'Send update',
        command: CommandIds.sendUpdate,
        arguments: [document.uri],
        tooltip: 'Send this payload to Clerk as PATCH /v1/users/{user_id}',
      }),
      new vscode.CodeLens(range, {
        title: 'Preview changes',
        command: CommandIds.previewChanges,
        arguments: [document.uri],
        tooltip: "Compare the user's current fields with what they will be after the send",
      }),
      new vscode.CodeLens(range, {
        title: 'Copy as…',
        command: CommandIds.copyAs,
        arguments: [document.uri],
        tooltip:
          'Copy what a send would do as curl, @clerk/backend (TypeScript) or clerk-rs (Rust); the key is never copied',
      }),
    ];
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
