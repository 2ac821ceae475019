import * as vscode from 'vscode';
import { CommandIds } from './ids';
import type { ReadonlyDocuments } from './readonlyDocuments';
import type { SendResult, SentUpdate } from './sendController';

const RETRYABLE = new Set(['timeout', 'connection', 'network', 'dns', 'server', 'bad-response', 'too-large', 'rate-limited']);

export interface ResultActions {
  documents: ReadonlyDocuments;
  /** Offered after a successful send (issue: undo). */
  undo?: (sent: SentUpdate) => Promise<unknown>;
}

/** Shows the outcome of a send as a notification with the actions that fit it. Never awaited by the send. */
export function presentResult(result: SendResult, document: vscode.Uri, actions: ResultActions, sent?: SentUpdate): void {
  void show(result, document, actions, sent);
}

async function show(result: SendResult, document: vscode.Uri, actions: ResultActions, sent?: SentUpdate): Promise<void> {
  switch (result.status) {
    case 'sent': {
      const buttons = ['Open User', ...(sent && actions.undo ? ['Undo'] : [])];
      const choice = await vscode.window.showInformationMessage(result.message, ...buttons);
      if (choice === 'Open User' && result.user) {
        await actions.documents.open(`${result.user.id}.json`, `${JSON.stringify(result.user, null, 2)}\n`);
      } else if (choice === 'Undo' && sent && actions.undo) {
        await actions.undo(sent);
      }
      return;
    }
    case 'failed': {
      const trace = result.traceId ? ` Trace id: ${result.traceId}.` : '';
      const buttons: string[] = [];
      if (result.failureKind === 'unauthorized') buttons.push('Set Secret Key');
      // After a 2xx with an unreadable body the change was probably applied: offer a look, not a resend.
      const probablyApplied = result.httpStatus !== undefined && result.httpStatus < 300;
      if (result.failureKind && RETRYABLE.has(result.failureKind) && !probablyApplied) buttons.push('Retry');
      if (probablyApplied) buttons.push('Preview Changes');
      buttons.push('Show Log');
      const choice = await vscode.window.showErrorMessage(`${result.message}${trace}`, ...buttons);
      if (choice === 'Retry') await vscode.commands.executeCommand(CommandIds.sendUpdate, document);
      else if (choice === 'Preview Changes') await vscode.commands.executeCommand(CommandIds.previewChanges, document);
      else if (choice === 'Set Secret Key') await vscode.commands.executeCommand(CommandIds.setKey);
      else if (choice === 'Show Log') await vscode.commands.executeCommand(CommandIds.showLog);
      return;
    }
    case 'no-key': {
      const choice = await vscode.window.showWarningMessage(result.message, 'Set Secret Key');
      if (choice) await vscode.commands.executeCommand(CommandIds.setKey);
      return;
    }
    case 'untrusted': {
      const choice = await vscode.window.showWarningMessage(result.message, 'Manage Workspace Trust');
      if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    case 'cancelled':
    case 'busy':
    case 'nothing':
      await vscode.window.showInformationMessage(result.message);
      return;
    default:
      await vscode.window.showWarningMessage(result.message);
  }
}
