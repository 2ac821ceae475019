import * as vscode from 'vscode';
import { CommandIds } from '../ids';
import type { DotenvHint } from './dotenvEnvironments';
import type { EnvironmentStore, ResolvedEnvironment } from './environments';

/** Shows the active environment; a production key looks different; says when the key comes from CLERK_SECRET_KEY or a dotenv file. */
export class EnvironmentStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('clerkUserUpdate.environment', vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;

  constructor(
    private readonly store: EnvironmentStore,
    /** Dotenv files with only publishable keys: named in the tooltip when there is no key. */
    private readonly hints: () => readonly DotenvHint[] = () => [],
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
    render(this.item, environment, this.hints());
    this.item.show();
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}

export function render(item: vscode.StatusBarItem, environment: ResolvedEnvironment, hints: readonly DotenvHint[] = []): void {
  const where = `${environment.name} · ${environment.apiUrl}`;
  if (environment.keySource === 'none') {
    item.text = `$(key) Clerk: ${environment.name} (no key)`;
    item.tooltip = [`${where}\nNo secret key is set. Click to choose an environment, or run "Clerk: Set Secret Key".`, ...hints.map((h) => `${h.file}: ${h.hint}`)].join('\n');
    item.backgroundColor = undefined;
    return;
  }
  const source = environment.keySource === 'environment' ? ' (CLERK_SECRET_KEY)' : '';
  if (environment.production) {
    item.text = `$(warning) Clerk: ${environment.name} — PRODUCTION${source}`;
    item.tooltip = `${where}\nA production key (sk_live_) is active, ${keyOrigin(environment)}: every send asks for confirmation.`;
    item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
  } else {
    item.text = `$(beaker) Clerk: ${environment.name}${source}`;
    item.tooltip = `${where}\nDevelopment key (sk_test_), ${keyOrigin(environment)}.`;
    item.backgroundColor = undefined;
  }
}

/** Where the active key comes from, in words. */
function keyOrigin(environment: ResolvedEnvironment): string {
  if (environment.keySource === 'dotenv') return `read from ${environment.file} (never stored)`;
  return environment.keySource === 'environment' ? 'read from CLERK_SECRET_KEY' : 'kept in SecretStorage';
}
