import * as vscode from 'vscode';
import { ClerkClient } from '../../core/clerk/client';
import { type ClerkUser, userDisplayName } from '../../core/clerk/types';
import type { HistoryEntry } from '../../core/history/entry';
import { undoOfEntry } from '../../core/history/undo';
import { sendPlanned } from '../../core/send/send';
import type { SendReport } from '../../core/send/result';
import type { UserQueue } from '../../core/send/userQueue';
import { currentValue } from '../../core/users/editable';
import { showValue } from '../../core/users/preview';
import { sentKeysOf } from '../../core/metadata/sent';
import { buildUndo, checkUndo, type UndoCheck, type UndoPlan } from '../../core/users/undo';
import type { ApiVersion } from '../../core/versions';
import type { EnvironmentStore, ResolvedEnvironment } from '../environments/environments';
import type { EditorChange } from '../history/historyRecorder';
import type { SentUpdate } from './sendResults';
import { confirmInEditor } from './sendPorts';
import type { Settings } from '../settings';

export interface UndoResult {
  status: 'undone' | 'refused' | 'declined' | 'failed' | 'nothing';
  message: string;
  /** The undo's own history entry (it can be undone too). */
  entryId?: string;
}

export interface UndoDeps {
  queue: UserQueue;
  log: vscode.LogOutputChannel;
  settings: () => Settings;
  userAgent: string;
  /** The environments, to undo a history entry with the key of the environment it went to. */
  environments?: EnvironmentStore;
  /** Records the undo in the history. */
  record?: (
    report: SendReport,
    change: EditorChange,
    kind: 'undo',
    undoes?: string,
  ) => Promise<HistoryEntry | undefined>;
}

/**
 * How an entry's undo treats a user changed since the entry: ask (after showing the current values), or
 * refuse.
 */
export interface UndoEntryOptions {
  ifChanged?: 'ask' | 'refuse';
}

interface UndoJob {
  plan: UndoPlan;
  environment: ResolvedEnvironment;
  apiVersion: ApiVersion;
  name: string;
  source: vscode.Uri | undefined;
  undoes: string | undefined;
}

