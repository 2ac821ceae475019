import * as vscode from 'vscode';
import { ClerkClient } from '../../core/clerk/client';
import { diffSides, entryWho, runDiffSides } from '../../core/history/diff';
import type { HistoryEntry } from '../../core/history/entry';
import { redactSecrets } from '../../core/redact';
import type { DiagnosticsController } from '../authoring/diagnostics';
import type { EnvironmentStore } from '../environments/environments';
import { type EditorHistory, readJournalRows } from './historyRecorder';
import type { HistoryNode, HistoryView } from './historyView';
import { traceIdOf } from './historyView';
import { CommandIds } from '../ids';
import type { ReadonlyDocuments } from '../readonlyDocuments';
import type { Settings } from '../settings';
import type { UndoController, UndoEntryOptions, UndoResult } from '../send/undoSend';

export interface HistoryCommandDeps {
  history: EditorHistory;
  view: HistoryView;
  undo: UndoController;
  documents: ReadonlyDocuments;
  environments: EnvironmentStore;
  diagnostics: DiagnosticsController;
  settings: () => Settings;
  userAgent: string;
}

/** An entry named by a tree node, its id, or `{ id }`. */
type EntryArg = HistoryNode | string | { id: string } | undefined;

export interface HistoryCommandResult {
  status: 'opened' | 'copied' | 'cleared' | 'filtered' | 'nothing' | 'failed' | 'declined';
  message?: string;
  entries?: string[];
  before?: string;
  after?: string;
}

/** The commands of the "Clerk" view and "Show History for This User"; each resolves with a plain result. */
export class HistoryCommands {
  constructor(private readonly deps: HistoryCommandDeps) {}

  private async entryOf(arg: EntryArg): Promise<HistoryEntry | undefined> {
    if (arg && typeof arg === 'object' && 'kind' in arg && (arg.kind === 'entry' || arg.kind === 'row'))
      return arg.entry;
    const id =
      typeof arg === 'string'
        ? arg
        : arg && 'id' in arg
          ? arg.id
          : this.deps.view.view.selection.find((n) => n.kind === 'entry')?.entry.id;
    return id ? this.deps.history.store.find(id) : undefined;
  }

  private missing(): HistoryCommandResult {
    void vscode.window.showWarningMessage('That change is no longer in the history.');
    return { status: 'nothing', message: 'That change is no longer in the history.' };
  }

  /**
   * The diff of before ↔ after. A run's: each row in file order with its user and its fields' values,
   * read from the journal (the rows matching the view's filter, when it has one).
   */
  async open(arg: EntryArg): Promise<HistoryCommandResult> {
    const entry = await this.entryOf(arg);
    if (!entry) return this.missing();
    const rows = entry.run ? await readJournalRows(entry.run.journal) : undefined;
    const sides = entry.run && rows ? runDiffSides(entry, rows, this.deps.view.filter) : diffSides(entry);
    const ext = entry.run ? 'txt' : 'json';
    const left = this.deps.documents.put(`${entry.user_id ?? 'run'}.before.${ext}`, sides.before);
    const right = this.deps.documents.put(`${entry.user_id ?? 'run'}.after.${ext}`, sides.after);
    const when = new Date(entry.time).toLocaleString();
    await vscode.commands.executeCommand(
      'vscode.diff',
      left,
      right,
      `${entryWho(entry)}: before ↔ after (${when})`,
      { preview: true },
    );
    return { status: 'opened', before: sides.before, after: sides.after };
  }

  /** Undo this change: a single send or an undo through the single-send undo; a bulk run through Undo Run. */
  async undoEntry(
    arg: EntryArg,
    options: UndoEntryOptions & { confirmed?: boolean } = {},
  ): Promise<UndoResult | unknown> {
    const entry = await this.entryOf(arg);
    if (!entry) return this.missing();
    if (entry.run) {
      if (entry.kind !== 'run')
        return this.tell(
          'An undo of a run is not undone again from the history; run the bulk file again instead.',
        );
      return vscode.commands.executeCommand(CommandIds.undoRun, {
        journal: entry.run.journal,
        confirmed: options.confirmed,
      });
    }
    return this.deps.undo.undoEntry(entry, options);
  }

