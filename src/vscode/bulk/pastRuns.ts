import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { JournalHeader } from '../../core/bulk/journal/marks';
import { finalOutcomes, loadJournal } from '../../core/bulk/journal/journalIndex';
import { JournalFile } from '../../node/journalFile';
import { readJournalHeader, reportPathFor, undoFilesFor } from '../../node/runFiles';
import { formatCount } from '../../core/text/format';

/** A run found in the workspace: its journal, what it says of itself, and what it changed. */
export interface PastRun {
  path: string;
  header: JournalHeader;
  /** Rows it updated (their last outcome is `done`), and failed. */
  changed: number;
  failed: number;
  /** An undo of it has begun (its undo journal exists). */
  undone: boolean;
}

const n = formatCount;

/** How many of a journal's rows ended `done` and `failed`. */
export async function countOutcomes(path: string): Promise<{ changed: number; failed: number }> {
  const store = new JournalFile(path);
  const loaded = await loadJournal(store, false);
  const counts = { changed: 0, failed: 0 };
  if (loaded.status !== 'ok') return counts;
  for await (const { mark } of finalOutcomes(store, loaded.index)) {
    if (mark.state === 'done') counts.changed++;
    else if (mark.state === 'failed') counts.failed++;
  }
  return counts;
}

/**
 * The runs in the workspace, newest first: every journal of a run (`FILE.journal.jsonl`, and those a
 * new run moved aside, `FILE.journal.<time>.jsonl`); the undos' own journals are left out.
 */
export async function pastRuns(): Promise<PastRun[]> {
  const files = await vscode.workspace.findFiles('**/*.journal*.jsonl', '**/node_modules/**', 1000);
  const runs: PastRun[] = [];
  for (const file of files) {
    const header = await readJournalHeader(file.fsPath);
    if (header?.kind !== 'run') continue;
    runs.push({
      path: file.fsPath,
      header,
      ...(await countOutcomes(file.fsPath)),
      undone: existsSync(undoFilesFor(file.fsPath).journal),
    });
  }
  return runs.sort((a, b) => b.header.started_at.localeCompare(a.header.started_at));
}

interface RunItem extends vscode.QuickPickItem {
  run: PastRun;
}

const OPEN_JOURNAL: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('go-to-file'),
  tooltip: 'Open the journal (every row, what it changed and the values before)',
};
const OPEN_REPORT: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('output'),
  tooltip: 'Open the report (one line per row)',
};

/**
 * The history of bulk changes: pick a run (its input, date, instance, rows changed); the journals can be
 * opened from the list.
 */
export async function pickRun(): Promise<PastRun | undefined> {
  const pick = vscode.window.createQuickPick<RunItem>();
  pick.title = 'Undo a bulk run';
  pick.placeholder = 'Pick the run to undo: it restores the values its rows changed';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  const chosen = new Promise<PastRun | undefined>((resolve) => {
    pick.onDidTriggerItemButton((e) => {
      const path = e.button === OPEN_REPORT ? reportPathFor(e.item.run.path) : e.item.run.path;
      void vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, preserveFocus: true });
    });
    pick.onDidAccept(() => {
      if (pick.selectedItems[0]) resolve(pick.selectedItems[0].run);
    });
    pick.onDidHide(() => resolve(undefined));
  });
  pick.show();
  try {
    const runs = await pastRuns();
    pick.items = runs.map((run) => ({
      label: `$(history) ${run.header.input}`,
      description: `${new Date(run.header.started_at).toLocaleString()} · ${run.header.instance}${run.header.production ? ' (production)' : ''}`,
      detail: `${n(run.changed)} ${run.changed === 1 ? 'row' : 'rows'} changed${run.failed ? `, ${n(run.failed)} failed` : ''}${run.undone ? ' · an undo has begun' : ''} · ${vscode.workspace.asRelativePath(run.path)}`,
      buttons: existsSync(reportPathFor(run.path)) ? [OPEN_JOURNAL, OPEN_REPORT] : [OPEN_JOURNAL],
      run,
    }));
    if (runs.length === 0)
      pick.placeholder =
        'No runs in this workspace: a run keeps its journal next to its file (.clerk-runs/FILE.journal.jsonl)';
    pick.busy = false;
    return await chosen;
  } finally {
    pick.dispose();
  }
}
