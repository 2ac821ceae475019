import * as vscode from 'vscode';
import { type Rate, formatRate, parseRate } from '../../core/pacing/rate';
import type { RunPlan, RunSummary } from '../../core/bulk/run/types';
import type { Confirmation } from '../../core/send/ports';
import type { DiagnosticsController } from '../authoring/diagnostics';
import type { ClientFactory } from '../environments/clients';
import { CommandIds, SettingIds } from '../ids';
import { confirmProduction } from '../send/sendPorts';
import type { Settings } from '../settings';
import type { ApiVersion } from '../../core/versions';
import type { RunOutcome } from '../../core/history/build';
import type { EditorChange } from '../history/historyRecorder';
import { formatCount } from '../../core/text/format';

/** What bulk runs need from the rest of the extension. */
export interface BulkRunsDeps {
  diagnostics: DiagnosticsController;
  clients: ClientFactory;
  log: vscode.LogOutputChannel;
  settings: () => Settings;
  /** `clerkUserUpdate.apiVersion` for a file (resource-scoped). */
  defaultApiVersion(uri: vscode.Uri | undefined): ApiVersion;
  /** Records a run or an undo of a run in the history (one entry, its rows linking to the journal). */
  recordRun?: (run: RunOutcome, change: EditorChange, kind: 'run' | 'undo') => Promise<unknown>;
  /** What the lenses show of a file (src/vscode/bulkLens.ts). */
  state(uri: vscode.Uri, value: LensState): void;
}

/**
 * What the lenses of a bulk file show besides its rows: a run in flight ("Running… | Cancel"), or
 * the failed rows of its last run ("Retry N failed rows") and, once a preview has counted them for
 * this version of the file, how many rows change ("Send 37 updates (3 unchanged)").
 */
export type LensState =
  | { kind: 'running' }
  | { kind: 'idle'; failedRows: number }
  | { kind: 'planned'; version: number; toChange: number; unchanged: number; failing: number };

/** What a bulk command ends with: returned by the command, so callers (and tests) can see it. */
export interface BulkResult {
  status:
    | 'finished'
    | 'cancelled'
    | 'stopped'
    | 'planned'
    | 'blocked'
    | 'declined'
    | 'refused'
    | 'unavailable'
    | 'no-key'
    | 'untrusted'
    | 'busy'
    | 'not-bulk'
    | 'unsaved'
    | 'nothing'
    | 'exported'
    | 'failed';
  message: string;
  /** The bulk file (a run) or the run's journal (an undo). */
  file?: string;
  journal?: string;
  /** The report (`FILE.report.jsonl`), the plan of a dry run (`FILE.plan.jsonl`), or the exported file. */
  report?: string;
  plan?: RunPlan;
  summary?: RunSummary;
  /** Rows that failed (1-based), as their diagnostics show them. */
  failedRows?: number[];
  /** What the progress notification showed: how many updates, and the last message of each phase. */
  progress?: { reports: number; planning?: string; sending?: string; reporting?: string };
  /** The page a preview shows (its webview's HTML). */
  html?: string;
  /** An export: how many users were written. */
  users?: number;
}

const n = formatCount;

/** A connection that could not be made, or a key Clerk refused: 'no-key' offers to set the key. */
export function unavailable(problem: string): BulkResult['status'] {
  return problem === 'no-key' || problem === 'unauthorized' ? 'no-key' : 'unavailable';
}

/** The untrusted workspace's answer, as the single-file send gives it. */
export function untrusted(what: string): BulkResult {
  return {
    status: 'untrusted',
    message: `${what} is disabled in an untrusted workspace. Authoring still works; trust the workspace to send updates to Clerk.`,
  };
}

/** The `clerkUserUpdate.bulk.rate` setting: undefined for the instance's documented limit. */
export function rateSetting(settings: Settings): { rate?: Rate; message?: string } {
  if (typeof settings.bulkRate !== 'string' || !settings.bulkRate.trim()) return {};
  const parsed = parseRate(settings.bulkRate);
  return parsed.ok
    ? { rate: parsed.rate }
    : { message: `The setting '${SettingIds.bulkRate}' is not usable: ${parsed.message}` };
}

/** "100/10s (the instance's limit for a development key)", for the log. */
export function describePace(rate: Rate | undefined, production: boolean | undefined): string {
  if (rate) return `${formatRate(rate)} (${SettingIds.bulkRate})`;
  return production
    ? "1000/10s (Clerk's limit for a production key)"
    : "100/10s (Clerk's limit for a development key)";
}

/**
 * The run's questions as modals: its warnings once, and a production run with its count, fields and users.
 */
