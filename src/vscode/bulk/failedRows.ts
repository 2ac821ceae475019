import * as vscode from 'vscode';
import { type FailedRow, locateFailedRows } from '../../core/bulk/format/locate';
import type { BulkFormat } from '../../core/bulk/format/types';
import type { ReportLine } from '../../core/bulk/run/types';
import type { BulkRunsDeps } from './bulkSession';
import { toRange } from '../convert';

/** At most this many failed rows are shown as diagnostics (all of them can be retried). */
const SHOWN = 1000;

interface FileFailures {
  /** Failed rows by their current line (0-based), with their diagnostic until the row is edited. */
  rows: Map<number, vscode.Diagnostic | undefined>;
}

/**
 * A run's failed rows as diagnostics (source "Clerk API") on their lines (JSONL) or cells (CSV: the
 * field Clerk names, else the target), removed when the row is edited or the run is retried. The
 * rows are kept, moved with the lines above them, so that "Retry Failed Rows" sends them after the
 * fix (an edited row is retried too; that is what the fix was for).
 */
export class RowFailures implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('clerk-api-bulk');
  private readonly files = new Map<string, FileFailures>();
  /** Files with a run in flight: their lenses say "Running…" until it ends. */
  private readonly running = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly state: BulkRunsDeps['state']) {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => this.edited(e)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.clear(doc.uri)),
    ];
  }

  /** The failed rows of the last run of `uri` (1-based row numbers, as they are now). */
  rows(uri: vscode.Uri): number[] {
    return [...(this.files.get(uri.toString())?.rows.keys() ?? [])]
      .map((line) => line + 1)
      .sort((a, b) => a - b);
  }

  /** Shows the failed report lines of a run of `document`, in place of what an earlier run showed. */
  show(document: vscode.TextDocument, format: BulkFormat, failed: readonly ReportLine[]): void {
    const places = locateFailedRows(
      document.getText(),
      format,
      failed.slice(0, SHOWN).map((l): FailedRow => ({ row: l.row, target: l.target, param: l.param })),
    );
    const rows = new Map<number, vscode.Diagnostic | undefined>();
    for (const line of failed) {
      const place = places.get(line.row);
      let diagnostic: vscode.Diagnostic | undefined;
      if (place) {
        diagnostic = new vscode.Diagnostic(
          toRange(place),
          line.message ?? line.code ?? 'The row failed at Clerk.',
          vscode.DiagnosticSeverity.Error,
        );
        diagnostic.source = 'Clerk API';
        if (line.code) diagnostic.code = line.code;
      }
      rows.set(line.row - 1, diagnostic);
    }
    this.files.set(document.uri.toString(), { rows });
    this.publish(document.uri);
  }

  /** A run of `uri` begins or ends (the lenses show it). */
  setRunning(uri: vscode.Uri, running: boolean): void {
    if (running) this.running.add(uri.toString());
    else this.running.delete(uri.toString());
    this.publish(uri);
  }

  clear(uri: vscode.Uri): void {
    this.files.delete(uri.toString());
    this.publish(uri);
  }

  private edited(e: vscode.TextDocumentChangeEvent): void {
    const file = this.files.get(e.document.uri.toString());
    if (!file || e.contentChanges.length === 0) return;
    // Ranges are those of the text before the event; from the last change to the first, each moves only what
    // follows it.
    const changes = [...e.contentChanges].sort((a, b) => b.range.start.compareTo(a.range.start));
    for (const change of changes) {
      const { start, end } = change.range;
      const delta = (change.text.match(/\r\n|\r|\n/g)?.length ?? 0) - (end.line - start.line);
      // Whole lines inserted before a line (a paste at its start) leave that line as it was.
      const above = start.character === 0 && change.range.isEmpty && /[\r\n]$/.test(change.text);
      const moved = new Map<number, vscode.Diagnostic | undefined>();
      for (const [line, diagnostic] of file.rows) {
        if (line < start.line) moved.set(line, diagnostic);
        else if (line > end.line || above) moved.set(line + delta, diagnostic && shifted(diagnostic, delta));
        else moved.set(start.line, undefined); // the row was edited: its diagnostic goes, the row is retried
      }
      file.rows = moved;
    }
    this.publish(e.document.uri);
  }

  private publish(uri: vscode.Uri): void {
    const file = this.files.get(uri.toString());
    const shown = file ? [...file.rows.values()].filter((d): d is vscode.Diagnostic => d !== undefined) : [];
    this.collection.set(uri, shown);
    this.state(
      uri,
      this.running.has(uri.toString())
        ? { kind: 'running' }
        : { kind: 'idle', failedRows: file?.rows.size ?? 0 },
    );
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

function shifted(d: vscode.Diagnostic, lines: number): vscode.Diagnostic {
  if (lines === 0) return d;
  const moved = new vscode.Diagnostic(
    new vscode.Range(d.range.start.translate(lines), d.range.end.translate(lines)),
    d.message,
    d.severity,
  );
  moved.source = d.source;
  moved.code = d.code;
  return moved;
}
