import * as vscode from 'vscode';
import { isProductionKey } from '../../core/clerk/keys';
import { DEFAULT_API_URL } from '../../core/clerk/url';
import { readClerkDotenv } from '../../core/env/dotenv';
import { isUnder, watchFiles } from '../watchFiles';

/** The dotenv files Clerk's quickstarts keep CLERK_SECRET_KEY in (Next.js, Remix, Express). */
const DOTENV_GLOB = '**/{.env.local,.env}';
const EXCLUDE = '**/node_modules/**';
const MAX_FILES = 50;

/** An environment offered from a dotenv file: its key and API URL go together, and only together. */
export interface DotenvEnvironment {
  /** e.g. "web/.env.local (development)". */
  name: string;
  apiUrl: string;
  /** The workspace-relative path, e.g. "web/.env.local". */
  file: string;
  /** Only ever handed to the HTTP client; never stored, never shown. */
  key: string;
}

/**
 * A dotenv file that has no secret key but publishable ones (or a CLERK_SECRET_KEY that is not a secret key).
 */
export interface DotenvHint {
  file: string;
  hint: string;
}

/**
 * The workspace's `.env.local` and `.env` files as environments, in a trusted workspace only (an
 * untrusted one is never read). Read with dotenv's parser, never written, read again when a file
 * is created, changed or deleted, or when the workspace becomes trusted.
 */
export class DotenvEnvironments implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[] = [this.emitter];
  private environments: DotenvEnvironment[] = [];
  private hints: DotenvHint[] = [];
  /** The files the last scan found. */
  private files: vscode.Uri[] = [];
  private generation = 0;
  private watching = false;
  /** Resolves when the latest scan has finished (tests and the first status bar render wait on it). */
  ready: Promise<void> = Promise.resolve();

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.rescan()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
    );
    this.rescan();
  }

  list(): readonly DotenvEnvironment[] {
    return this.environments;
  }

  /** The files that hold only publishable keys, with what to do. */
  listHints(): readonly DotenvHint[] {
    return this.hints;
  }

  private rescan(): void {
    if (!vscode.workspace.isTrusted) return;
    if (!this.watching) {
      this.watching = true;
      this.subscriptions.push(
        watchFiles(DOTENV_GLOB, {
          file: () => this.rescan(),
          folderCreated: () => this.rescan(),
          // A deleted folder that held files we read.
          deleted: (uri) => {
            if (this.files.some((file) => isUnder(file, uri))) this.rescan();
          },
        }),
      );
    }
    const generation = ++this.generation;
    this.ready = this.scan().then(
      ({ environments, hints, files }) => {
        if (generation !== this.generation) return;
        this.environments = environments;
        this.hints = hints;
        this.files = files;
        this.emitter.fire();
      },
      () => undefined,
    );
  }

  private async scan(): Promise<{
    environments: DotenvEnvironment[];
    hints: DotenvHint[];
    files: vscode.Uri[];
  }> {
    const uris = (await vscode.workspace.findFiles(DOTENV_GLOB, EXCLUDE, MAX_FILES)).sort((a, b) =>
      a.fsPath.localeCompare(b.fsPath),
    );
    const environments: DotenvEnvironment[] = [];
    const hints: DotenvHint[] = [];
    for (const uri of uris) {
      let text: string;
      try {
        text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        continue; // deleted meanwhile: the watcher scans again
      }
      const file = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      const found = readClerkDotenv(text);
      if (found.key) {
        const kind = isProductionKey(found.key) ? 'production' : 'development';
        environments.push({
          name: `${file} (${kind})`,
          apiUrl: found.apiUrl ?? DEFAULT_API_URL,
          file,
          key: found.key,
        });
      } else if (found.hint) {
        hints.push({ file, hint: found.hint });
      }
    }
    return { environments, hints, files: uris };
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
