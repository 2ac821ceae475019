import * as vscode from 'vscode';
import { ClerkClient } from '../core/clerk/client';
import { redactSecrets } from '../core/clerk/redact';
import { sendPlan } from '../core/clerk/send';
import { userDisplayName } from '../core/clerk/types';
import { buildUndo, checkUndo } from '../core/users/undo';
import type { SentUpdate } from './sendController';
import type { Settings } from './settings';
import type { UserQueue } from './userQueue';

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
 * Undo of a successful send: a PATCH (and PUT …/metadata under 2026-05-12) restoring the previous
 * values of the non-secret fields that changed. Confirmed like any send (production asks), and
 * refused when the user's updated_at moved since the send.
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
    const sent = target instanceof vscode.Uri ? this.lastFor(target) : target ?? this.latest();
    if (!sent) return this.tell({ status: 'nothing', message: 'There is no send to undo for this file.' });
    const fields = [...new Set(sent.plan.flatMap((p) => p.fields))];
    const plan = buildUndo(sent.before, sent.after, fields, sent.apiVersion);
    if (plan.requests.length === 0) return this.tell({ status: 'nothing', message: plan.summary });
    const { environment } = sent;
    const name = `${userDisplayName(sent.after)} (${sent.after.id})`;
    if (environment.production) {
      const answer = await vscode.window.showWarningMessage(
        `Undo on PRODUCTION: restore ${name}?`,
        { modal: true, detail: `Instance: ${environment.name} (${environment.apiUrl}).\n${plan.summary}` },
        'Undo on Production',
      );
      if (answer !== 'Undo on Production') return this.tell({ status: 'declined', message: 'Undo was not confirmed; nothing was sent.' });
    }
    const client = new ClerkClient({
      apiUrl: environment.apiUrl,
      secretKey: environment.key ?? '',
      apiVersion: sent.apiVersion,
      userAgent: this.deps.userAgent,
      timeoutMs: this.deps.settings().requestTimeoutMs,
    });
    return this.deps.queue.run(`${environment.apiUrl}|${plan.userId}`, async () => {
      const current = await client.getUser(plan.userId);
      if (!current.ok) return this.tell({ status: 'failed', message: current.message });
      const allowed = checkUndo(current.data, plan);
      if (!allowed.ok) return this.tell({ status: 'refused', message: allowed.message });
      const outcome = await sendPlan(client, plan.requests, plan.userId);
      const line = `undo env=${environment.name} user=${plan.userId} ${outcome.steps.map((s) => `${s.request.method} ${s.result.status ?? '-'}`).join(', ')} duration=${outcome.durationMs}ms`;
      if (!outcome.ok) {
        this.deps.log.error(redactSecrets(`${line}: ${outcome.failure?.message}`, [environment.key]));
        return this.tell({ status: 'failed', message: `Undo failed: ${redactSecrets(outcome.failure?.message ?? 'unknown error', [environment.key])}` });
      }
      this.deps.log.info(redactSecrets(line, [environment.key]));
      this.last.delete(sent.document.toString());
      const cannot = plan.notRestorable.length ? ` It cannot restore ${plan.notRestorable.join(', ')}.` : '';
      return this.tell({ status: 'undone', message: `Undid the update of ${name}: restored ${plan.restores.map((r) => r.field).join(', ')}.${cannot}` });
    });
  }

  private latest(): SentUpdate | undefined {
    return [...this.last.values()].at(-1);
  }

  private tell(result: UndoResult): UndoResult {
    const show = result.status === 'undone' || result.status === 'nothing' ? vscode.window.showInformationMessage : result.status === 'failed' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void show(result.message);
    return result;
  }
}
