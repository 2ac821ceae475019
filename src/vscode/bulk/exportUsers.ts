import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import * as vscode from 'vscode';
import { type ExportSelection, exportUsers } from '../../core/bulk/export/export';
import { Pacer } from '../../core/pacing/pacer';
import { instanceRate } from '../../core/pacing/rate';
import type { BulkFormat } from '../../core/bulk/format/types';
import { redactSecrets } from '../../core/redact';
import { RunProgressView } from './runProgress';
import {
  type BulkResult,
  type BulkRunsDeps,
  describePace,
  rateSetting,
  tell,
  unavailable,
  untrusted,
} from './bulkSession';
import { basename } from '../send/sendPorts';
import { openPrivate } from '../../node/privateFile';
import { SpoolFile } from '../../node/spoolFile';
import { errorMessage, formatCount } from '../../core/text/format';

export interface ExportArgs {
  selection?: ExportSelection;
  format?: BulkFormat;
  /** Where to write; an existing file is replaced only when the person says so (or `overwrite`). */
  path?: string;
  overwrite?: boolean;
}

const n = formatCount;
const SUFFIX: Readonly<Record<BulkFormat, string>> = { jsonl: '.userupdates.jsonl', csv: '.userupdates.csv' };

async function chooseSelection(): Promise<ExportSelection | undefined> {
  const items: Array<vscode.QuickPickItem & { pick: ExportSelection['kind'] }> = [
    { label: 'All users', description: 'every user of the instance', pick: 'all' },
    { label: 'Users matching a search…', description: 'name, email, username, phone or id', pick: 'query' },
    { label: 'Members of an organization…', description: 'by organization id (org_…)', pick: 'organization' },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Export users to a bulk file (1/3)',
    placeHolder: 'Which users?',
  });
  if (!picked) return undefined;
  if (picked.pick === 'all') return { kind: 'all' };
  if (picked.pick === 'query') {
    const query = await vscode.window.showInputBox({
      title: 'Export users to a bulk file (1/3)',
      prompt: 'Search as Clerk does (GET /v1/users?query=…)',
      placeHolder: 'e.g. example.com',
    });
    return query?.trim() ? { kind: 'query', query: query.trim() } : undefined;
  }
  const organizationId = await vscode.window.showInputBox({
    title: 'Export users to a bulk file (1/3)',
    prompt: "The organization's id",
    placeHolder: 'org_…',
    validateInput: (value) =>
      /^org_\w+$/.test(value.trim()) ? undefined : "An organization id starts with 'org_'.",
  });
  return organizationId?.trim() ? { kind: 'organization', organizationId: organizationId.trim() } : undefined;
}

async function chooseFormat(): Promise<BulkFormat | undefined> {
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: 'JSONL',
        description: '*.userupdates.jsonl: one JSON object per line',
        format: 'jsonl' as const,
      },
      {
        label: 'CSV',
        description: '*.userupdates.csv: one column per field, for spreadsheets',
        format: 'csv' as const,
      },
    ],
    { title: 'Export users to a bulk file (2/3)', placeHolder: 'Which format?' },
  );
  return picked?.format;
}

async function choosePath(format: BulkFormat): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const picked = await vscode.window.showSaveDialog({
    title: 'Export users to a bulk file (3/3)',
    saveLabel: 'Export',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `users${SUFFIX[format]}`) : undefined,
    filters: format === 'csv' ? { 'Bulk updates (CSV)': ['csv'] } : { 'Bulk updates (JSONL)': ['jsonl'] },
  });
  return picked?.fsPath;
}

/**
 * "Clerk: Export Users to Bulk File…": all users, a search or an organization; JSONL or CSV; where to
 * save (an existing file only replaced when asked); then `exportUsers` paced by the engine's Pacer,
 * with a progress notification, written beside the target and moved over it at the end, then opened.
 */
