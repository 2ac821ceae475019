import * as vscode from 'vscode';
import { isProductionKey } from '../../core/clerk/keys';
import type { DotenvEnvironments } from './dotenvEnvironments';
import { type EnvironmentSetting, type Settings, upsertEnvironment } from '../settings';

export type KeySource = 'secret-storage' | 'environment' | 'dotenv' | 'none';

/** An environment as the pickers list it: from settings, or from a dotenv file of the workspace (`file`). */
export interface Environment extends EnvironmentSetting {
  /** The workspace-relative dotenv file its key and API URL come from, e.g. "web/.env.local". */
  file?: string;
}

export interface ResolvedEnvironment {
  name: string;
  apiUrl: string;
  /** The secret key; only ever handed to the HTTP client. */
  key: string | undefined;
  keySource: KeySource;
  production: boolean;
  /** The dotenv file the key comes from (keySource 'dotenv'). */
  file?: string;
  /** Chosen without the user: the one development key of the workspace's dotenv files, and no other key. */
  automatic?: boolean;
}

const ACTIVE_STATE_KEY = 'clerkUserUpdate.activeEnvironment';
/**
 * A selected dotenv environment is remembered per workspace: another workspace's file of the same name is not
 * chosen by it.
 */
const ACTIVE_DOTENV_KEY = 'clerkUserUpdate.activeDotenvEnvironment';
const secretId = (name: string) => `clerkUserUpdate.secretKey:${name}`;

/**
 * Environments (name + API URL) live in the user's settings; their secret keys live in
 * SecretStorage, never in settings. CLERK_SECRET_KEY from the process environment is used when
 * no key is stored. In a trusted workspace, its `.env.local`/`.env` files with a secret key are
 * environments too: their key and API URL come from the file, together, and nothing else (no
 * stored key, no CLERK_SECRET_KEY) is ever used with a file's API URL.
 */
export class EnvironmentStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];
  /** Stored keys read once per environment (SecretStorage is a round trip, in code-server to the browser). */
  private readonly keyCache = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
    private readonly settings: () => Settings,
    private readonly processEnv: Record<string, string | undefined>,
    private readonly dotenv?: DotenvEnvironments,
    private readonly workspaceState?: vscode.Memento,
  ) {
    this.subscriptions = [
      this.emitter,
      ...(dotenv ? [dotenv.onDidChange(() => this.emitter.fire())] : []),
      secrets.onDidChange((e) => {
        if (!e.key.startsWith('clerkUserUpdate.secretKey:')) return;
        this.keyCache.clear();
        this.emitter.fire();
      }),
    ];
  }

  /** The environments of the settings, then those of the workspace's dotenv files. */
  list(): Environment[] {
    return [
      ...this.settings().environments,
      ...(this.dotenv?.list() ?? []).map(({ name, apiUrl, file }) => ({ name, apiUrl, file })),
    ];
  }

  /** True for an environment of a dotenv file (and not of the settings): its key is never stored. */
  isFromFile(name: string): boolean {
    return (
      !this.listStored().some((e) => e.name === name) &&
      (this.dotenv?.list() ?? []).some((e) => e.name === name)
    );
  }

  /** The environments whose key is kept in SecretStorage (those of the settings). */
  listStored(): EnvironmentSetting[] {
    return this.settings().environments;
  }

  active(): Environment {
    const environments = this.list();
    const fromFile = this.workspaceState?.get<string>(ACTIVE_DOTENV_KEY);
    const chosenFile =
      fromFile === undefined
        ? undefined
        : environments.find((e) => e.file !== undefined && e.name === fromFile);
    if (chosenFile) return chosenFile;
    const name = this.state.get<string>(ACTIVE_STATE_KEY);
    return environments.find((e) => e.name === name) ?? environments[0];
  }

  /**
   * The active environment with its key. When it has no key, no environment of the settings has one
   * either (stored or CLERK_SECRET_KEY), none was chosen from a file, and exactly one dotenv file of
   * the workspace has a key, a development one (sk_test_): that file's environment, `automatic`. A
   * production key is never chosen this way.
   */
  async resolveActive(): Promise<ResolvedEnvironment> {
    const active = this.active();
    const resolved = await this.resolve(active);
    if (resolved.keySource !== 'none' || active.file !== undefined) return resolved;
    const files = this.dotenv?.list() ?? [];
    if (files.length !== 1 || isProductionKey(files[0].key)) return resolved;
    for (const stored of this.listStored())
      if ((await this.resolve(stored)).keySource !== 'none') return resolved;
    return {
      ...(await this.resolve({ name: files[0].name, apiUrl: files[0].apiUrl, file: files[0].file })),
      automatic: true,
    };
  }

  /** The environment of this name (with its key), whether or not it is the active one. */
  async resolveNamed(name: string): Promise<ResolvedEnvironment | undefined> {
    const environment = this.list().find((e) => e.name === name);
    return environment ? this.resolve(environment) : undefined;
  }

  private async resolve(environment: Environment): Promise<ResolvedEnvironment> {
    if (environment.file !== undefined) {
      const fromFile = this.dotenv?.list().find((e) => e.name === environment.name);
      const key = fromFile?.key;
      return {
        name: environment.name,
        apiUrl: environment.apiUrl,
        file: environment.file,
        key,
        keySource: key ? 'dotenv' : 'none',
        production: isProductionKey(key),
      };
    }
    let read = this.keyCache.get(environment.name);
    if (!read) {
      read = Promise.resolve(this.secrets.get(secretId(environment.name)));
      this.keyCache.set(environment.name, read);
    }
    const stored = await read;
    const fromEnv = this.processEnv.CLERK_SECRET_KEY?.trim();
    const key = stored ?? (fromEnv ? fromEnv : undefined);
    const keySource: KeySource = stored ? 'secret-storage' : key ? 'environment' : 'none';
    return { ...environment, key, keySource, production: isProductionKey(key) };
  }

  async select(name: string): Promise<void> {
    if (this.isFromFile(name) && this.workspaceState) {
      await this.workspaceState.update(ACTIVE_DOTENV_KEY, name);
    } else {
      await this.workspaceState?.update(ACTIVE_DOTENV_KEY, undefined);
      await this.state.update(ACTIVE_STATE_KEY, name);
    }
    this.emitter.fire();
  }

  /** Adds or updates an environment in the user's settings (never the workspace's). */
  async upsert(environment: EnvironmentSetting): Promise<void> {
    await upsertEnvironment(environment, this.listStored());
    this.emitter.fire();
  }

  async storeKey(name: string, key: string): Promise<void> {
    if (this.isFromFile(name))
      throw new Error(`The key of "${name}" comes from its file; it is never stored.`);
    await this.secrets.store(secretId(name), key);
    this.keyCache.delete(name);
    this.emitter.fire();
  }

  async deleteKey(name: string): Promise<boolean> {
    const had = (await this.secrets.get(secretId(name))) !== undefined;
    await this.secrets.delete(secretId(name));
    this.keyCache.delete(name);
    this.emitter.fire();
    return had;
  }

  /** Call when settings changed: the list or the active environment may have changed. */
  settingsChanged(): void {
    this.emitter.fire();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
