import * as vscode from 'vscode';
import type { ClerkFailure } from '../../core/clerk/errors';
import type { ClerkUser } from '../../core/clerk/types';
import type { PlannedRequest } from '../../core/payload/plan';
import type { DocumentReport } from '../../core/send/document';
import type { ApiVersion } from '../../core/versions';
import type { ResolvedEnvironment } from '../environments/environments';
import { CommandIds } from '../ids';
import type { ReadonlyDocuments } from '../readonlyDocuments';

/** What a send ended with. Returned by the command, so callers (and tests) can see it. */
export interface SendResult {
  status:
    | 'sent'
    | 'failed'
    | 'blocked'
    | 'cancelled'
    | 'busy'
    | 'declined'
    | 'untrusted'
    | 'no-key'
    | 'no-target'
    | 'nothing';
  message: string;
  userId?: string;
  environment?: string;
  /** Method, path and HTTP status of each request that was sent. */
  steps?: { method: string; path: string; status?: number }[];
  traceId?: string;
  failureKind?: ClerkFailure['kind'];
  /**
   * HTTP status of the failed request, when there was one (a 2xx here means the change was probably applied).
   */
  httpStatus?: number;
  /** The user as returned by Clerk after a successful send. */
  user?: ClerkUser;
}

/** Called after every successful send, with what undo needs. */
export interface SentUpdate {
  document: vscode.Uri;
  environment: ResolvedEnvironment;
  apiVersion: ApiVersion;
  before: ClerkUser;
  after: ClerkUser;
  plan: PlannedRequest[];
  /** The send's history entry, which its undo names. */
  entryId?: string;
}

/** The command's result object: the use case's report in the shape the editor has always returned. */
export function toSendResult(
  report: DocumentReport,
  environment: ResolvedEnvironment | undefined,
): SendResult {
  if (report.status === 'unavailable')
    return {
      status: report.problem === 'no-key' ? 'no-key' : 'blocked',
      environment: environment?.name,
      message: report.message,
    };
  const base = {
    message: report.message,
    ...(report.userId ? { userId: report.userId, environment: environment?.name } : {}),
  };
  const steps = report.outcome?.steps.map((s) => ({
    method: s.request.method,
    path: s.request.path,
    status: s.result.status,
  }));
  switch (report.status) {
    case 'sent': {
      const last = report.outcome?.steps.at(-1)?.result;
      return {
        ...base,
        status: 'sent',
        steps,
        traceId: last?.ok ? last.traceId : undefined,
        user: report.user,
      };
    }
    case 'failed': {
      const failure = report.failure;
      return {
        ...base,
        status: 'failed',
        steps: steps ?? [],
        traceId: failure?.traceId,
        failureKind: failure?.kind,
        httpStatus: failure?.status,
      };
    }
    case 'cancelled':
      return steps ? { ...base, status: 'cancelled', steps } : { ...base, status: 'cancelled' };
    case 'refused':
      return { ...base, status: 'blocked' };
    default:
      return { ...base, status: report.status };
  }
}

/** What undo needs after a successful send. */
export function toSentUpdate(
  report: DocumentReport,
  uri: vscode.Uri,
  environment: ResolvedEnvironment | undefined,
  apiVersion: ApiVersion,
): SentUpdate | undefined {
  if (report.status !== 'sent' || !report.before || !report.user || !report.plan || !environment)
    return undefined;
  return {
    document: uri,
    environment,
    apiVersion,
    before: report.before,
    after: report.user,
    plan: report.plan,
  };
}

const RETRYABLE = new Set([
  'timeout',
  'connection',
  'network',
  'dns',
  'server',
  'bad-response',
  'too-large',
  'rate-limited',
]);

export interface ResultActions {
  documents: ReadonlyDocuments;
  /** Offered after a successful send (issue: undo). */
  undo?: (sent: SentUpdate) => Promise<unknown>;
}

/** Shows the outcome of a send as a notification with the actions that fit it. Never awaited by the send. */
export function presentResult(
  result: SendResult,
  document: vscode.Uri,
  actions: ResultActions,
  sent?: SentUpdate,
): void {
  void show(result, document, actions, sent);
}

async function show(
  result: SendResult,
  document: vscode.Uri,
  actions: ResultActions,
  sent?: SentUpdate,
): Promise<void> {
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
      else if (choice === 'Preview Changes')
        await vscode.commands.executeCommand(CommandIds.previewChanges, document);
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