export async function confirmRun(question: Confirmation, fileName: string): Promise<boolean> {
  if (question.kind === 'production') return confirmProduction(question.confirmation);
  if (question.kind === 'dropped-keys') return confirmDroppedKeys(question, fileName);
  const listed = question.warnings;
  const more = /^… and ([\d,]+) more$/.exec(listed.at(-1) ?? '');
  const count = more ? listed.length - 1 + Number(more[1].replace(/,/g, '')) : listed.length;
  const answer = await vscode.window.showWarningMessage(
    `${fileName} has ${count === 1 ? 'a warning' : `${n(count)} warnings`}. Send anyway?`,
    { modal: true, detail: listed.join('\n') },
    'Send Anyway',
  );
  return answer === 'Send Anyway';
}

/**
 * A run that replaces metadata and would remove keys users have now: a modal naming the keys and how many
 * users lose each.
 */
export async function confirmDroppedKeys(
  question: Extract<Confirmation, { kind: 'dropped-keys' }>,
  fileName: string,
): Promise<boolean> {
  const users = question.users === 1 ? '1 user' : `${n(question.users)} users`;
  const keys = question.keys.map((k) => `${k.path}: ${k.users === 1 ? '1 user' : `${n(k.users)} users`}`);
  const answer = await vscode.window.showWarningMessage(
    `${fileName} replaces metadata ("$metadata": "replace"): ${users} would lose keys they have now. Send anyway?`,
    {
      modal: true,
      detail: [
        ...keys.slice(0, 20),
        ...(keys.length > 20 ? [`… and ${n(keys.length - 20)} more keys`] : []),
      ].join('\n'),
    },
    'Remove the Keys',
  );
  return answer === 'Remove the Keys';
}

/**
 * Shows a result that needs no more than a notification (with the action that fixes it, when there is one).
 */
export function tell(result: BulkResult): BulkResult {
  void showResult(result);
  return result;
}

async function showResult(result: BulkResult): Promise<void> {
  switch (result.status) {
    case 'untrusted': {
      if (await vscode.window.showWarningMessage(result.message, 'Manage Workspace Trust'))
        await vscode.commands.executeCommand('workbench.trust.manage');
      return;
    }
    case 'no-key': {
      if (await vscode.window.showWarningMessage(result.message, 'Set Secret Key'))
        await vscode.commands.executeCommand(CommandIds.setKey);
      return;
    }
    case 'blocked':
      if (result.message.includes(SettingIds.bulkRate)) {
        if (await vscode.window.showWarningMessage(result.message, 'Open Settings'))
          await vscode.commands.executeCommand('workbench.action.openSettings', SettingIds.bulkRate);
        return;
      }
      await vscode.window.showWarningMessage(result.message);
      return;
    case 'failed':
    case 'stopped':
    case 'refused':
    case 'unavailable':
      await vscode.window.showErrorMessage(result.message);
      return;
    default:
      await vscode.window.showInformationMessage(result.message);
  }
}

export interface SummaryActions {
  /** A run of this bulk file (retry, undo and resume are offered); an undo offers only resume. */
  kind: 'run' | 'undo';
  /** What "Resume" runs again. */
  resume: () => Thenable<unknown>;
  /** The run's journal, for "Undo Run". */
  journal: string;
  uri?: vscode.Uri;
}

/**
 * The summary of a run or an undo: updated, unchanged, failed, the reasons by code; actions Open
 * Report, Retry Failed Rows (when some failed), Undo Run, Resume (after a cancel), Show Log.
 */
export function presentSummary(result: BulkResult, title: string, actions: SummaryActions): void {
  const s = result.summary;
  if (!s) {
    tell(result);
    return;
  }
  const buttons: string[] = [];
  if (result.report) buttons.push('Open Report');
  if (s.cancelled && result.status !== 'stopped') buttons.push('Resume');
  if (actions.kind === 'run' && s.failed > 0 && actions.uri) buttons.push('Retry Failed Rows');
  if (actions.kind === 'run' && s.updated > 0) buttons.push('Undo Run');
  buttons.push('Show Log');
  const show =
    result.status === 'stopped'
      ? vscode.window.showErrorMessage
      : s.failed > 0 || s.cancelled
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  void show(`${title}: ${result.message}`, ...buttons).then(async (choice) => {
    if (choice === 'Open Report' && result.report)
      await vscode.window.showTextDocument(vscode.Uri.file(result.report), { preview: true });
    else if (choice === 'Resume') await actions.resume();
    else if (choice === 'Retry Failed Rows')
      await vscode.commands.executeCommand(CommandIds.retryFailedRows, actions.uri);
    else if (choice === 'Undo Run')
      await vscode.commands.executeCommand(CommandIds.undoRun, { journal: actions.journal });
    else if (choice === 'Show Log') await vscode.commands.executeCommand(CommandIds.showLog);
  });
}

/**
 * The log's lines about a finished run: the summary and every reason, by code (never keys or secret values).
 */
export function logSummary(log: vscode.LogOutputChannel, title: string, result: BulkResult): void {
  const level = result.status === 'finished' && !result.summary?.failed ? 'info' : 'warn';
  log[level](`${title}: ${result.message}`);
  for (const c of result.summary?.failuresByCode ?? [])
    log.warn(`  ${n(c.count)} × ${c.code}, e.g. ${c.example}`);
}
