// Helpers for integration tests that run inside the real extension host (see index.ts).
// Wait on events and conditions, never on fixed sleeps: every wait has a timeout and says
// what it was waiting for when it gives up.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'clerk-user-update.clerk-user-update';
/** `Diagnostic.source` of the diagnostics our extension publishes. */
export const DIAGNOSTIC_SOURCE = 'clerk-user-update';
export const DEFAULT_WAIT_MS = 15_000;

/** The folder the suite runs in: a temp copy of test/fixtures, safe to modify. */
export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder)
    throw new Error('The integration suite needs a workspace folder (a temp copy of test/fixtures)');
  return folder.uri.fsPath;
}

/** Absolute path of a file in the fixtures workspace, e.g. fixturePath('harness', 'x.userupdate.json'). */
export function fixturePath(...segments: string[]): string {
  return path.join(workspaceRoot(), ...segments);
}

export function fixtureUri(...segments: string[]): vscode.Uri {
  return vscode.Uri.file(fixturePath(...segments));
}

/**
 * Opens a fixture (relative to the fixtures workspace) and shows it in an editor, and resolves once
 * the extensions that opening it activates have finished activating (`languageExtensionsActive`).
 */
export async function openFixture(
  relativePath: string,
  options: { show?: boolean } = {},
): Promise<{ document: vscode.TextDocument; editor?: vscode.TextEditor }> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(...relativePath.split('/')));
  const editor =
    options.show === false ? undefined : await vscode.window.showTextDocument(document, { preview: false });
  await languageExtensionsActive(document.languageId);
  return { document, editor };
}

/**
 * Resolves once every extension activated by `onLanguage:<languageId>` has finished activating
 * (`Extension.activate()` resolves when its activate() has; one that failed to activate is done too).
 *
 * Why: while a `vscode.execute…Provider` command runs, VS Code compares the providers registered for
 * the document with those it started with, and when one was added or removed it cancels the request
 * and returns an empty list, without an error. Opening the first JSON document of a session activates
 * VS Code's JSON language features, which register two code action providers for every JSON document
 * at the end of their activation (when their language server has started); were the quick-fix test to
 * ask for code actions while that is under way, it would get none, though our diagnostics are there.
 * A user pressing Ctrl+. is not affected: the editor asks again when the providers change.
 */
export async function languageExtensionsActive(languageId: string): Promise<void> {
  const activatedBy = vscode.extensions.all.filter((extension) => {
    const events: unknown = extension.packageJSON?.activationEvents;
    return Array.isArray(events) && events.includes(`onLanguage:${languageId}`);
  });
  await Promise.allSettled(activatedBy.map((extension) => extension.activate()));
}

/**
 * Closes every editor, so one test's documents do not leak into the next. Dirty documents are
 * reverted first (closing them would otherwise open a modal "Save changes?" prompt and hang).
 */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
    await vscode.window.showTextDocument(document, { preview: false });
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export function toRange(
  startLine: number,
  startCharacter: number,
  endLine: number,
  endCharacter: number,
): vscode.Range {
  return new vscode.Range(startLine, startCharacter, endLine, endCharacter);
}

/** The range of the `occurrence`-th (0-based) occurrence of `text` in the document. */
export function rangeOf(document: vscode.TextDocument, text: string, occurrence = 0): vscode.Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = document.getText().indexOf(text, offset + 1);
    if (offset < 0)
      throw new Error(`"${text}" (occurrence ${occurrence}) not found in ${document.uri.fsPath}`);
  }
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + text.length));
}

