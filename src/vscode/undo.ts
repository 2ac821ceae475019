import * as vscode from 'vscode';
import { ClerkClient } from '../core/clerk/client';
import { userDisplayName } from '../core/clerk/types';
import { sendPlanned } from '../core/send/send';
import type { UserQueue } from '../core/send/userQueue';
import { buildUndo, checkUndo } from '../core/users/undo';
import type { SentUpdate } from './sendResults';
import { confirmInEditor } from './sendPorts';
import type { Settings } from './settings';

export interface UndoResult {
  status: 'undone' | 'refused' | 'declined' | 'failed' | 'nothing';
  message: string;
}

export interface UndoDeps {
  queue: UserQueue;
  log: vscode.LogOutputChannel;
  settings: () => Settings;
  userAgent: string;
}

/**
 * Undo of a successful send: the send use case with the plan that restores the previous values
 * of the non-secret fields that changed. Confirmed like any send (production asks), and refused
 * when the user's updated_at moved since the send.
 */
export class UndoController {
  private readonly last = new Map<string, SentUpdate>();

  constructor(private readonly deps: UndoDeps) {}

  record(sent: SentUpdate): void {
    this.last.set(sent.document.toString(), sent);
  }

  lastFor(uri: vscode.Uri): SentUpdate | undefined {
    return this.last.get(uri.toString());
  }

  async undo(target: SentUpdate | vscode.Uri | undefined): Promise<UndoResult> {
    const sent = target instanceof vscode.Uri ? this.lastFor(target) : (target ?? this.latest());
    if (!sent) return this.tell({ status: 'nothing', message: 'There is no send to undo for this file.' });
    const fields = [...new Set(sent.plan.flatMap((p) => p.fields))];
    const plan = buildUndo(sent.before, sent.after, fields, sent.apiVersion);
    if (plan.requests.length === 0) return this.tell({ status: 'nothing', message: plan.summary });
    const { environment } = sent;
    const client = new ClerkClient({
      apiUrl: environment.apiUrl,
      secretKey: environment.key ?? '',
      apiVersion: sent.apiVersion,
      userAgent: this.deps.userAgent,
      timeoutMs: this.deps.settings().requestTimeoutMs,
    });
    const report = await this.deps.queue.run(`${environment.apiUrl}|${plan.userId}`, () =>
      sendPlanned(
        {
          client,
          instance: { name: environment.name, apiUrl: environment.apiUrl, production: environment.production },
          userId: plan.userId,
          plan: plan.requests,
          precondition: (current) => checkUndo(current, plan),
          action: 'undo',
          summary: plan.summary,
          secrets: environment.key ? [environment.key] : [],
        },
        { confirm: (question) => confirmInEditor(question, ''), log: (level, line) => this.deps.log[level](line) },
      ),
    );
    switch (report.status) {
      case 'sent': {
        this.last.delete(sent.document.toString());
        const name = `${userDisplayName(sent.after)} (${sent.after.id})`;
        const cannot = plan.notRestorable.length ? ` It cannot restore ${plan.notRestorable.join(', ')}.` : '';
        return this.tell({ status: 'undone', message: `Undid the update of ${name}: restored ${plan.restores.map((r) => r.field).join(', ')}.${cannot}` });
      }
      case 'refused':
        return this.tell({ status: 'refused', message: report.message });
      case 'declined':
        return this.tell({ status: 'declined', message: 'Undo was not confirmed; nothing was sent.' });
      default:
        return this.tell({ status: 'failed', message: report.outcome ? `Undo failed: ${report.message}` : report.message });
    }
  }

  private latest(): SentUpdate | undefined {
    return [...this.last.values()].at(-1);
  }

  private tell(result: UndoResult): UndoResult {
    const show =
      result.status === 'undone' || result.status === 'nothing' ? vscode.window.showInformationMessage : result.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void show(result.message);
    return result;
  }
}
