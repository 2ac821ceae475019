import * as vscode from 'vscode';

/** Folders never searched for the files we watch. */
const IGNORED = /(^|\/)(node_modules|\.git)(\/|$)/;

export interface WatchHandlers {
  /** A file matching the glob was created, changed or deleted. */
  file(uri: vscode.Uri): void;
  /** A folder was created: files that match the glob may be inside it, unreported. */
  folderCreated(uri: vscode.Uri): void;
  /**
   * Something was deleted, a folder perhaps: it cannot be stat'ed any more, so the owner decides whether
   * it held files that matter.
   */
  deleted(uri: vscode.Uri): void;
}

/**
 * Watches the files matching `glob`, and the folders they may come and go with. A folder created or
 * deleted with its files in one go (`web/.env.local`, `types/globals.d.ts`) may be reported by the file
 * system watcher as the folder alone, and then a glob on the files hears nothing.
 */
export function watchFiles(glob: string, handlers: WatchHandlers): vscode.Disposable {
  const files = vscode.workspace.createFileSystemWatcher(glob);
  const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
  const folderCreated = (uri: vscode.Uri) => {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    // A file created alone is reported as itself; most folders have no dot in their names.
    if (name.includes('.') || IGNORED.test(uri.path)) return;
    void Promise.resolve(vscode.workspace.fs.stat(uri)).then(
      (stat) => {
        if (stat.type & vscode.FileType.Directory) handlers.folderCreated(uri);
      },
      () => undefined,
    );
  };
  const file = (uri: vscode.Uri) => handlers.file(uri);
  return vscode.Disposable.from(
    files,
    folders,
    files.onDidCreate(file),
    files.onDidChange(file),
    files.onDidDelete(file),
    folders.onDidCreate(folderCreated),
    folders.onDidDelete((uri) => {
      if (!IGNORED.test(uri.path)) handlers.deleted(uri);
    }),
  );
}

/** Whether `file` is `folder` or lies under it. */
export function isUnder(file: vscode.Uri, folder: vscode.Uri): boolean {
  return file.toString() === folder.toString() || file.toString().startsWith(`${folder.toString()}/`);
}
