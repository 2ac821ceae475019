import * as vscode from 'vscode';
import { isProductionKey } from '../core/clerk/keys';
import { type EnvironmentSetting, type Settings, upsertEnvironment } from './settings';

export type KeySource = 'secret-storage' | 'environment' | 'none';

export interface ResolvedEnvironment {
  name: string;
  apiUrl: string;
  /** The secret key; only ever handed to the HTTP client. */
  key: string | undefined;
  keySource: KeySource;
  production: boolean;
}

const ACTIVE_STATE_KEY = 'clerkUserUpdate.activeEnvironment';
const secretId = (name: string) => `clerkUserUpdate.secretKey:${name}`;

/**
 * Environments (name + API URL) live in the user's settings; their secret keys live in
 * SecretStorage, never in settings. CLERK_SECRET_KEY from the process environment is used when
 * no key is stored.
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
  ) {
    this.subscriptions = [
      this.emitter,
      secrets.onDidChange((e) => {
        if (!e.key.startsWith('clerkUserUpdate.secretKey:')) return;
        this.keyCache.clear();
        this.emitter.fire();
      }),
    ];
  }

  list(): EnvironmentSetting[] {
    return this.settings().environments;
  }

  active(): EnvironmentSetting {
    const environments = this.list();
    const name = this.state.get<string>(ACTIVE_STATE_KEY);
    return environments.find((e) => e.name === name) ?? environments[0];
  }

  async resolveActive(): Promise<ResolvedEnvironment> {
    return this.resolve(this.active());
  }

  /** The environment of this name (with its key), whether or not it is the active one. */
  async resolveNamed(name: string): Promise<ResolvedEnvironment | undefined> {
    const environment = this.list().find((e) => e.name === name);
    return environment ? this.resolve(environment) : undefined;
  }

  private async resolve(environment: EnvironmentSetting): Promise<ResolvedEnvironment> {
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
    await this.state.update(ACTIVE_STATE_KEY, name);
    this.emitter.fire();
  }

  /** Adds or updates an environment in the user's settings (never the workspace's). */
  async upsert(environment: EnvironmentSetting): Promise<void> {
    await upsertEnvironment(environment, this.list());
    this.emitter.fire();
  }

  async storeKey(name: string, key: string): Promise<void> {
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
