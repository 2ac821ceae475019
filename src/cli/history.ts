// `history [--user ID] [--since DATE] [--format text|json] [--store PATH]`, and the store that
// `send` and `undo` record their changes in.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EntryContext } from '../core/history/build';
import { describeEntry, describeFields } from '../core/history/diff';
import { type HistoryEntry, newEntryId, toHistoryJson } from '../core/history/entry';
import { HistoryStore } from '../core/history/store';
import type { Instance } from '../core/clerk/instance';
import type { ApiVersion } from '../core/versions';
import { HistoryFiles } from '../node/historyFiles';
import type { OptionSpec } from './args';
import { startCommand } from './command';
import { type CliIO, EXIT_OK } from './io';
import { errorMessage } from '../core/text/format';

/** `--store PATH`, taken by send, undo and history. */
export const STORE_OPTION = { store: { type: 'string' } } as const satisfies OptionSpec;

/** `~/.clerk-user-update/history` (HOME as the CLI was given it), or `--store PATH`. */
export function storePath(io: CliIO, given: string | undefined): string {
  if (given !== undefined && given.trim() !== '') return resolve(io.cwd, given);
  return join(io.env.HOME || io.env.USERPROFILE || homedir(), '.clerk-user-update', 'history');
}

export function historyStore(path: string): HistoryStore {
  return new HistoryStore(new HistoryFiles(path));
}

/** What every entry of one CLI command shares. */
export function entryContext(
  instance: Instance,
  apiVersion: ApiVersion,
  source: string | null,
  secrets: ReadonlyArray<string | undefined>,
): EntryContext {
  const time = Date.now();
  return { id: newEntryId(time, Math.random), time, instance, apiVersion, source, secrets };
}

/** Records an entry; a history that cannot be written is said on stderr, and never fails the command. */
export async function record(io: CliIO, store: HistoryStore, entry: HistoryEntry | undefined): Promise<void> {
  if (!entry) return;
  try {
    await store.append(entry);
  } catch (error) {
    io.stderr(`history: the change was not recorded (${errorMessage(error)}).\n`);
  }
}

const USAGE = `Usage: clerk-user-update history [--user ID] [--since DATE] [--format text|json] [--store PATH]

Lists the changes that send and undo made, newest first, from every environment in the store.
  --user ID       only the changes to this user (bulk runs with a row on them included)
  --since DATE    only the changes at or after DATE (2026-12-01, or any date JavaScript reads)
  --format F      text (default), or json: an array of {id, time, environment: {name, api_url},
                  user_id, kind, fields: {NAME: {before, after}}, steps: [{method, path, status,
                  trace_id}], source}; a secret field's after is "(set)"
  --store PATH    the history folder (default ~/.clerk-user-update/history; VS Code keeps its own
                  in the extension's global storage)
`;

const OPTIONS = {
  user: { type: 'string' },
  since: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...STORE_OPTION,
} as const satisfies OptionSpec;

export async function runHistory(args: string[], io: CliIO): Promise<number> {
  const started = startCommand('history', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const { values } = parsed;
  if (parsed.positionals.length > 0) return usage(`Unexpected argument "${parsed.positionals[0]}".`);
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return usage(`--format must be text or json, not "${format}".`);
  let since: number | undefined;
  if (values.since !== undefined) {
    since = Date.parse(values.since);
    if (!Number.isFinite(since)) return usage(`--since needs a date (2026-12-01), not "${values.since}".`);
  }
  const user = values.user?.trim();
  if (values.user !== undefined && !user) return usage('--user needs a user id.');
  const path = storePath(io, values.store);
  const entries = await historyStore(path).entries({ userId: user, since });
  if (format === 'json') {
    io.stdout(`${JSON.stringify(entries.map(toHistoryJson), null, 2)}\n`);
    return EXIT_OK;
  }
  if (entries.length === 0) {
    io.stdout(
      `No changes recorded${user ? ` for ${user}` : ''}${values.since ? ` since ${values.since}` : ''} in ${path}.\n`,
    );
    return EXIT_OK;
  }
  for (const entry of entries) {
    io.stdout(`${describeEntry(entry)}\n`);
    io.stdout(
      `  ${entry.environment.name} (${entry.environment.api_url}), ${entry.instance}${entry.source ? `, from ${entry.source}` : ''}\n`,
    );
    for (const line of describeFields(entry)) io.stdout(`  ${line}\n`);
    for (const s of entry.steps)
      io.stdout(
        `  ${s.method} ${s.path} → ${s.status ?? '-'}${s.trace_id ? ` (trace ${s.trace_id})` : ''}\n`,
      );
    if (entry.run) io.stdout(`  journal: ${entry.run.journal}\n`);
  }
  return EXIT_OK;
}
