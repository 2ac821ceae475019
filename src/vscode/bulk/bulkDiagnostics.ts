import type * as vscode from 'vscode';
import { bulkChecker } from '../../core/bulk/format/checkFile';
import { GenerationalRowCache } from '../../core/bulk/format/rowCache';
import type { BulkFormat, BulkOptions } from '../../core/bulk/format/types';
import type { CoreDiagnostic } from '../../core/diagnostics';

/** A bulk document's diagnostics (file order) and its rows (non-blank lines or records, errors or not). */
export interface BulkCheck {
  diagnostics: CoreDiagnostic[];
  rows: number;
}

/**
 * The diagnostics of open bulk files (*.userupdates.jsonl, *.userupdates.csv). Each document keeps the
 * results of its rows, so a keystroke checks only the rows it changed; the checks across rows (duplicate
 * targets, API versions) run over the kept results.
 *
 * Syntax is published too (DiagnosticsController): VS Code gives `*.jsonl` the language `jsonl`, which its
 * JSON language service does not validate (it runs on `json` and `jsonc`), and CSV has no language service
 * at all; so nothing appears twice (docs/architecture.md, "Who reports what").
 */
export class BulkDiagnostics {
  readonly #caches = new Map<string, GenerationalRowCache>();
  readonly #checked = new Map<
    string,
    BulkCheck & { version: number; options: string; types: BulkOptions['metadataTypes'] }
  >();

  /** The diagnostics of the document's current text and how many rows it holds (kept until it changes). */
  check(document: vscode.TextDocument, format: BulkFormat, options: BulkOptions): BulkCheck {
    const key = document.uri.toString();
    const optionsKey = `${options.defaultApiVersion}|${options.allowSecrets === true}`;
    const last = this.#checked.get(key);
    if (
      last &&
      last.version === document.version &&
      last.options === optionsKey &&
      last.types === options.metadataTypes
    )
      return last;
    let cache = this.#caches.get(key);
    if (!cache) {
      cache = new GenerationalRowCache();
      this.#caches.set(key, cache);
    }
    cache.begin(options);
    try {
      const diagnostics: CoreDiagnostic[] = [];
      const checker = bulkChecker(format, options, { diagnostic: (d) => diagnostics.push(d) }, cache);
      checker.push(document.getText());
      checker.end();
      const result = {
        diagnostics,
        rows: checker.rows(),
        version: document.version,
        options: optionsKey,
        types: options.metadataTypes,
      };
      this.#checked.set(key, result);
      return result;
    } finally {
      cache.end();
    }
  }

  forget(uri: vscode.Uri): void {
    this.#caches.delete(uri.toString());
    this.#checked.delete(uri.toString());
  }

  clear(): void {
    this.#caches.clear();
    this.#checked.clear();
  }
}
