import { join } from 'node:path';
import * as vscode from 'vscode';
import { type EntryContext, type RunOutcome, runEntry, sendEntry } from '../../core/history/build';
import { type HistoryEntry, newEntryId } from '../../core/history/entry';
import { type HistoryQuery, HistoryStore } from '../../core/history/store';
import type { Instance } from '../../core/clerk/instance';
import type { SendReport } from '../../core/send/result';
import type { ApiVersion } from '../../core/versions';
import { HistoryFiles } from '../../node/historyFiles';
import { type JournalRow, journalRows } from '../../core/bulk/journal/journalRows';
import { JournalFile } from '../../node/journalFile';
import { errorMessage } from '../../core/text/format';

/** The rows of the journal at `path` in file order, or undefined when it is gone or no journal. */
export async function readJournalRows(path: string): Promise<JournalRow[] | undefined> {
  const file = new JournalFile(path);
  try {
    return await journalRows(file);
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

/** Where a change came from, as the editor knows it. */
export interface EditorChange {
  instance: Instance;
  apiVersion: ApiVersion;
  source: vscode.Uri | undefined;
  /** The key and the secret values of the document: kept out of the entry. */
  secrets: ReadonlyArray<string | undefined>;
}

/**
 * The editor's history: the core's store over files in the extension's global storage (one per
 * environment, shared by every window). Recording never fails a send: a history that cannot be
 * written is said in the log.
 */
export class EditorHistory implements vscode.Disposable {
  readonly store: HistoryStore;
  readonly folder: string;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private watcher: vscode.FileSystemWatcher | undefined;

  constructor(
    globalStorage: vscode.Uri,
    maxEntries: () => number,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.folder = join(globalStorage.fsPath, 'history');
    this.store = new HistoryStore(new HistoryFiles(this.folder), maxEntries);
  }

  /**
   * Another window's changes show here too: the folder is watched from the first time the view
   * shows (not at activation, which stays as light as it was).
   */
  watch(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(this.folder), '*.history.jsonl'),
    );
    this.watcher.onDidChange(() => this.emitter.fire());
    this.watcher.onDidCreate(() => this.emitter.fire());
    this.watcher.onDidDelete(() => this.emitter.fire());
  }

  context(change: EditorChange): EntryContext {
    const time = Date.now();
    return {
      id: newEntryId(time, Math.random),
      time,
      instance: change.instance,
      apiVersion: change.apiVersion,
      source: change.source?.fsPath ?? null,
      secrets: change.secrets,
    };
  }

  /** Records a single send or an undo; resolves with its entry (undefined when nothing was sent). */
  async recordSend(
    report: SendReport,
    change: EditorChange,
    kind: 'send' | 'undo' = 'send',
    undoes?: string,
  ): Promise<HistoryEntry | undefined> {
    return this.append(sendEntry(report, this.context(change), kind, undoes));
  }

  async recordRun(
    run: RunOutcome,
    change: EditorChange,
    kind: 'run' | 'undo',
  ): Promise<HistoryEntry | undefined> {
    if (run.summary.updated === 0 && run.summary.failed === 0) return undefined;
    // Who each row's user is, from the journal: the view leads with it and its filter finds it.
    const journaled = await readJournalRows(run.journal);
    const who = new Map(journaled?.filter((r) => r.who).map((r) => [r.row, r.who as string]));
    const rows = who.size
      ? run.rows.map((r) => (who.has(r.row) ? { ...r, who: who.get(r.row) } : r))
      : run.rows;
    return this.append(runEntry({ ...run, rows }, this.context(change), kind));
  }

  entries(query?: HistoryQuery): Promise<HistoryEntry[]> {
    return this.store.entries(query);
  }

  async clear(): Promise<void> {
    await this.store.clear();
    this.emitter.fire();
  }

  private async append(entry: HistoryEntry | undefined): Promise<HistoryEntry | undefined> {
    if (!entry) return undefined;
    try {
      await this.store.append(entry);
    } catch (error) {
      this.log.warn(`History: the change was not recorded (${errorMessage(error)}).`);
      return undefined;
    }
    this.emitter.fire();
    return entry;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.emitter.dispose();
  }
}
