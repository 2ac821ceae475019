import * as vscode from 'vscode';
import type { Confirmation } from '../../core/send/ports';
import type { ProductionConfirmation } from '../../core/send/production';

/** The editor's side of the send use case's ports: questions as modals, progress as a notification. */

export function basename(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

/** Asks a send's question in a modal; resolves true only for the explicit button. */
export async function confirmInEditor(question: Confirmation, fileName: string): Promise<boolean> {
  if (question.kind === 'warnings') {
    const n = question.warnings.length;
    const answer = await vscode.window.showWarningMessage(
      `${fileName} has ${n === 1 ? 'a warning' : `${n} warnings`}. Send anyway?`,
      { modal: true, detail: question.warnings.join('\n') },
      'Send Anyway',
    );
    return answer === 'Send Anyway';
  }
  if (question.kind === 'dropped-keys') return false; // asked by bulk runs only (confirmRun)
  return confirmProduction(question.confirmation);
}

/** The production question (see src/core/send/production.ts), worded for a send or an undo. */
export async function confirmProduction(c: ProductionConfirmation): Promise<boolean> {
  const instance = `${c.instance.name} (${c.instance.apiUrl})`;
  if (c.action === 'undo') {
    const answer = await vscode.window.showWarningMessage(
      `Undo on PRODUCTION: restore ${c.who}?`,
      { modal: true, detail: `Instance: ${instance}.\n${c.summary ?? ''}` },
      'Undo on Production',
    );
    return answer === 'Undo on Production';
  }
  const answer = await vscode.window.showWarningMessage(
    `Send to PRODUCTION: update ${c.who}?`,
    {
      modal: true,
      detail: [
        `Instance: ${instance}, production key (sk_live_).`,
        `Fields: ${c.fields.join(', ')}.`,
        `Requests: ${c.requests.join(', ')}.`,
      ].join('\n'),
    },
    'Send to Production',
  );
  return answer === 'Send to Production';
}

/**
 * A cancellable progress notification opened on the first report, so nothing shows while a
 * question is asked before the send starts. Cancel aborts `abort`.
 */
export class LazyProgress {
  private progress: vscode.Progress<{ message?: string; increment?: number }> | undefined;
  private last: string | undefined;
  private finish: (() => void) | undefined;
  private opened = false;

  constructor(
    private readonly title: () => string,
    private readonly abort: AbortController,
  ) {}

  /**
   * `increment`: percent of the whole work done since the last report (a bulk run's bar, once the
   * notification is open).
   */
  report(message: string, increment?: number): void {
    this.last = message;
    if (this.progress) {
      this.progress.report({ message, increment });
      return;
    }
    if (this.opened) return;
    this.opened = true;
    const ended = new Promise<void>((resolve) => (this.finish = resolve));
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: this.title(), cancellable: true },
      async (progress, token) => {
        const listener = token.onCancellationRequested(() => this.abort.abort());
        this.progress = progress;
        if (this.last) progress.report({ message: this.last });
        try {
          await ended;
        } finally {
          listener.dispose();
        }
      },
    );
  }

  /** Closes the notification (a no-op when it never opened). */
  done(): void {
    this.finish?.();
    this.progress = undefined;
  }
}
