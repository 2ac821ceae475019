import * as vscode from 'vscode';
import { userAgent as clerkUserAgent } from '../core/clerk/useragent';
import { describeDiagnostic } from '../core/diagnostics';
import { UserQueue } from '../core/send/userQueue';
import { ApiErrorDiagnostics } from './send/apiErrorDiagnostics';
import { BULK_COMMANDS, BULK_SELECTOR, BulkLenses } from './bulk/bulkLens';
import { SendCodeLensProvider } from './send/sendLens';
import { clientFactory } from './environments/clients';
import { CommandIds, SettingIds } from './ids';
import { DiagnosticsController } from './authoring/diagnostics';
import { USER_UPDATE_SELECTOR } from './documents';
import { addEnvironment, removeKey, selectEnvironment, setKey } from './environments/environmentCommands';
import { EnvironmentStore } from './environments/environments';
import { DotenvEnvironments } from './environments/dotenvEnvironments';
import { copyAs } from './send/copyAs';
import { newUserUpdateFile } from './users/newFile';
import { ReadonlyDocuments } from './readonlyDocuments';
import { QuickFixProvider } from './authoring/quickFixes';
import { PreviewController } from './send/preview';
import { SendController } from './send/sendController';
import { IdentifierAssist } from './authoring/userIdCompletion';
import { UndoController } from './send/undoSend';
import { UserCache } from './users/userCache';
import { newUpdateFileForUser } from './users/userFiles';
import { KnownUsers } from './users/knownUsers';
import { presentResult } from './send/sendResults';
import { affectsSettings, ApiVersionSetting, readSettings, type Settings } from './settings';
import { EnvironmentStatusBar } from './environments/statusBar';
import { EditorHistory } from './history/historyRecorder';
import { HistoryCommands } from './history/historyCommands';
import { type HistoryTreeItem, HistoryView } from './history/historyView';
import { WorkspaceMetadataTypes } from './metadataTypes/workspaceTypes';
import { MetadataTypesStatus } from './metadataTypes/metadataTypesStatus';
import { MetadataAssist } from './authoring/metadataAssist';
import type { MetadataTypes } from '../core/metadataTypes/model';

/** What activate() returns: a small surface for other extensions and tests. */
export interface ClerkUserUpdateApi {
  /** Milliseconds spent in activate(). */
  readonly activationMs: number;
  /** Where this extension's files live on disk (for audits such as "no secret is ever written"). */
  readonly paths: { logs: string; globalStorage: string; workspaceStorage?: string; history: string };
  /** The environments offered (settings, then the workspace's dotenv files), without keys. */
  environments(): { name: string; apiUrl: string; file?: string }[];
  /** Fires when the environments or their keys may have changed. */
  readonly onDidChangeEnvironments: vscode.Event<void>;
  /**
   * Resolves when the latest read of the workspace's dotenv files has finished (at once in an untrusted
   * workspace).
   */
  dotenvRead(): Promise<void>;
  /** The environment item of the status bar as shown: its text, tooltip and what a click runs. */
  statusBar(): Promise<{ text: string; tooltip: string; command: string | undefined; arguments: unknown[] }>;
  /** The "Clerk" view's tree as it shows now (labels and descriptions), for tests. */
  historyTree(): Promise<HistoryTreeItem[]>;
  /** Resolves when the latest read of the workspace's metadata declarations has finished. */
  metadataTypesRead(): Promise<void>;
  /** Fires when a read of the workspace's metadata declarations has finished. */
  readonly onDidChangeMetadataTypes: vscode.Event<void>;
  /** The metadata types in force for a file, and the status bar's tooltip about them (tests). */
  metadataTypes(uri: vscode.Uri): { types: MetadataTypes | undefined; status: string | undefined };
}

