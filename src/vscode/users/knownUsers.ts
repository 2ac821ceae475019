import * as vscode from 'vscode';
import type { ClerkUser } from '../../core/clerk/types';

/** A user as the editor last read it for a document, and the environment it was read from. */
export interface KnownUser {
  user: ClerkUser;
  environment: string;
}

/**
 * The user each `*.userupdate.json` was last read for (its preview, its send), kept while the document
 * is open: what the editor knows of that user's current metadata without asking Clerk again. A read of
 * another environment than the active one is forgotten when the environment changes.
 */
export class KnownUsers implements vscode.Disposable {
  private readonly known = new Map<string, KnownUser>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  /** Fires for a document whose known user changed (read again, or forgotten). */
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [
    this.emitter,
    vscode.workspace.onDidCloseTextDocument((d) => this.known.delete(d.uri.toString())),
  ];

  get(document: vscode.Uri): KnownUser | undefined {
    return this.known.get(document.toString());
  }

  set(document: vscode.Uri, user: ClerkUser, environment: string): void {
    this.known.set(document.toString(), { user, environment });
    this.emitter.fire(document);
  }

  /** Forgets the users read in any environment but `environment` (the active one). */
  keepEnvironment(environment: string): void {
    for (const [key, known] of this.known) {
      if (known.environment === environment) continue;
      this.known.delete(key);
      this.emitter.fire(vscode.Uri.parse(key));
    }
  }

  dispose(): void {
    this.known.clear();
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
