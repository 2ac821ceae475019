import * as vscode from 'vscode';
import { ApiErrorDiagnostics } from './apiErrorDiagnostics';
import { SendCodeLensProvider } from './codeLens';
import { CommandIds } from './commandIds';
import { DiagnosticsController } from './diagnostics';
import { USER_UPDATE_SELECTOR } from './documents';
import { addEnvironment, removeKey, selectEnvironment, setKey } from './environmentCommands';
import { EnvironmentStore } from './environments';
import { newUserUpdateFile } from './newFile';
import { ReadonlyDocuments } from './readonlyDocuments';
import { QuickFixProvider } from './quickFixes';
import { SendController } from './sendController';
import { presentResult } from './sendResults';
import { affectsSettings, readSettings, type Settings } from './settings';
import { EnvironmentStatusBar } from './statusBar';

/** What activate() returns: a small surface for other extensions and tests. */
export interface ClerkUserUpdateApi {
  /** Milliseconds spent in activate(). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ClerkUserUpdateApi {
  const started = performance.now();
  let settings: Settings = readSettings();
  const currentSettings = () => settings;
  const subscriptions = context.subscriptions;

  const log = vscode.window.createOutputChannel('Clerk User Update', { log: true });
  const diagnostics = new DiagnosticsController({
    defaultApiVersion: () => settings.apiVersion,
    delayMs: () => settings.validationDelayMs,
  });
  const environments = new EnvironmentStore(context.secrets, context.globalState, currentSettings, process.env);
  const apiErrors = new ApiErrorDiagnostics();
  const userDocuments = new ReadonlyDocuments('clerk-user');
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0');

  const sender = new SendController({
    diagnostics,
    environments,
    apiErrors,
    log,
    settings: currentSettings,
    userAgent: `clerk-user-update-vscode/${version}`,
    present: (result, { document, sent }) => presentResult(result, document, { documents: userDocuments }, sent),
  });
  const lenses = new SendCodeLensProvider(diagnostics, sender);

  subscriptions.push(
    log,
    diagnostics,
    environments,
    apiErrors,
    userDocuments,
    sender,
    lenses,
    new EnvironmentStatusBar(environments),
    vscode.workspace.registerTextDocumentContentProvider(userDocuments.scheme, userDocuments),
    vscode.languages.registerCodeLensProvider(USER_UPDATE_SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(USER_UPDATE_SELECTOR, new QuickFixProvider(diagnostics), {
      providedCodeActionKinds: QuickFixProvider.kinds,
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsSettings(event)) return;
      settings = readSettings();
      diagnostics.refreshAll();
      environments.settingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => lenses.refresh()),
    vscode.commands.registerCommand(CommandIds.sendUpdate, (uri?: vscode.Uri) => sender.send(uri)),
    vscode.commands.registerCommand(CommandIds.cancelSend, (uri?: vscode.Uri) => sender.cancel(uri)),
    vscode.commands.registerCommand(CommandIds.sending, () => undefined),
    vscode.commands.registerCommand(CommandIds.addEnvironment, (args?: { name?: string; apiUrl?: string }) => addEnvironment(environments, args)),
    vscode.commands.registerCommand(CommandIds.selectEnvironment, (name?: string) => selectEnvironment(environments, name)),
    vscode.commands.registerCommand(CommandIds.setKey, (args?: { environment?: string; key?: string }) => setKey(environments, args)),
    vscode.commands.registerCommand(CommandIds.removeKey, (name?: string) => removeKey(environments, name)),
    vscode.commands.registerCommand(CommandIds.newFile, () => newUserUpdateFile(settings.apiVersion)),
    vscode.commands.registerCommand(CommandIds.showLog, () => log.show(true)),
  );

  return { activationMs: performance.now() - started };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
