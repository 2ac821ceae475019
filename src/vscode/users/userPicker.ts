import * as vscode from 'vscode';
import type { ClerkClient } from '../../core/clerk/client';
import type * as jsonc from 'jsonc-parser';
import { toWorkspaceEdit } from '../convert';
import { rootProperties } from '../../core/parse/rootProperties';
import { primaryEmail, userDisplayName, type ClerkUser } from '../../core/clerk/types';
import { PickList } from '../../core/users/pickList';

interface UserItem extends vscode.QuickPickItem {
  user: ClerkUser;
}

const SEARCH_DELAY_MS = 250;

/** A quick pick that searches `GET /v1/users?query=…` as the user types; shows name, email and id. */
export function pickUser(
  client: ClerkClient,
  signal?: AbortSignal,
  title = 'Send to which Clerk user?',
): Promise<ClerkUser | undefined> {
  return new Promise((resolve) => {
    const quickPick = vscode.window.createQuickPick<UserItem>();
    quickPick.title = title;
    quickPick.placeholder = 'Search by name, email, username, phone or id';
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let search: AbortController | undefined;
    let done = false;
    // Items only ever added, each user at one index: see PickList.
    const list = new PickList<ClerkUser>();
    const render = (): void => {
      quickPick.items = list.entries().map(({ user, alwaysShow }) => ({
        label: userDisplayName(user),
        description: primaryEmail(user) ?? user.username ?? '',
        detail: user.id,
        alwaysShow,
        user,
      }));
    };

    const finish = (user: ClerkUser | undefined) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      search?.abort();
      quickPick.dispose();
      resolve(user);
    };
    const run = async (query: string) => {
      search?.abort();
      const controller = new AbortController();
      search = controller;
      quickPick.busy = true;
      const result = await client.listUsers(query.trim(), 20, { signal: controller.signal });
      if (controller.signal.aborted || done) return;
      quickPick.busy = false;
      if (!result.ok) {
        // The rows stay, filtered: the change of query that started this search cleared its results.
        quickPick.placeholder = result.message;
        return;
      }
      list.showResults(query, result.data);
      render();
    };
    quickPick.onDidChangeValue((value) => {
      // Until the new search answers, the earlier results are filtered like any other row.
      list.clearResults();
      render();
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(value), SEARCH_DELAY_MS);
    });
    quickPick.onDidAccept(() => finish(quickPick.selectedItems[0]?.user));
    quickPick.onDidHide(() => finish(undefined));
    signal?.addEventListener('abort', () => finish(undefined), { once: true });
    quickPick.show();
    void run('');
  });
}

/** Offers to write `"$user_id": "<id>"` into the file, as its first property. */
export async function offerToWriteUserId(
  document: vscode.TextDocument,
  user: ClerkUser,
  currentRoot: () => jsonc.Node | undefined,
): Promise<boolean> {
  const answer = await vscode.window.showInformationMessage(
    `Write "$user_id": "${user.id}" (${userDisplayName(user)}) into ${document.uri.path.split('/').pop()}?`,
    'Write $user_id',
  );
  if (answer !== 'Write $user_id' || document.isClosed) return false;
  return writeUserId(document, user.id, currentRoot());
}

/**
 * Inserts `"$user_id": "<id>"` as the first property of the root object (a minimal edit; nothing else moves).
 */
export async function writeUserId(
  document: vscode.TextDocument,
  userId: string,
  root: jsonc.Node | undefined,
): Promise<boolean> {
  if (!root || root.type !== 'object') return false;
  const existing = rootProperties(root).find((p) => p.key === '$user_id');
  const value = JSON.stringify(userId);
  const edit = existing?.value
    ? { offset: existing.value.offset, length: existing.value.length, newText: value }
    : {
        offset: root.offset + 1,
        length: 0,
        newText: `\n  "$user_id": ${value}${(root.children ?? []).length > 0 ? ',' : '\n'}`,
      };
  return vscode.workspace.applyEdit(toWorkspaceEdit(document, [edit]));
}
