import * as vscode from 'vscode';
import { checkSecretKey } from '../../core/clerk/keys';
import { checkApiUrl } from '../../core/clerk/url';
import type { DotenvHint } from './dotenvEnvironments';
import type { Environment, EnvironmentStore } from './environments';

/**
 * Commands of the "Clerk" category that manage environments and their keys. Arguments are optional (for
 * scripts).
 */

export async function addEnvironment(
  store: EnvironmentStore,
  args?: { name?: string; apiUrl?: string },
): Promise<boolean> {
  const name =
    args?.name ??
    (await vscode.window.showInputBox({
      title: 'Clerk: Add Environment (1/2)',
      prompt: 'A name for the Clerk instance, e.g. Development or Production',
      validateInput: (value) => (value.trim() ? undefined : 'Enter a name.'),
    }));
  if (!name?.trim()) return false;
  const apiUrl =
    args?.apiUrl ??
    (await vscode.window.showInputBox({
      title: 'Clerk: Add Environment (2/2)',
      prompt: 'The Backend API URL',
      value: 'https://api.clerk.com',
      validateInput: (value) => {
        const check = checkApiUrl(value);
        return check.ok ? undefined : check.message;
      },
    }));
  if (!apiUrl) return false;
  const check = checkApiUrl(apiUrl);
  if (!check.ok) {
    void vscode.window.showErrorMessage(check.message);
    return false;
  }
  await store.upsert({ name: name.trim(), apiUrl: check.url });
  await store.select(name.trim());
  if (!args) {
    const choice = await vscode.window.showInformationMessage(
      `Environment "${name.trim()}" added and selected.`,
      'Set Secret Key',
    );
    if (choice) await setKey(store, { environment: name.trim() });
  }
  return true;
}

export async function selectEnvironment(
  store: EnvironmentStore,
  name?: string,
  hints: readonly DotenvHint[] = [],
): Promise<boolean> {
  const environments = store.list();
  let chosen = name;
  if (!chosen) {
    const active = store.active().name;
    const detail = (e: Environment) =>
      [
        e.name === active ? 'active' : undefined,
        e.file ? `key and API URL from ${e.file} (read, never stored)` : undefined,
      ]
        .filter(Boolean)
        .join(' · ') || undefined;
    const picked = await vscode.window.showQuickPick<
      vscode.QuickPickItem & { add?: true; hint?: DotenvHint }
    >(
      [
        ...environments.map((e) => ({ label: e.name, description: e.apiUrl, detail: detail(e) })),
        ...hints.map((h) => ({
          label: `$(info) ${h.file}`,
          description: 'no secret key',
          detail: h.hint,
          hint: h,
        })),
        { label: '$(add) Add Environment…', description: '', add: true },
      ],
      { title: 'Clerk: Select Environment' },
    );
    if (!picked) return false;
    if (picked.add) return addEnvironment(store);
    if (picked.hint) {
      void vscode.window.showInformationMessage(`${picked.hint.file}: ${picked.hint.hint}`);
      return false;
    }
    chosen = picked.label;
  }
  if (!environments.some((e) => e.name === chosen)) {
    void vscode.window.showErrorMessage(`There is no Clerk environment named "${chosen}".`);
    return false;
  }
  await store.select(chosen);
  return true;
}

/**
 * The environment a key is for: the one given, else the active one when it is the only one whose
 * key is stored (or the call is scripted), else asked, with the active one first and preselected.
 */
async function keyEnvironment(
  store: EnvironmentStore,
  args?: { environment?: string; key?: string },
): Promise<string | undefined> {
  if (args?.environment) return args.environment;
  const stored = store.listStored();
  const active = store.active();
  const preferred = stored.find((e) => e.name === active.name) ?? stored[0];
  if (stored.length === 1 || args) return preferred.name;
  const items = [preferred, ...stored.filter((e) => e !== preferred)].map((e) => ({
    label: e.name,
    description: e.apiUrl,
    detail: e === preferred && e.name === active.name ? 'active' : undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Clerk: Set Secret Key — for which environment?',
    placeHolder: `The key is kept in SecretStorage for the environment you pick (active: ${active.name})`,
  });
  return picked?.label;
}

export async function setKey(
  store: EnvironmentStore,
  args?: { environment?: string; key?: string },
): Promise<boolean> {
  const environment = await keyEnvironment(store, args);
  if (environment === undefined) return false;
  if (store.isFromFile(environment)) {
    void vscode.window.showErrorMessage(
      `The key of "${environment}" is read from its file and is never stored. Edit the file to change it.`,
    );
    return false;
  }
  const raw =
    args?.key ??
    (await vscode.window.showInputBox({
      title: `Clerk: Set Secret Key for "${environment}"`,
      prompt:
        'Paste the secret key (sk_test_… or sk_live_…) from the Clerk Dashboard → API keys. It is kept in VS Code SecretStorage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const check = checkSecretKey(value);
        return check.ok ? undefined : check.message;
      },
    }));
  if (raw === undefined) return false;
  const check = checkSecretKey(raw);
  if (!check.ok) {
    void vscode.window.showErrorMessage(check.message);
    return false;
  }
  await store.storeKey(environment, check.key);
  const message =
    check.environment === 'live'
      ? `Saved the production (sk_live_) key for "${environment}" in SecretStorage. Every send with it asks for confirmation.`
      : `Saved the development (sk_test_) key for "${environment}" in SecretStorage.`;
  void vscode.window.showInformationMessage(message);
  return true;
}

export async function removeKey(store: EnvironmentStore, name?: string): Promise<boolean> {
  const environment = name ?? store.active().name;
  if (store.isFromFile(environment)) {
    void vscode.window.showInformationMessage(
      `"${environment}" has no stored key: its key is read from its file.`,
    );
    return false;
  }
  const removed = await store.deleteKey(environment);
  void vscode.window.showInformationMessage(
    removed
      ? `Removed the secret key of "${environment}" from SecretStorage.`
      : `"${environment}" had no stored secret key.`,
  );
  return removed;
}