export function activate(context: vscode.ExtensionContext): ClerkUserUpdateApi {
  const started = performance.now();
  let settings: Settings = readSettings();
  const apiVersions = new ApiVersionSetting();
  /** The API version for new files: the setting of the active file's folder. */
  const apiVersionHere = () =>
    apiVersions.for(
      vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri,
    );
  const currentSettings = () => settings;
  const subscriptions = context.subscriptions;

  const log = vscode.window.createOutputChannel('Clerk User Update', { log: true });
  const metadataTypes = new WorkspaceMetadataTypes(log);
  const knownUsers = new KnownUsers();
  const diagnostics = new DiagnosticsController({
    defaultApiVersion: (uri) => apiVersions.for(uri),
    delayMs: () => settings.validationDelayMs,
    allowSecrets: () => settings.bulkAllowSecrets,
    metadataTypes: (uri) => metadataTypes.for(uri),
    knownUser: (uri) => knownUsers.get(uri)?.user,
  });
  const metadataStatus = new MetadataTypesStatus(metadataTypes);
  const metadataAssist = new MetadataAssist((uri) => metadataTypes.for(uri));
  const assisted: vscode.DocumentFilter[] = [...USER_UPDATE_SELECTOR, { pattern: '**/*.userupdates.jsonl' }];
  const dotenv = new DotenvEnvironments();
  const environments = new EnvironmentStore(
    context.secrets,
    context.globalState,
    currentSettings,
    process.env,
    dotenv,
    context.workspaceState,
  );
  const apiErrors = new ApiErrorDiagnostics();
  const userDocuments = new ReadonlyDocuments('clerk-user');
  const userAgent = clerkUserAgent(`vscode ${vscode.version}`);
  const clients = clientFactory(environments, currentSettings, userAgent);
  const queue = new UserQueue();
  const users = new UserCache();
  const identifiers = new IdentifierAssist(diagnostics, clients, users);
  const history = new EditorHistory(context.globalStorageUri, () => settings.historyMaxEntries, log);
  const undo = new UndoController({
    queue,
    log,
    settings: currentSettings,
    userAgent,
    environments,
    record: (report, change, kind, undoes) => history.recordSend(report, change, kind, undoes),
  });
  const sender = new SendController({
    diagnostics,
    clients,
    queue,
    extraWarnings: (uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      return [
        ...(document ? diagnostics.knownUserDiagnostics(document) : []),
        ...identifiers.warningsFor(uri),
      ].map(describeDiagnostic);
    },
    remember: (uri, user, environment) => knownUsers.set(uri, user, environment),
    apiErrors,
    log,
    settings: currentSettings,
    record: (report, change) => history.recordSend(report, change),
    present: (result, { document, sent }) => {
      if (sent) {
        undo.record(sent);
        users.invalidate(sent.environment.apiUrl, sent.after.id);
      }
      presentResult(result, document, { documents: userDocuments, undo: (s) => undo.undo(s) }, sent);
    },
  });
  const previews = new PreviewController(diagnostics, clients, (uri, user, environment) =>
    knownUsers.set(uri, user, environment),
  );
  const lenses = new SendCodeLensProvider(diagnostics, sender);
  const bulk = new BulkLenses(
    diagnostics,
    {
      diagnostics,
      clients,
      log,
      settings: currentSettings,
      defaultApiVersion: (uri) => apiVersions.for(uri ?? vscode.workspace.workspaceFolders?.[0]?.uri),
      recordRun: (run, change, kind) => history.recordRun(run, change, kind),
    },
    subscriptions,
  );
  const historyView = new HistoryView(history);
  const statusBar = new EnvironmentStatusBar(
    environments,
    () => dotenv.listHints(),
    () => dotenv.list(),
  );
  const historyCommands = new HistoryCommands({
    history,
    view: historyView,
    undo,
    documents: userDocuments,
    environments,
    diagnostics,
    settings: currentSettings,
    userAgent,
  });

  subscriptions.push(
    log,
    metadataTypes,
    metadataStatus,
    metadataTypes.onDidChange(() => diagnostics.refreshAll()),
    knownUsers,
    knownUsers.onDidChange((uri) => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      if (document) diagnostics.refresh(document);
    }),
    environments.onDidChange(() => {
      void environments.resolveActive().then(
        (active) => knownUsers.keepEnvironment(active.name),
        () => undefined,
      );
    }),
    vscode.languages.registerCompletionItemProvider(assisted, metadataAssist, '"'),
    vscode.languages.registerHoverProvider(assisted, metadataAssist),
    vscode.commands.registerCommand(CommandIds.showMetadataTypes, () => metadataStatus.show()),
    diagnostics,
    dotenv,
    environments,
    apiErrors,
    userDocuments,
    sender,
    lenses,
    identifiers,
    previews,
    bulk,
    history,
    historyView,
    statusBar,
    vscode.workspace.registerTextDocumentContentProvider(userDocuments.scheme, userDocuments),
    vscode.languages.registerCodeLensProvider(USER_UPDATE_SELECTOR, lenses),
    vscode.languages.registerCodeLensProvider(BULK_SELECTOR, bulk),
    vscode.languages.registerCodeActionsProvider(USER_UPDATE_SELECTOR, new QuickFixProvider(diagnostics), {
      providedCodeActionKinds: QuickFixProvider.kinds,
    }),
    vscode.languages.registerCompletionItemProvider(USER_UPDATE_SELECTOR, identifiers, '"'),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (!affectsSettings(event)) return;
      settings = readSettings();
      apiVersions.clear();
      diagnostics.refreshAll();
      if (event.affectsConfiguration(SettingIds.metadataTypes)) metadataTypes.reloadAll();
      environments.settingsChanged();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      lenses.refresh();
      bulk.refresh();
    }),
    vscode.commands.registerCommand(CommandIds.sendUpdate, (uri?: vscode.Uri) => sender.send(uri)),
    vscode.commands.registerCommand(CommandIds.previewChanges, (uri?: vscode.Uri) => previews.preview(uri)),
    vscode.commands.registerCommand(CommandIds.sendFromPreview, (uri?: vscode.Uri) => {
      const source = uri && previews.sourceOf(uri);
      return source
        ? sender.send(source)
        : vscode.window.showWarningMessage(
            'This preview is no longer linked to a file; run Preview Changes again.',
          );
    }),
    vscode.commands.registerCommand(CommandIds.undoLastSend, (uri?: vscode.Uri) =>
      undo.undo(uri ?? vscode.window.activeTextEditor?.document.uri),
    ),
    vscode.commands.registerCommand(CommandIds.newFileForUser, (userId?: string) =>
      newUpdateFileForUser(clients, apiVersionHere(), userId),
    ),
    vscode.commands.registerCommand(CommandIds.cancelSend, (uri?: vscode.Uri) => sender.cancel(uri)),
    vscode.commands.registerCommand(CommandIds.sending, () => undefined),
    vscode.commands.registerCommand(CommandIds.addEnvironment, (args?: { name?: string; apiUrl?: string }) =>
      addEnvironment(environments, args),
    ),
    vscode.commands.registerCommand(CommandIds.selectEnvironment, (name?: string) =>
      selectEnvironment(environments, name, dotenv.listHints()),
    ),
    vscode.commands.registerCommand(CommandIds.setKey, (args?: { environment?: string; key?: string }) =>
      setKey(environments, args),
    ),
    vscode.commands.registerCommand(CommandIds.removeKey, (name?: string) => removeKey(environments, name)),
    vscode.commands.registerCommand(CommandIds.newFile, () => newUserUpdateFile(apiVersionHere())),
    vscode.commands.registerCommand(CommandIds.showLog, () => log.show(true)),
    vscode.commands.registerCommand(CommandIds.copyAs, (uri?: vscode.Uri, language?: string) =>
      copyAs(environments, (u) => apiVersions.for(u), uri, language),
    ),
    // Each runs the BulkRuns method of its name (created on the first of them).
    ...BULK_COMMANDS.map((name) =>
      vscode.commands.registerCommand(CommandIds[name], (...args: unknown[]) =>
        (bulk.get()[name] as (...a: unknown[]) => unknown)(...args),
      ),
    ),
    vscode.commands.registerCommand(CommandIds.cancelRun, (uri?: vscode.Uri) => bulk.cancel(uri)),
    vscode.commands.registerCommand(CommandIds.openHistoryEntry, (arg?: string) => historyCommands.open(arg)),
    vscode.commands.registerCommand(
      CommandIds.undoHistoryEntry,
      (arg?: string, options?: { ifChanged?: 'ask' | 'refuse'; confirmed?: boolean }) =>
        historyCommands.undoEntry(arg, options),
    ),
    vscode.commands.registerCommand(CommandIds.openHistoryUser, (arg?: string) =>
      historyCommands.openUser(arg),
    ),
    vscode.commands.registerCommand(CommandIds.copyHistoryTraceId, (arg?: string) =>
      historyCommands.copyTraceId(arg),
    ),
    vscode.commands.registerCommand(CommandIds.revealHistorySource, (arg?: string) =>
      historyCommands.revealSource(arg),
    ),
    vscode.commands.registerCommand(CommandIds.filterHistory, (text?: string) =>
      historyCommands.filter(text),
    ),
    vscode.commands.registerCommand(CommandIds.clearHistoryFilter, () => historyCommands.clearFilter()),
    vscode.commands.registerCommand(CommandIds.clearHistory, (args?: { confirmed?: boolean }) =>
      historyCommands.clear(args),
    ),
    vscode.commands.registerCommand(CommandIds.showUserHistory, (uri?: vscode.Uri) =>
      historyCommands.showUser(uri),
    ),
  );

  return {
    activationMs: performance.now() - started,
    historyTree: () => historyView.snapshot(),
    paths: {
      logs: context.logUri.fsPath,
      globalStorage: context.globalStorageUri.fsPath,
      workspaceStorage: context.storageUri?.fsPath,
      history: history.folder,
    },
    environments: () => environments.list(),
    onDidChangeEnvironments: environments.onDidChange,
    dotenvRead: () => dotenv.ready,
    statusBar: () => statusBar.shown(),
    metadataTypesRead: () => metadataTypes.ready(),
    onDidChangeMetadataTypes: metadataTypes.onDidChange,
    metadataTypes: (uri) => ({ types: metadataTypes.for(uri), status: metadataStatus.describe() }),
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