/**
 * Undo of a successful send, or of any entry of the history: the send use case with the plan that
 * restores the previous values of the non-secret fields that changed. Confirmed like any send
 * (production asks), and refused when the user's updated_at moved since (an entry's undo asks
 * first, showing the current values).
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
    const fields = sentKeysOf(sent.plan, sent.before);
    const plan = buildUndo(sent.before, sent.after, fields, sent.apiVersion);
    if (plan.requests.length === 0) return this.tell({ status: 'nothing', message: plan.summary });
    const name = `${userDisplayName(sent.after)} (${sent.after.id})`;
    const job: UndoJob = {
      plan,
      environment: sent.environment,
      apiVersion: sent.apiVersion,
      name,
      source: sent.document,
      undoes: sent.entryId,
    };
    const report = await this.send(job, (current) => checkUndo(current, plan));
    if (report.status === 'sent') this.last.delete(sent.document.toString());
    return this.finish(job, report);
  }

  /**
   * Undoes one entry of the history (a single send or an undo), with the key of the environment it went to.
   */
  async undoEntry(entry: HistoryEntry, options: UndoEntryOptions = {}): Promise<UndoResult> {
    const undo = undoOfEntry(entry);
    if (!undo.ok) return this.tell({ status: 'nothing', message: undo.message });
    const { plan } = undo;
    if (plan.requests.length === 0) return this.tell({ status: 'nothing', message: plan.summary });
    const environment = await this.deps.environments?.resolveNamed(entry.environment.name);
    if (!environment || environment.apiUrl !== entry.environment.api_url) {
      return this.tell({
        status: 'failed',
        message: `Undo was not sent: no environment '${entry.environment.name}' with the API URL ${entry.environment.api_url} is set up any more.`,
      });
    }
    if (!environment.key)
      return this.tell({
        status: 'failed',
        message: `Undo was not sent: the environment '${environment.name}' has no secret key.`,
      });
    const name =
      entry.user_name && entry.user_name !== entry.user_id
        ? `${entry.user_name} (${entry.user_id})`
        : `${entry.user_id}`;
    const job: UndoJob = {
      plan,
      environment,
      apiVersion: entry.api_version,
      name,
      source: entry.source ? vscode.Uri.file(entry.source) : undefined,
      undoes: entry.id,
    };
    let report = await this.send(job, (current) => checkUndo(current, plan));
    const current = report.before;
    if (
      report.status === 'refused' &&
      current &&
      current.updated_at !== plan.expectedUpdatedAt &&
      options.ifChanged !== 'refuse'
    ) {
      if (await askOverwrite(name, plan, current)) {
        // Only over the change just shown: a user that moves again meanwhile is refused.
        report = await this.send(job, (now) =>
          now.updated_at === current.updated_at ? { ok: true } : checkUndo(now, plan),
        );
      } else {
        return this.tell({ status: 'declined', message: 'Undo was not confirmed; nothing was sent.' });
      }
    }
    return this.finish(job, report);
  }

  private async send(job: UndoJob, precondition: (current: ClerkUser) => UndoCheck): Promise<SendReport> {
    const { environment, plan } = job;
    const client = new ClerkClient({
      apiUrl: environment.apiUrl,
      secretKey: environment.key ?? '',
      apiVersion: job.apiVersion,
      userAgent: this.deps.userAgent,
      timeoutMs: this.deps.settings().requestTimeoutMs,
    });
    return this.deps.queue.run(`${environment.apiUrl}|${plan.userId}`, () =>
      sendPlanned(
        {
          client,
          instance: {
            name: environment.name,
            apiUrl: environment.apiUrl,
            production: environment.production,
          },
          userId: plan.userId,
          plan: plan.requests,
          precondition,
          action: 'undo',
          summary: plan.summary,
          secrets: environment.key ? [environment.key] : [],
        },
        {
          confirm: (question) => confirmInEditor(question, ''),
          log: (level, line) => this.deps.log[level](line),
        },
      ),
    );
  }

  private async finish(job: UndoJob, report: SendReport): Promise<UndoResult> {
    const { plan, environment } = job;
    const entry = await this.deps.record?.(
      report,
      {
        instance: { name: environment.name, apiUrl: environment.apiUrl, production: environment.production },
        apiVersion: job.apiVersion,
        source: job.source,
        secrets: [environment.key],
      },
      'undo',
      job.undoes,
    );
    const entryId = entry ? { entryId: entry.id } : {};
    switch (report.status) {
      case 'sent': {
        const cannot = plan.notRestorable.length
          ? ` It cannot restore ${plan.notRestorable.join(', ')}.`
          : '';
        return this.tell({
          status: 'undone',
          message: `Undid the update of ${job.name}: restored ${plan.restores.map((r) => r.field).join(', ')}.${cannot}`,
          ...entryId,
        });
      }
      case 'refused':
        return this.tell({ status: 'refused', message: report.message });
      case 'declined':
        return this.tell({ status: 'declined', message: 'Undo was not confirmed; nothing was sent.' });
      default:
        return this.tell({
          status: 'failed',
          message: report.outcome ? `Undo failed: ${report.message}` : report.message,
          ...entryId,
        });
    }
  }

  private latest(): SentUpdate | undefined {
    return [...this.last.values()].at(-1);
  }

  private tell(result: UndoResult): UndoResult {
    const show =
      result.status === 'undone' || result.status === 'nothing'
        ? vscode.window.showInformationMessage
        : result.status === 'failed'
          ? vscode.window.showErrorMessage
          : vscode.window.showWarningMessage;
    void show(result.message);
    return result;
  }
}

/**
 * The user changed since the entry: show what it is now and what undo would put back; resolves true for
 * "Undo Anyway".
 */
async function askOverwrite(name: string, plan: UndoPlan, current: ClerkUser): Promise<boolean> {
  const lines = plan.restores.map(
    (r) =>
      `${r.field}: now ${showValue(currentValue(current, r.field))}, undo restores ${showValue(r.value)}`,
  );
  if (plan.notRestorable.length)
    lines.push(`Cannot be restored (write-only): ${plan.notRestorable.join(', ')}.`);
  const answer = await vscode.window.showWarningMessage(
    `${name} changed since this change (updated_at moved from ${new Date(plan.expectedUpdatedAt).toISOString()} to ${new Date(current.updated_at).toISOString()}). Undo anyway, overwriting the current values?`,
    { modal: true, detail: lines.join('\n') },
    'Undo Anyway',
  );
  return answer === 'Undo Anyway';
}
