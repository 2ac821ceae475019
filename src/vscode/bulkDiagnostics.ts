import type * as vscode from 'vscode';
import { checkBulkText } from '../core/bulk/file';
import { GenerationalRowCache } from '../core/bulk/rowCache';
import type { BulkFormat, BulkOptions } from '../core/bulk/types';
import type { CoreDiagnostic } from '../core/diagnostics';

/**
 * The diagnostics of open bulk files (*.userupdates.jsonl, *.userupdates.csv). Each document keeps the
 * results of its rows, so a keystroke checks only the rows it changed; the checks across rows (duplicate
 * targets, API versions) run over the kept results.
 *
 * Everything is published, syntax included: VS Code gives `*.jsonl` the language `jsonl`, which its JSON
 * language service does not validate (it runs on `json` and `jsonc`), and CSV has no language service
 * at all; so nothing appears twice (docs/architecture.md, "Who reports what").
 */
export class BulkDiagnostics {
  private readonly caches = new Map<string, GenerationalRowCache>();

  diagnostics(document: vscode.TextDocument, format: BulkFormat, options: BulkOptions): CoreDiagnostic[] {
    const key = document.uri.toString();
    let cache = this.caches.get(key);
    if (!cache) {
      cache = new GenerationalRowCache();
      this.caches.set(key, cache);
    }
    cache.begin(options);
    try {
      return checkBulkText(document.getText(), format, options, cache).diagnostics;
    } finally {
      cache.end();
    }
  }

  forget(uri: vscode.Uri): void {
    this.caches.delete(uri.toString());
  }

  clear(): void {
    this.caches.clear();
  }
}
