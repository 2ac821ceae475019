import * as vscode from 'vscode';
import { type BulkRuns, type BulkRunsDeps, createBulkRuns } from './bulkRuns';
import type { DiagnosticsController } from '../authoring/diagnostics';
import { bulkFormatOfDocument } from '../documents';
import { CommandIds } from '../ids';

/** The bulk files, for the lens provider. */
export const BULK_SELECTOR: vscode.DocumentFilter[] = [{ pattern: '**/*.userupdates.{jsonl,csv}' }];

/** The bulk commands: their ids (CommandIds) are the methods of BulkRuns they call. */
export const BULK_COMMANDS = ['sendBulk', 'previewRun', 'retryFailedRows', 'undoRun', 'exportUsers'] as const;

/**
 * On line 1 of a bulk file: "Send N updates" (N: the rows the file holds) and "Preview run", and
 * "Retry N failed rows" after a run with failures; "Running… | Cancel" while a run is in flight.
 *
 * Bulk runs themselves (src/vscode/bulkRuns.ts, driving the engine) are created on the first run,
 * preview, retry, undo or export, and then disposed with the extension (`subscriptions`); until then
 * the lenses need only what is kept here (their `state`).
 */
export class BulkLenses implements vscode.CodeLensProvider, vscode.Disposable {
  readonly #emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.#emitter.event;
  /** Files with a run in flight (-1), or their failed rows. */
  readonly #state = new Map<string, number>();
  readonly #diagnostics: DiagnosticsController;
  readonly #deps: Omit<BulkRunsDeps, 'state'>;
  readonly #subscriptions: vscode.Disposable[];
  #runs: BulkRuns | undefined;

  constructor(diagnostics: DiagnosticsController, deps: Omit<BulkRunsDeps, 'state'>, subscriptions: vscode.Disposable[]) {
    this.#diagnostics = diagnostics;
    this.#deps = deps;
    this.#subscriptions = subscriptions;
  }

  /** Bulk runs, loaded now if they are not yet. */
  get(): BulkRuns {
    if (!this.#runs) {
      const state = (uri: vscode.Uri, value: number) => {
        this.#state.set(uri.toString(), value);
        this.refresh();
      };
      this.#runs = createBulkRuns({ ...this.#deps, state });
      this.#subscriptions.push(this.#runs);
    }
    return this.#runs;
  }

  /** Cancels the run of `uri` (every run when none is given); false when none is in flight. */
  cancel(uri?: vscode.Uri): boolean {
    return this.#runs?.cancelRun(uri) ?? false;
  }

  /** Asks VS Code to ask for lenses again (e.g. after workspace trust changed). */
  refresh(): void {
    this.#emitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const format = bulkFormatOfDocument(document);
    if (!format) return [];
    const range = new vscode.Range(0, 0, 0, 0);
    const lens = (title: string, command: string, tooltip?: string) => new vscode.CodeLens(range, { title, command, arguments: [document.uri], tooltip });
    const state = this.#state.get(document.uri.toString()) ?? 0;
    if (state < 0) return [lens('$(sync~spin) Running…', CommandIds.sending), lens('Cancel', CommandIds.cancelRun, 'The rows in flight finish and are journaled; run it again to resume')];
    const rows = this.#diagnostics.bulkCheck(document, format).rows;
    if (rows === 0) return [];
    const send = `Send ${rows.toLocaleString('en-US')} update${rows === 1 ? '' : 's'}`;
    if (!vscode.workspace.isTrusted) return [lens(`${send} (workspace not trusted)`, CommandIds.sendBulk)];
    const lenses = [lens(send, CommandIds.sendBulk, 'Paced and journaled: running it again resumes'), lens('Preview run', CommandIds.previewRun, 'Nothing is sent')];
    if (state > 0) lenses.push(lens(`Retry ${state.toLocaleString('en-US')} failed row${state === 1 ? '' : 's'}`, CommandIds.retryFailedRows));
    return lenses;
  }

  dispose(): void {
    this.#emitter.dispose();
  }
}
