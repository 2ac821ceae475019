import * as vscode from 'vscode';
import {
  dayOf,
  describeFields,
  entryName,
  entryWhat,
  entryWho,
  matchesFilter,
  rowWho,
} from '../../core/history/diff';
import { undoFilesFor } from '../../node/runFiles';
import type { HistoryEntry } from '../../core/history/entry';
import type { EditorHistory } from './historyRecorder';
import { CommandIds } from '../ids';

/** The nodes of the "Clerk" view: environments, then days, then entries (a run's rows under it). */
export type HistoryNode =
  | { kind: 'environment'; name: string; apiUrl: string; entries: HistoryEntry[] }
  | { kind: 'day'; day: string; entries: HistoryEntry[]; parent: string }
  | { kind: 'entry'; entry: HistoryEntry; undoneBy?: HistoryEntry }
  | { kind: 'row'; entry: HistoryEntry; row: NonNullable<HistoryEntry['run']>['rows'][number] };

const FILTERED = 'clerkUserUpdate.historyFiltered';

/** The entry's trace id: its last step's (a run: its first row's that has one). */
export function traceIdOf(entry: HistoryEntry): string | undefined {
  return (
    [...entry.steps].reverse().find((s) => s.trace_id)?.trace_id ??
    entry.run?.rows.find((r) => r.trace_id)?.trace_id ??
    undefined
  );
}

/**
 * The undo that undid each entry, by the entry's id: a send's undo names it (`undoes`); a run's undo
 * is journaled where undoFilesFor says. Only an undo that went through counts (a cancelled undo of a
 * run leaves it to undo further).
 */
export function undoneEntries(entries: readonly HistoryEntry[]): Map<string, HistoryEntry> {
  const out = new Map<string, HistoryEntry>();
  const runUndos = new Map<string, HistoryEntry>();
  for (const e of entries) {
    if (e.kind !== 'undo') continue;
    if (e.undoes && e.ok && !out.has(e.undoes)) out.set(e.undoes, e);
    if (e.run && e.status === 'finished' && !runUndos.has(e.run.journal)) runUndos.set(e.run.journal, e);
  }
  for (const e of entries) {
    if (e.kind !== 'run' || !e.run) continue;
    const undo = runUndos.get(undoFilesFor(e.run.journal).journal);
    if (undo) out.set(e.id, undo);
  }
  return out;
}

/** What the context menu offers for an entry, as words of its contextValue. */
function contextOf(entry: HistoryEntry, undoneBy: HistoryEntry | undefined): string {
  const words = ['entry', entry.kind];
  if (undoneBy) words.push('undone');
  else if (entry.ok && !entry.run && entry.user_id && entry.updated_at !== null) words.push('undoable');
  else if (entry.run && entry.kind === 'run' && entry.run.summary.updated > 0) words.push('undoable');
  if (entry.user_id) words.push('user');
  if (traceIdOf(entry)) words.push('trace');
  if (entry.source) words.push('source');
  return words.join(' ');
}

/** Local day, as the tree groups entries. */
function localDay(entry: HistoryEntry): string {
  return dayOf(entry, new Date(entry.time).getTimezoneOffset());
}

