import * as vscode from 'vscode';
import { analyzeDocument, type Analysis } from '../../core/analyze';
import type { ClerkUser } from '../../core/clerk/types';
import type { CoreDiagnostic } from '../../core/diagnostics';
import { droppedKeysDiagnostics } from '../../core/metadata/dropWarning';
import type { ApiVersion } from '../../core/versions';
import type { MetadataTypes } from '../../core/metadataTypes/model';
import type { BulkFormat } from '../../core/bulk/format/types';
import { type BulkCheck, BulkDiagnostics } from '../bulk/bulkDiagnostics';
import { DIAGNOSTIC_SOURCE, toDiagnostic } from '../convert';
import { bulkFormatOfDocument, isUserUpdateDocument } from '../documents';

/** The languages whose documents VS Code's JSON language service validates. */
const JSON_LANGUAGES: ReadonlySet<string> = new Set(['json', 'jsonc']);

interface Cached {
  version: number;
  defaultApiVersion: ApiVersion;
  metadataTypes: MetadataTypes | undefined;
  analysis: Analysis;
}

export interface DiagnosticsOptions {
  /** The `clerkUserUpdate.apiVersion` setting that applies to a document (resource-scoped). */
  defaultApiVersion(uri: vscode.Uri): ApiVersion;
  delayMs(): number;
  /** `clerkUserUpdate.bulk.allowSecrets`. */
  allowSecrets(): boolean;
  /** The metadata declarations in force for a document (its workspace folder's), if any. */
  metadataTypes?(uri: vscode.Uri): MetadataTypes | undefined;
  /** The user a document was last read for (a preview, a send), if any. */
  knownUser?(uri: vscode.Uri): ClerkUser | undefined;
}

/**
 * Runs the core pipeline on every *.userupdate.json document: right away on open, debounced
 * while the user types, and clears on close. Publishes only the payload diagnostics: VS Code's
 * JSON language service already reports JSON syntax (see docs/architecture.md). Bulk files
 * (*.userupdates.jsonl, *.userupdates.csv) the same way, through BulkDiagnostics.
 */
export class DiagnosticsController implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  private readonly cache = new Map<string, Cached>();
  private readonly bulk = new BulkDiagnostics();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after new diagnostics are published for a document. */
  readonly onDidAnalyze = this.changed.event;

  constructor(private readonly options: DiagnosticsOptions) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidOpenTextDocument((doc) => this.refresh(doc)),
      vscode.workspace.onDidChangeTextDocument((event) => this.schedule(event.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.forget(doc.uri)),
    );
    for (const doc of vscode.workspace.textDocuments) this.refresh(doc);
  }

  /** The analysis of the document's current text, computed now if the cached one is stale. */
  analysis(document: vscode.TextDocument): Analysis {
    const key = document.uri.toString();
    const defaultApiVersion = this.options.defaultApiVersion(document.uri);
    const metadataTypes = this.options.metadataTypes?.(document.uri);
    const cached = this.cache.get(key);
    if (
      cached &&
      cached.version === document.version &&
      cached.defaultApiVersion === defaultApiVersion &&
      cached.metadataTypes === metadataTypes
    ) {
      return cached.analysis;
    }
    const analysis = analyzeDocument(document.getText(), { defaultApiVersion, metadataTypes });
    this.cache.set(key, { version: document.version, defaultApiVersion, metadataTypes, analysis });
    return analysis;
  }

  /**
   * The problems of a document that come from the user it was last read for, not from its text alone: the
   * metadata keys a replace would drop. Published with the others; a send asks about them as warnings.
   */
  knownUserDiagnostics(document: vscode.TextDocument): CoreDiagnostic[] {
    const known = this.options.knownUser?.(document.uri);
    if (!known || !isUserUpdateDocument(document)) return [];
    return droppedKeysDiagnostics(document.getText(), this.analysis(document), known);
  }

  /** Every problem of a single file that is published (the payload's and the known user's), in text order. */
  published(document: vscode.TextDocument): CoreDiagnostic[] {
    const payload = this.analysis(document).diagnostics.filter((d) => d.owner === 'payload');
    const known = this.knownUserDiagnostics(document);
    if (known.length === 0) return payload;
    return [...payload, ...known].sort((a, b) => a.offset - b.offset || a.length - b.length);
  }

  /** The metadata types in force for a document, if any (the bulk run checks its rows against them too). */
  metadataTypesFor(uri: vscode.Uri): MetadataTypes | undefined {
    return this.options.metadataTypes?.(uri);
  }

  /** A bulk document's diagnostics and row count for its current text (computed now if stale). */
  bulkCheck(document: vscode.TextDocument, format: BulkFormat): BulkCheck {
    const uri = document.uri;
    const metadataTypes = this.options.metadataTypes?.(uri);
    return this.bulk.check(document, format, {
      defaultApiVersion: this.options.defaultApiVersion(uri),
      allowSecrets: this.options.allowSecrets(),
      metadataTypes,
    });
  }

  /** Re-validates every open file, e.g. after the API version setting changed. */
  refreshAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.refresh(doc);
  }

  refresh(document: vscode.TextDocument): void {
    const bulk = bulkFormatOfDocument(document);
    if (!bulk && !isUserUpdateDocument(document)) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(key);
    }
    if (bulk) {
      // VS Code's JSON language service reports syntax only on `json` and `jsonc` documents: a `*.jsonl` is
      // `jsonl` and a CSV plain text, unless the user associated them otherwise (files.associations).
      const syntaxShown = JSON_LANGUAGES.has(document.languageId);
      const { diagnostics } = this.bulkCheck(document, bulk);
      this.collection.set(
        document.uri,
        (syntaxShown ? diagnostics.filter((d) => d.owner !== 'syntax') : diagnostics).map(toDiagnostic),
      );
    } else {
      this.collection.set(document.uri, this.published(document).map(toDiagnostic));
    }
    this.changed.fire(document.uri);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!isUserUpdateDocument(document) && !bulkFormatOfDocument(document)) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (!document.isClosed) this.refresh(document);
      }, this.options.delayMs()),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.cache.delete(key);
    this.bulk.forget(uri);
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.cache.clear();
    this.bulk.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
