// `undo FILE.journal.jsonl`: the run's done rows back to their before-values (src/core/bulk/undo.ts).
import { resolve } from 'node:path';
import { undoRun } from '../../core/bulk/run/undoRun';
import { DEFAULT_API_URL } from '../../core/clerk/url';
import { JournalFile } from '../../node/journalFile';
import { CONNECTION_OPTIONS, clerkOptions } from '../args';
import { prepareRunFolder, undoFilesFor } from '../../node/runFiles';
import { chosenPaths, outputsNamed, shownPath } from './bulkPaths';
import { runPathsProblem } from '../../node/runPaths';
import { BULK_OPTIONS, bulkFlags, runBulkCommand } from './bulkRun';
import { engineConnection, keyRedactingIO } from '../clerk';
import { hashAndConnect, startCommand } from '../command';
import { type CliIO, EXIT_USAGE } from '../io';

const USAGE = `Usage: clerk-user-update undo [--api-url URL] [--timeout S] [--dry-run] [--rate N/10s] [--max-wait S] [--journal PATH]
                              [--restart] [--report PATH] [--yes] [--format text|json] [--store PATH] FILE.journal.jsonl

Restores the values the bulk run journaled in FILE.journal.jsonl changed: each of its done rows
gets its before-values back, paced and journaled like the run (FILE.undo.journal.jsonl), so that
running the same command again resumes. A user whose updated_at moved since the run is skipped and
reported (user_changed); passwords and other write-only fields cannot be restored (not_restorable).
Use the API URL and the kind of key the run used. The secret key is read from CLERK_SECRET_KEY.
  --api-url URL     Clerk Backend API (default CLERK_API_URL, else ${DEFAULT_API_URL})
  --env-file PATH   take CLERK_SECRET_KEY and CLERK_API_URL from a dotenv file (e.g. .env.local), as a pair
  --dry-run         say what would be restored and send nothing (.clerk-runs/FILE.undo.plan.jsonl, or --report)
  --rate N/WINDOW   the instance's limit, e.g. 500/10s (default 100/10s for sk_test_, 1000/10s for sk_live_)
  --max-wait S      the longest wait a 429's Retry-After may ask for (default 60); past it the undo stops (exit 1)
  --journal PATH    the undo's own journal (default .clerk-runs/FILE.undo.journal.jsonl)
  --restart         begin the undo again although its journal belongs to another state of the run's journal
  --report PATH     one JSON line per row (default .clerk-runs/FILE.undo.report.jsonl)
  --yes             confirm with a production key (sk_live_); needed when there is no terminal to ask
  --format F        text (default), or json: one JSON event per line on stdout
  --timeout S       seconds to wait for Clerk (default 30)
  --store PATH      where the undo is recorded (default ~/.clerk-user-update/history)
Exit status: 0 restored (skipped users listed), 1 some row failed, 2 usage error or a refused undo,
130 stopped by Ctrl+C (run the same command again to resume).
`;

/** The options of `undo` (no --api-version: the run's journal names it). */
const OPTIONS = { ...CONNECTION_OPTIONS, ...BULK_OPTIONS } as const;

/** `undo [options] FILE.journal.jsonl` */
export async function runUndo(args: string[], rawIO: CliIO): Promise<number> {
  const io = keyRedactingIO(rawIO);
  const started = startCommand('undo', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const checked = clerkOptions(parsed.values, io.env);
  if (!checked.ok) return usage(checked.message);
  const { options } = checked;
  const checkedFlags = bulkFlags(parsed.values);
  if (!checkedFlags.ok) return usage(checkedFlags.message);
  const { flags } = checkedFlags;
  if (parsed.positionals.length !== 1)
    return usage(
      parsed.positionals.length === 0
        ? 'No journal given.'
        : 'Give exactly one journal (FILE.journal.jsonl).',
    );
  const file = parsed.positionals[0];
  const runPath = resolve(io.cwd, file);
  const { journalPath, reportPath } = chosenPaths(undoFilesFor(runPath), flags, io.cwd);
  if (journalPath === runPath) return usage("--journal must not be the run's own journal.");
  const clash = await runPathsProblem(
    { name: "the run's journal", path: runPath },
    outputsNamed(flags, journalPath, reportPath),
    (p) => shownPath(io.cwd, p),
  );
  if (clash) {
    io.stderr(`undo: ${clash}\n`);
    return EXIT_USAGE;
  }
  const ready = await hashAndConnect('undo', file, runPath, options, io);
  if (!ready.ok) return ready.exit;
  const { hash, connection } = ready;
  await prepareRunFolder(journalPath, reportPath);
  const runJournal = new JournalFile(runPath);
  const journal = new JournalFile(journalPath);
  try {
    return await runBulkCommand({
      name: 'undo',
      args,
      io,
      flags,
      connection,
      input: file,
      journalPath,
      reportPath,
      history: { source: runPath, apiVersion: options.apiVersion },
      start: (ports, signal) =>
        undoRun(
          {
            runJournal,
            runJournalHash: hash,
            runJournalName: runJournal.name,
            journal,
            connect: engineConnection(connection),
            dryRun: flags.dryRun,
            restart: flags.restart,
            rate: flags.rate,
            maxWaitSeconds: flags.maxWaitSeconds,
            productionConfirmed: flags.yes,
            signal,
          },
          ports,
        ),
    });
  } finally {
    await Promise.all([runJournal.close(), journal.close()]);
  }
}