export class BulkExport implements vscode.Disposable {
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly deps: BulkRunsDeps) {}

  async export(args: ExportArgs = {}): Promise<BulkResult> {
    if (!vscode.workspace.isTrusted) return tell(untrusted('Exporting users (it reads them from Clerk)'));
    const selection = args.selection ?? (await chooseSelection());
    if (!selection) return { status: 'nothing', message: 'Nothing was exported.' };
    const format = args.format ?? (await chooseFormat());
    if (!format) return { status: 'nothing', message: 'Nothing was exported.' };
    const chosen = args.path ?? (await choosePath(format));
    if (!chosen) return { status: 'nothing', message: 'Nothing was exported.' };
    // A bulk file is known by its name: the suffix is added when it is missing.
    const path = chosen.toLowerCase().endsWith(SUFFIX[format])
      ? chosen
      : `${chosen.replace(/\.(jsonl|csv)$/i, '')}${SUFFIX[format]}`;
    // The save dialog asked about the file it was given; any other one is asked about here.
    if (existsSync(path) && !args.overwrite && (args.path !== undefined || path !== chosen)) {
      const answer = await vscode.window.showWarningMessage(
        `${basename(vscode.Uri.file(path))} already exists. Replace it?`,
        { modal: true },
        'Replace',
      );
      if (answer !== 'Replace')
        return tell({
          status: 'declined',
          message: `Nothing was exported: ${basename(vscode.Uri.file(path))} was left as it is.`,
        });
    }
    const pace = rateSetting(this.deps.settings());
    if (pace.message) return tell({ status: 'blocked', message: `Not exported: ${pace.message}` });
    const made = await this.deps.clients.forActive(
      this.deps.defaultApiVersion(vscode.workspace.workspaceFolders?.[0]?.uri),
    );
    if (!made.ok) return tell({ status: unavailable(made.problem), message: made.message });
    const { environment } = made;
    const client = made.client.withGate(
      new Pacer({ rate: pace.rate ?? instanceRate(environment.production) }),
    );
    const abort = new AbortController();
    this.inFlight.add(abort);
    const progress = new RunProgressView(`Clerk: exporting users from ${environment.name}`, abort);
    const part = `${path}.part`;
    const file = await openPrivate(part, 'w');
    const metadataColumns = format === 'csv' && this.deps.settings().exportMetadataColumns;
    const spool = metadataColumns ? new SpoolFile(path) : undefined;
    const name = basename(vscode.Uri.file(path));
    this.deps.log.info(
      `export to ${path}: ${selection.kind === 'all' ? 'all users' : selection.kind === 'query' ? `users matching '${selection.query}'` : `members of ${selection.organizationId}`}, ${format}${metadataColumns ? ' with a column per metadata key' : ''}, from ${environment.name} (${environment.apiUrl}); pace ${describePace(pace.rate, environment.production)}`,
    );
    let result;
    try {
      result = await exportUsers(
        client,
        selection,
        format,
        {
          write: async (text) => void (await file.write(text)),
          progress: (written, total) =>
            progress.show(
              total === undefined ? `${n(written)} users` : `${n(written)} / ${n(total)} users`,
              written,
              total,
            ),
          signal: abort.signal,
          spool,
        },
        { metadataColumns },
      );
    } catch (error) {
      result = {
        ok: false as const,
        users: 0,
        message: redactSecrets(errorMessage(error), environment.key ? [environment.key] : []),
      };
    } finally {
      progress.done();
      this.inFlight.delete(abort);
      await file.close();
      await spool?.dispose();
    }
    if (!result.ok) {
      await rm(part, { force: true });
      const why =
        'cancelled' in result ? 'cancelled' : 'failure' in result ? result.failure.message : result.message;
      const message = `Not exported (${why}); ${name} was left as it was.`;
      this.deps.log.warn(`export to ${path}: ${message}`);
      return tell({
        status: 'cancelled' in result ? 'cancelled' : 'failed',
        message,
        report: path,
        users: result.users,
      });
    }
    await rename(part, path);
    const message = `Exported ${n(result.users)} ${result.users === 1 ? 'user' : 'users'} to ${name}.`;
    this.deps.log.info(`export to ${path}: ${message}`);
    await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: false });
    return tell({ status: 'exported', message, report: path, users: result.users });
  }

  dispose(): void {
    for (const abort of this.inFlight) abort.abort();
  }
}