export class HistoryView implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private filterText = '';
  /** The undo of each undone entry (see undoneEntries), as of the last time the view was read. */
  private undone = new Map<string, HistoryEntry>();
  /** "Show History for This User": exactly this user's entries. */
  private userFilter: string | undefined;
  private readonly subscriptions: vscode.Disposable[];
  readonly view: vscode.TreeView<HistoryNode>;

  constructor(private readonly history: EditorHistory) {
    this.view = vscode.window.createTreeView('clerkUserUpdate.history', {
      treeDataProvider: this,
      showCollapseAll: true,
    });
    this.subscriptions = [this.view, this.emitter, history.onDidChange(() => this.refresh())];
  }

  get filter(): string {
    return this.filterText;
  }

  /** Shows the entries whose user id, email, name or a field matches `text` ('' shows all). */
  setFilter(text: string, userId?: string): void {
    this.filterText = text.trim();
    this.userFilter = userId;
    this.view.description = userId
      ? `user: ${userId}`
      : this.filterText
        ? `filter: ${this.filterText}`
        : undefined;
    void vscode.commands.executeCommand(
      'setContext',
      FILTERED,
      this.filterText !== '' || userId !== undefined,
    );
    this.refresh();
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  /** The entries shown (the filter applied), newest first. */
  async shown(): Promise<HistoryEntry[]> {
    return this.history.entries({ userId: this.userFilter, match: (e) => matchesFilter(e, this.filterText) });
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (!node) {
      this.history.watch();
      this.undone = undoneEntries(await this.history.entries());
      const groups = new Map<string, HistoryNode & { kind: 'environment' }>();
      for (const entry of await this.shown()) {
        const key = `${entry.environment.name}\n${entry.environment.api_url}`;
        let group = groups.get(key);
        if (!group)
          groups.set(
            key,
            (group = {
              kind: 'environment',
              name: entry.environment.name,
              apiUrl: entry.environment.api_url,
              entries: [],
            }),
          );
        group.entries.push(entry);
      }
      return [...groups.values()];
    }
    if (node.kind === 'environment') {
      const days = new Map<string, HistoryEntry[]>();
      for (const entry of node.entries) {
        const day = localDay(entry);
        days.set(day, [...(days.get(day) ?? []), entry]);
      }
      return [...days].map(([day, entries]) => ({ kind: 'day', day, entries, parent: node.name }));
    }
    if (node.kind === 'day')
      return node.entries.map((entry) => ({ kind: 'entry', entry, undoneBy: this.undone.get(entry.id) }));
    if (node.kind === 'entry' && node.entry.run) {
      // In file order; filtered like the entries, so that a row of a large run can be found.
      const needle = this.filterText.toLowerCase();
      const rows = [...node.entry.run.rows].sort((a, b) => a.row - b.row);
      const shown =
        needle && !node.entry.run.fields.some((f) => f.toLowerCase().includes(needle))
          ? rows.filter((r) => [r.user_id, r.who].some((h) => h?.toLowerCase().includes(needle)))
          : rows;
      return shown.map((row) => ({ kind: 'row', entry: node.entry, row }));
    }
    return [];
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    switch (node.kind) {
      case 'environment': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.apiUrl;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        item.contextValue = 'environment';
        item.id = `env:${node.name}:${node.apiUrl}`;
        return item;
      }
      case 'day': {
        const item = new vscode.TreeItem(node.day, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${node.entries.length} ${node.entries.length === 1 ? 'change' : 'changes'}`;
        item.iconPath = new vscode.ThemeIcon('calendar');
        item.contextValue = 'day';
        item.id = `day:${node.parent}:${node.day}`;
        return item;
      }
      case 'entry': {
        const { entry } = node;
        const item = new vscode.TreeItem(
          `${entry.kind === 'undo' && !entry.run ? 'Undo: ' : ''}${entryName(entry)}`,
          entry.run ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        const time = new Date(entry.time).toLocaleTimeString();
        const undoneBy = node.undoneBy;
        const undone = undoneBy ? ` · undone at ${new Date(undoneBy.time).toLocaleTimeString()}` : '';
        item.description = `${entryWhat(entry)} · ${time}${entry.ok ? '' : ` · ${entry.status}`}${undone}`;
        const stopped = entry.status === 'cancelled' || entry.status === 'stopped';
        const icon = undoneBy
          ? 'history'
          : entry.ok
            ? entry.kind === 'undo'
              ? 'discard'
              : 'pass'
            : stopped
              ? 'circle-slash'
              : 'error';
        const colour = undoneBy
          ? 'disabledForeground'
          : entry.ok
            ? 'testing.iconPassed'
            : stopped
              ? 'testing.iconSkipped'
              : 'testing.iconFailed';
        item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(colour));
        item.tooltip = tooltipOf(entry, undoneBy);
        item.contextValue = contextOf(entry, undoneBy);
        item.id = entry.id;
        item.command = { command: CommandIds.openHistoryEntry, title: 'Open Change', arguments: [entry.id] };
        return item;
      }
      case 'row': {
        const { row } = node;
        const item = new vscode.TreeItem(rowWho(row), vscode.TreeItemCollapsibleState.None);
        item.description = `row ${row.row} · ${row.status}${row.http_status ? ` (${row.http_status})` : ''}`;
        item.iconPath = new vscode.ThemeIcon(
          row.status === 'failed' ? 'error' : row.status === 'updated' ? 'pass' : 'circle-outline',
        );
        item.contextValue = 'row';
        item.id = `${node.entry.id}:${row.row}`;
        return item;
      }
    }
  }

  /** The tree as the view shows it (labels, descriptions, context values): for tests and audits. */
  async snapshot(node?: HistoryNode): Promise<HistoryTreeItem[]> {
    const out: HistoryTreeItem[] = [];
    for (const child of await this.getChildren(node)) {
      const item = this.getTreeItem(child);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const expand =
        item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded ||
        (child.kind === 'entry' && child.entry.run);
      out.push({
        label,
        description: String(item.description ?? ''),
        contextValue: item.contextValue ?? '',
        id: item.id ?? '',
        children: expand ? await this.snapshot(child) : [],
      });
    }
    return out;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

export interface HistoryTreeItem {
  label: string;
  description: string;
  contextValue: string;
  id: string;
  children: HistoryTreeItem[];
}

function tooltipOf(entry: HistoryEntry, undoneBy: HistoryEntry | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendText(`${entryWho(entry)}\n`);
  if (undoneBy)
    md.appendText(
      `Undone at ${new Date(undoneBy.time).toLocaleString()} by the change '${undoneBy.run ? entryWho(undoneBy) : `Undo: ${entryName(undoneBy)}`}'.\n`,
    );
  md.appendText(
    `${entry.kind} · ${entry.ok ? 'succeeded' : entry.status} · ${new Date(entry.time).toLocaleString()}\n`,
  );
  md.appendText(`${entry.environment.name} (${entry.environment.api_url}), ${entry.instance}\n`);
  if (entry.source) md.appendText(`from ${entry.source}\n`);
  for (const line of describeFields(entry)) md.appendText(`${line}\n`);
  for (const s of entry.steps)
    md.appendText(
      `${s.method} ${s.path} → ${s.status ?? '-'}${s.trace_id ? ` (trace ${s.trace_id})` : ''}\n`,
    );
  if (entry.run) md.appendText(`journal: ${entry.run.journal}\n`);
  return md;
}
