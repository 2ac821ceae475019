import * as vscode from 'vscode';
import { type BulkRuns, type BulkRunsDeps, createBulkRuns } from './bulkRuns';
import type { LensState } from './bulkSession';
import type { DiagnosticsController } from '../authoring/diagnostics';
import { bulkFormatOfDocument } from '../documents';
import { CommandIds } from '../ids';
import { formatCount } from '../../core/text/format';

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
  /** Files with a run in flight, or their failed rows. */
  readonly #state = new Map<string, LensState>();
  /** What the last preview of a file counted (for the version of the file it read). */
  readonly #plans = new Map<string, LensState & { kind: 'planned' }>();
  readonly #diagnostics: DiagnosticsController;
  readonly #deps: Omit<BulkRunsDeps, 'state'>;
  readonly #subscriptions: vscode.Disposable[];
  #runs: BulkRuns | undefined;

  constructor(
    diagnostics: DiagnosticsController,
    deps: Omit<BulkRunsDeps, 'state'>,
    subscriptions: vscode.Disposable[],
  ) {
    this.#diagnostics = diagnostics;
    this.#deps = deps;
    this.#subscriptions = subscriptions;
  }

  /** Bulk runs, loaded now if they are not yet. */
  get(): BulkRuns {
    if (!this.#runs) {
      const state = (uri: vscode.Uri, value: LensState) => {
        // A run changes the users: what a preview counted before it no longer holds.
        if (value.kind === 'planned') this.#plans.set(uri.toString(), value);
        else {
          if (value.kind === 'running') this.#plans.delete(uri.toString());
          this.#state.set(uri.toString(), value);
        }
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
    const lens = (title: string, command: string, tooltip?: string) =>
      new vscode.CodeLens(range, { title, command, arguments: [document.uri], tooltip });
    const state = this.#state.get(document.uri.toString());
    if (state?.kind === 'running')
      return [
        lens('$(sync~spin) Running…', CommandIds.sending),
        lens(
          'Cancel',
          CommandIds.cancelRun,
          'The rows in flight finish and are journaled; run it again to resume',
        ),
      ];
    const rows = this.#diagnostics.bulkCheck(document, format).rows;
    if (rows === 0) return [];
    const plan = this.#plans.get(document.uri.toString());
    const send = plan?.version === document.version ? plannedTitle(plan) : `Send ${count(rows, 'update')}`;
    if (!vscode.workspace.isTrusted) return [lens(`${send} (workspace not trusted)`, CommandIds.sendBulk)];
    const lenses = [
      lens(send, CommandIds.sendBulk, 'Paced and journaled: running it again resumes'),
      lens('Preview run', CommandIds.previewRun, 'Nothing is sent'),
    ];
    const failed = state?.kind === 'idle' ? state.failedRows : 0;
    if (failed > 0) lenses.push(lens(`Retry ${count(failed, 'failed row')}`, CommandIds.retryFailedRows));
    return lenses;
  }

  dispose(): void {
    this.#emitter.dispose();
  }
}

const count = (n: number, what: string): string => `${formatCount(n)} ${what}${n === 1 ? '' : 's'}`;

/** "Send 37 updates (3 unchanged)": what the preview of this version of the file counted. */
function plannedTitle(plan: { toChange: number; unchanged: number; failing: number }): string {
  const aside = [
    plan.unchanged ? `${formatCount(plan.unchanged)} unchanged` : '',
    plan.failing ? `${formatCount(plan.failing)} failing` : '',
  ].filter(Boolean);
  return `Send ${count(plan.toChange, 'update')}${aside.length ? ` (${aside.join(', ')})` : ''}`;
}