  /** The user as Clerk has it now, read with the key of the entry's environment. */
  async openUser(arg: EntryArg): Promise<HistoryCommandResult> {
    const entry = await this.entryOf(arg);
    if (!entry) return this.missing();
    const userId = entry.user_id;
    if (!userId) return this.tell("A bulk run names no one user; open a row's user from its file.");
    const environment = await this.deps.environments.resolveNamed(entry.environment.name);
    if (!environment?.key || environment.apiUrl !== entry.environment.api_url)
      return this.tell(
        `No key for '${entry.environment.name}' (${entry.environment.api_url}) is set up any more.`,
        'failed',
      );
    const client = new ClerkClient({
      apiUrl: environment.apiUrl,
      secretKey: environment.key,
      apiVersion: entry.api_version,
      userAgent: this.deps.userAgent,
      timeoutMs: this.deps.settings().requestTimeoutMs,
    });
    const read = await client.getUser(userId);
    if (!read.ok) return this.tell(redactSecrets(read.message, [environment.key]), 'failed');
    const text = `${JSON.stringify(read.data, null, 2)}\n`;
    await this.deps.documents.open(`${userId}.json`, text);
    return { status: 'opened', after: text };
  }

  async copyTraceId(arg: EntryArg): Promise<HistoryCommandResult> {
    const entry = await this.entryOf(arg);
    if (!entry) return this.missing();
    const trace = traceIdOf(entry);
    if (!trace) return this.tell('This change has no trace id.');
    await vscode.env.clipboard.writeText(trace);
    void vscode.window.showInformationMessage(`Copied the trace id ${trace}.`);
    return { status: 'copied', message: trace };
  }

  async revealSource(arg: EntryArg): Promise<HistoryCommandResult> {
    const entry = await this.entryOf(arg);
    if (!entry) return this.missing();
    if (!entry.source) return this.tell('This change names no file.');
    const uri = vscode.Uri.file(entry.source);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      return this.tell(`${entry.source} is no longer there.`, 'failed');
    }
    await vscode.window.showTextDocument(uri, { preview: false });
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return { status: 'opened', message: entry.source };
  }

  /** Filters the view by user id, email or field (asked when no text is given). */
  async filter(text?: string): Promise<HistoryCommandResult> {
    const value =
      text ??
      (await vscode.window.showInputBox({
        title: 'Filter the history',
        prompt: 'A user id, an email address or a field name',
        value: this.deps.view.filter,
      }));
    if (value === undefined) return { status: 'nothing' };
    this.deps.view.setFilter(value);
    return { status: 'filtered', entries: (await this.deps.view.shown()).map((e) => e.id) };
  }

  clearFilter(): HistoryCommandResult {
    this.deps.view.setFilter('');
    return { status: 'filtered' };
  }

  /** Clears every environment's history, after a modal (`confirmed`: asked already). */
  async clear(args: { confirmed?: boolean } = {}): Promise<HistoryCommandResult> {
    if (!args.confirmed) {
      const answer = await vscode.window.showWarningMessage(
        'Clear the history of every environment?',
        {
          modal: true,
          detail:
            'The list of changes, with their before-values, is deleted for good. Nothing at Clerk changes, and bulk journals stay where they are.',
        },
        'Clear History',
      );
      if (answer !== 'Clear History') return { status: 'declined' };
    }
    await this.deps.history.clear();
    this.deps.view.refresh();
    return { status: 'cleared' };
  }

  /** "Show History for This User" from a *.userupdate.json: the view, filtered to its $user_id. */
  async showUser(uri?: vscode.Uri): Promise<HistoryCommandResult> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target) return this.tell("Open a *.userupdate.json file to see its user's history.");
    const document = await vscode.workspace.openTextDocument(target);
    const userId = this.deps.diagnostics.analysis(document).userId;
    if (!userId) return this.tell('This file names no user ("$user_id").');
    this.deps.view.setFilter('', userId);
    await vscode.commands.executeCommand('clerkUserUpdate.history.focus');
    const entries = (await this.deps.view.shown()).map((e) => e.id);
    if (entries.length === 0)
      void vscode.window.showInformationMessage(`No change to ${userId} is in the history yet.`);
    return { status: 'filtered', entries };
  }

  private tell(message: string, status: HistoryCommandResult['status'] = 'nothing'): HistoryCommandResult {
    void (status === 'failed'
      ? vscode.window.showErrorMessage(message)
      : vscode.window.showInformationMessage(message));
    return { status, message };
  }
}
