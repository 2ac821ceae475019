// Bulk runs in the editor and the engine they drive: created by BulkLenses (bulkLens.ts) on the first
// run, preview, retry, undo or export.
import * as vscode from 'vscode';
import { RowFailures } from './failedRows';
import { type ExportArgs, BulkExport } from './exportUsers';
import { BulkRunController } from './runController';
import type { BulkResult, BulkRunsDeps } from './bulkSession';
import { type UndoArgs, BulkUndo } from './undoRun';

export type { BulkResult, BulkRunsDeps };

/**
 * What the commands call (by their CommandIds). Every method resolves with a plain result object (tests
 * assert on it).
 */
export interface BulkRuns extends vscode.Disposable {
  sendBulk(uri?: vscode.Uri, options?: { restart?: boolean }): Promise<BulkResult>;
  previewRun(uri?: vscode.Uri): Promise<BulkResult>;
  retryFailedRows(uri?: vscode.Uri): Promise<BulkResult>;
  cancelRun(uri?: vscode.Uri): boolean;
  undoRun(args?: UndoArgs): Promise<BulkResult>;
  exportUsers(args?: ExportArgs): Promise<BulkResult>;
}

export function createBulkRuns(deps: BulkRunsDeps): BulkRuns {
  const failures = new RowFailures(deps.state);
  const runs = new BulkRunController(deps, failures);
  const undo = new BulkUndo(deps);
  const exporter = new BulkExport(deps);
  const disposables = vscode.Disposable.from(runs, undo, exporter, failures);
  return {
    sendBulk: (uri, options) => runs.send(uri, options),
    previewRun: (uri) => runs.preview(uri),
    retryFailedRows: (uri) => runs.retry(uri),
    cancelRun: (uri) => runs.cancel(uri),
    undoRun: (args) => undo.undo(args),
    exportUsers: (args) => exporter.export(args),
    dispose: () => disposables.dispose(),
  };
}