export function formatRange(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

export function formatDiagnostics(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map(
      (d) =>
        `  [${d.source ?? '?'}] ${formatRange(d.range)} ${vscode.DiagnosticSeverity[d.severity]}: ${d.message}`,
    )
    .join('\n');
}

/** Our diagnostics (source `clerk-user-update`) on a document. */
export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/**
 * Resolves once `condition()` returns a value other than undefined/false, re-checking each time
 * `event` fires. Rejects after `timeoutMs` with `describe()` in the message.
 */
export function waitForEvent<T, E>(
  event: vscode.Event<E>,
  condition: () => T | undefined | false,
  options: { timeoutMs?: number; what: string; describe?: () => string },
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const check = (): boolean => {
      let value: T | undefined | false;
      try {
        value = condition();
      } catch (error) {
        done();
        reject(error);
        return true;
      }
      if (value === undefined || value === false) return false;
      done();
      resolve(value);
      return true;
    };
    const subscription = event(() => {
      if (!settled) check();
    });
    const timer = setTimeout(() => {
      if (settled) return;
      done();
      const detail = options.describe ? `\n${options.describe()}` : '';
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what}${detail}`));
    }, timeoutMs);
    function done(): void {
      settled = true;
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

/**
 * Waits until the diagnostics of `uri` (only ours unless `allSources`) satisfy `predicate`,
 * listening to languages.onDidChangeDiagnostics. Returns those diagnostics.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  options: { timeoutMs?: number; allSources?: boolean; what?: string } = {},
): Promise<vscode.Diagnostic[]> {
  const current = () => (options.allSources ? vscode.languages.getDiagnostics(uri) : ourDiagnostics(uri));
  return waitForEvent(
    vscode.languages.onDidChangeDiagnostics,
    () => {
      const diagnostics = current();
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    {
      timeoutMs: options.timeoutMs,
      what: options.what ?? `diagnostics on ${path.basename(uri.fsPath)}`,
      describe: () =>
        `diagnostics now (all sources):\n${formatDiagnostics(vscode.languages.getDiagnostics(uri))}`,
    },
  );
}

/**
 * The values of the first `count` of `promises` to settle, in the order they settled (rejects if one
 * of those rejects). For "these answer while that one is still in flight": hold the one, await these.
 */
export function firstSettled<T>(promises: readonly Promise<T>[], count: number): Promise<T[]> {
  return new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    if (count <= 0) resolve(values);
    for (const promise of promises) {
      promise.then((value) => {
        values.push(value);
        if (values.length === count) resolve(values.slice());
      }, reject);
    }
  });
}

/** A diagnostic of ours exactly at `range`, or undefined. */
export function diagnosticAt(
  diagnostics: readonly vscode.Diagnostic[],
  range: vscode.Range,
): vscode.Diagnostic | undefined {
  return diagnostics.find((d) => d.source === DIAGNOSTIC_SOURCE && d.range.isEqual(range));
}

/** Our extension, activated. Throws if it is not installed. */
export async function activateExtension(id = EXTENSION_ID): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`Extension ${id} is not installed in this extension host`);
  await extension.activate();
  return extension;
}

/** Code lenses of a document, resolved, as the editor would show them. */
export async function codeLenses(uri: vscode.Uri, resolveCount = 50): Promise<vscode.CodeLens[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[] | undefined>(
    'vscode.executeCodeLensProvider',
    uri,
    resolveCount,
  );
  return lenses ?? [];
}

/** A lens title without leading codicons: "$(cloud-upload) Send update" -> "Send update". */
export function lensTitle(lens: vscode.CodeLens): string | undefined {
  return lens.command?.title.replace(/^(\$\([^)]*\)\s*)+/, '').trim();
}

export interface ActivationMeasurement {
  id: string;
  /** True if the extension was already active, so nothing could be measured. */
  alreadyActive: boolean;
  /** Time for `extension.activate()` to resolve: loading the bundle plus running activate(). */
  activationMs?: number;
  /** What the extension's own activate() reports about itself (`exports.activationMs`), if anything. */
  selfReportedMs?: number;
  /** Time to require the bundle again after activation (no activate() call): the code-loading share. */
  reloadMs?: number;
  /** The activation events the manifest declares, for the report. */
  activationEvents: string[];
  vscodeVersion: string;
  extensionPath: string;
}

/**
 * Measures the activation of an extension inside this extension host: the time from asking for
 * activation until `activate()` has resolved (code loading included). Only meaningful while the
 * extension is not active yet, so run it first thing in a fresh host whose workspace does not
 * trigger activation (activation.ts does that; scripts/run-integration.mjs runs it).
 */
export async function measureActivation(id = EXTENSION_ID): Promise<ActivationMeasurement> {
  const extension = vscode.extensions.getExtension(id);
  if (!extension) throw new Error(`Extension ${id} is not installed in this extension host`);
  const base = {
    id,
    activationEvents: (extension.packageJSON.activationEvents as string[] | undefined) ?? [],
    vscodeVersion: vscode.version,
    extensionPath: extension.extensionPath,
  };
  if (extension.isActive) return { ...base, alreadyActive: true };
  const started = performance.now();
  const exports = (await extension.activate()) as { activationMs?: unknown } | undefined;
  const activationMs = performance.now() - started;
  const selfReportedMs = typeof exports?.activationMs === 'number' ? exports.activationMs : undefined;
  return { ...base, alreadyActive: false, activationMs, selfReportedMs, reloadMs: measureReload(extension) };
}

/** Requires the extension's main module once more, uncached, and times it (top level only). */
function measureReload(extension: vscode.Extension<unknown>): number | undefined {
  const main = extension.packageJSON.main as string | undefined;
  if (!main) return undefined;
  const file = require.resolve(path.join(extension.extensionPath, main));
  const cached = require.cache[file];
  delete require.cache[file];
  try {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    return performance.now() - started;
  } catch {
    return undefined;
  } finally {
    if (cached) require.cache[file] = cached;
    else delete require.cache[file];
  }
}
