import * as vscode from 'vscode';
import { CommandIds } from '../ids';
import { isProductionKey } from '../../core/clerk/keys';
import type { DotenvEnvironment, DotenvHint } from './dotenvEnvironments';
import type { EnvironmentStore, ResolvedEnvironment } from './environments';

/**
 * Shows the active environment; a production key looks different; says when the key comes from
 * CLERK_SECRET_KEY or a dotenv file.
 */
export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'clerkUserUpdate.environment',
    vscode.StatusBarAlignment.Left,
    50,
  );
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;

  constructor(
    private readonly store: EnvironmentStore,
    /** Dotenv files with only publishable keys: named in the tooltip when there is no key. */
    private readonly hints: () => readonly DotenvHint[] = () => [],
    /**
     * The dotenv files with a key: named (and a click selects one) when the active environment has no key.
     */
    private readonly found: () => readonly DotenvEnvironment[] = () => [],
  ) {
    this.item.name = 'Clerk environment';
    this.item.command = CommandIds.selectEnvironment;
    this.subscriptions = [this.item, store.onDidChange(() => void this.update())];
    void this.update();
  }

  async update(): Promise<void> {
    const generation = ++this.generation;
    const environment = await this.store.resolveActive();
    if (generation !== this.generation) return;
    render(this.item, environment, this.hints(), this.found());
    this.item.show();
  }

  /** What the item shows once it is up to date: its text, tooltip and what a click runs (for tests). */
  async shown(): Promise<{
    text: string;
    tooltip: string;
    command: string | undefined;
    arguments: unknown[];
  }> {
    await this.update();
    const command = this.item.command;
    return {
      text: this.item.text,
      tooltip: String(this.item.tooltip ?? ''),
      command: typeof command === 'string' ? command : command?.command,
      arguments: typeof command === 'object' ? (command.arguments ?? []) : [],
    };
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

export function render(
  item: vscode.StatusBarItem,
  environment: ResolvedEnvironment,
  hints: readonly DotenvHint[] = [],
  found: readonly DotenvEnvironment[] = [],
): void {
  const where = `${environment.name} · ${environment.apiUrl}`;
  item.command = CommandIds.selectEnvironment;
  if (environment.keySource === 'none') {
    item.backgroundColor = undefined;
    if (found.length > 0) {
      // A key in the workspace's dotenv files, not chosen: say where; a click selects it (or lists them).
      const one = found.length === 1 ? found[0] : undefined;
      item.text = `$(key) Clerk: ${environment.name} (no key) · key found in ${one ? one.file : `${found.length} files`}`;
      const kinds = found.map(
        (f) =>
          `${f.file}: a ${isProductionKey(f.key) ? 'production (sk_live_)' : 'development (sk_test_)'} key`,
      );
      item.tooltip = [
        `${where}\nNo secret key is set, but the workspace has one. Click to ${one ? `use ${one.file}` : 'choose one'}.`,
        ...kinds,
      ].join('\n');
      if (one)
        item.command = {
          command: CommandIds.selectEnvironment,
          title: 'Select Environment',
          arguments: [one.name],
        };
      return;
    }
    item.text = `$(key) Clerk: ${environment.name} (no key)`;
    item.tooltip = [
      `${where}\nNo secret key is set. Click to choose an environment, or run "Clerk: Set Secret Key".`,
      ...hints.map((h) => `${h.file}: ${h.hint}`),
    ].join('\n');
    return;
  }
  const source = environment.keySource === 'environment' ? ' (CLERK_SECRET_KEY)' : '';
  if (environment.production) {
    item.text = `$(warning) Clerk: ${environment.name} — PRODUCTION${source}`;
    item.tooltip = `${where}\nA production key (sk_live_) is active, ${keyOrigin(environment)}: every send asks for confirmation.`;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  } else {
    item.text = `$(beaker) Clerk: ${environment.name}${source}${environment.automatic ? ' · found automatically' : ''}`;
    const automatic = environment.automatic
      ? '\nChosen automatically: it is the only key in the workspace and no other key is set. Click to choose another.'
      : '';
    item.tooltip = `${where}\nDevelopment key (sk_test_), ${keyOrigin(environment)}.${automatic}`;
    item.backgroundColor = undefined;
  }
}

/** Where the active key comes from, in words. */
function keyOrigin(environment: ResolvedEnvironment): string {
  if (environment.keySource === 'dotenv') return `read from ${environment.file} (never stored)`;
  return environment.keySource === 'environment' ? 'read from CLERK_SECRET_KEY' : 'kept in SecretStorage';
}
