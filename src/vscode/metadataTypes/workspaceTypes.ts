import { sep } from 'node:path';
import * as vscode from 'vscode';
import type { MetadataTypes } from '../../core/metadataTypes/model';
import { isDeclarationCandidate } from '../../node/metadataTypes/discover';
import { loadMetadataTypes } from '../../node/metadataTypes/load';
import { metadataTypesSetting } from '../settings';
import { watchFiles } from '../watchFiles';

/** A burst of saves (a branch switch, a formatter) reads the declarations once, this long after the last. */
const RELOAD_DELAY_MS = 200;

interface FolderTypes {
  types: MetadataTypes | undefined;
  /** The named file's problem (`clerkUserUpdate.metadataTypes`), shown in the status bar's tooltip. */
  error?: string;
  /** The file named by the setting, if any. */
  explicit: string;
}

/**
 * The workspace folder of a file: VS Code's answer, else the folder whose path holds the file's (another
 * scheme).
 */
function folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  const found = vscode.workspace.getWorkspaceFolder(uri);
  if (found) return found;
  return vscode.workspace.workspaceFolders?.find((f) => uri.fsPath.startsWith(f.uri.fsPath + sep));
}

/**
 * The metadata types in force in each workspace folder: the file `clerkUserUpdate.metadataTypes` names, else
 * the global declarations found in the folder's TypeScript files. Read in the background after activation,
 * and again when a TypeScript file or the setting changes; `onDidChange` then re-checks the open files.
 */
export class WorkspaceMetadataTypes implements vscode.Disposable {
  private readonly folders = new Map<string, FolderTypes>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly loads = new Map<string, Promise<void>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private disposed = false;
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const touched = (uri: vscode.Uri) => {
      const folder = folderOf(uri);
      if (!folder) return;
      const relative = vscode.workspace.asRelativePath(uri, false);
      const explicit = this.folders.get(folder.uri.toString())?.explicit;
      const matters = explicit
        ? relative === explicit || uri.fsPath === explicit
        : isDeclarationCandidate(relative);
      // A deleted folder that held declarations in force.
      const sources = this.folders.get(folder.uri.toString())?.types?.sources ?? [];
      if (matters || sources.some((s) => s.file.startsWith(`${relative}/`))) this.schedule(folder);
    };
    this.disposables.push(
      watchFiles('**/*.{ts,mts,cts,json}', {
        file: touched,
        deleted: touched,
        folderCreated: (uri) => {
          const folder = folderOf(uri);
          if (folder) this.schedule(folder);
        },
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reloadAll()),
    );
    // Never during activation: the first read is scheduled, and starts once activate() has returned.
    this.reloadAll();
  }

  /** The types in force for a document (its workspace folder's), if any. */
  for(uri: vscode.Uri): MetadataTypes | undefined {
    const folder = folderOf(uri);
    return folder ? this.folders.get(folder.uri.toString())?.types : undefined;
  }

  /** Every folder's types and problems, for the status bar and "Show Metadata Types". */
  all(): { folder: vscode.WorkspaceFolder; types: MetadataTypes | undefined; error?: string }[] {
    const out: { folder: vscode.WorkspaceFolder; types: MetadataTypes | undefined; error?: string }[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const state = this.folders.get(folder.uri.toString());
      if (state) out.push({ folder, types: state.types, error: state.error });
    }
    return out;
  }

  /** Resolves when every read started so far has finished (tests, the command). */
  async ready(): Promise<void> {
    while (this.loads.size > 0 || this.timers.size > 0) {
      await Promise.all([...this.loads.values()]);
      if (this.timers.size > 0) await new Promise<void>((resolve) => this.afterNextChange(resolve));
    }
  }

  private afterNextChange(then: () => void): void {
    const sub = this.onDidChange(() => {
      sub.dispose();
      then();
    });
  }

  /** Reads every folder again (the setting changed, folders were added). */
  reloadAll(): void {
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.schedule(folder, 0);
  }

  private schedule(folder: vscode.WorkspaceFolder, delay = RELOAD_DELAY_MS): void {
    const key = folder.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.load(folder);
      }, delay),
    );
  }

  private async load(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const previous = this.loads.get(key) ?? Promise.resolve();
    const run = previous.then(async () => {
      // Read from the disk the extension host sees (a local or a remote folder alike; elsewhere nothing is
      // found).
      if (this.disposed) return;
      const explicit = metadataTypesSetting(folder.uri);
      const started = performance.now();
      const loaded = await loadMetadataTypes(folder.uri.fsPath, explicit || undefined).catch(
        (error: unknown) => ({
          types: undefined,
          error: String(error),
        }),
      );
      if (this.disposed) return;
      this.folders.set(key, { types: loaded.types, error: loaded.error, explicit });
      const files = loaded.types?.sources.map((s) => s.file) ?? [];
      const found = loaded.error ?? (files.length > 0 ? [...new Set(files)].join(', ') : 'none declared');
      this.log.info(
        `Metadata types of ${folder.name}: ${found} (${Math.round(performance.now() - started)} ms)`,
      );
    });
    this.loads.set(key, run);
    try {
      await run;
    } finally {
      if (this.loads.get(key) === run) this.loads.delete(key);
      if (!this.disposed) this.changed.fire();
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    vscode.Disposable.from(...this.disposables).dispose();
  }
}
