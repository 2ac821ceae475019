// What `send FILE.userupdates.jsonl` and `undo FILE.journal.jsonl` share: their flags, the
// questions, progress, Ctrl+C, the report file, the summary and the exit status.
import { type Rate, formatRate, instanceRate, parseRate } from '../../core/pacing/rate';
import type { RunPorts, RunResult } from '../../core/bulk/run/run';
import { describeKey } from '../../core/clerk/keys';
import { DEFAULT_RATE_LIMIT_POLICY } from '../../core/clerk/ratelimit';
import { RUN_ROWS, runEntry } from '../../core/history/build';
import type { ReportLine } from '../../core/bulk/run/types';
import type { ApiVersion } from '../../core/versions';
import type { CoreDiagnostic, Severity } from '../../core/diagnostics';
import { redactSecrets } from '../../core/redact';
import type { Result } from '../../core/result';
import type { Confirmation } from '../../core/send/ports';
import { LineFile } from '../../node/lineFile';
import type { OptionSpec } from '../args';
import { resumeCommand, shownPath } from './bulkPaths';
import type { CliConnection } from '../clerk';
import { entryContext, historyStore, record, storePath } from '../history';
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from '../io';
import { type EndInfo, type RunView, runView } from './runView';
import { errorMessage, formatCount } from '../../core/text/format';

/** The flags of every bulk command that sends (send FILE.userupdates.*, undo). */
export const BULK_OPTIONS = {
  'dry-run': { type: 'boolean' },
  store: { type: 'string' },
  rate: { type: 'string' },
  'max-wait': { type: 'string' },
  journal: { type: 'string' },
  restart: { type: 'boolean' },
  report: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  format: { type: 'string' },
} as const satisfies OptionSpec;

export interface BulkFlags {
  dryRun: boolean;
  rate: Rate | undefined;
  /** `--max-wait S`: the longest wait a 429 may ask for (default 60 s); a longer one stops the run. */
  maxWaitSeconds: number;
  journal: string | undefined;
  restart: boolean;
  report: string | undefined;
  yes: boolean;
  format: 'text' | 'json';
  /** `--store PATH`: the history folder. */
  store: string | undefined;
}

/** Problems of the input file listed as `validate` lists them: at most 20 here. */
const LISTED = 20;

/** The most `--max-wait` accepts: an hour (a run that must wait longer is better resumed later). */
export const MAX_WAIT_LIMIT_SECONDS = 3600;

export function bulkFlags(values: {
  store?: string;
  'dry-run'?: boolean;
  rate?: string;
  'max-wait'?: string;
  journal?: string;
  restart?: boolean;
  report?: string;
  yes?: boolean;
  format?: string;
}): Result<{ flags: BulkFlags }> {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json')
    return { ok: false, message: `--format must be text or json, not "${format}".` };
  let rate: Rate | undefined;
  if (values.rate !== undefined) {
    const parsed = parseRate(values.rate);
    if (!parsed.ok) return { ok: false, message: `--rate: ${parsed.message}` };
    rate = parsed.rate;
  }
  let maxWaitSeconds = DEFAULT_RATE_LIMIT_POLICY.maxWaitSeconds;
  if (values['max-wait'] !== undefined) {
    const v = Number(values['max-wait']);
    if (values['max-wait'].trim() === '' || !Number.isInteger(v) || v < 0 || v > MAX_WAIT_LIMIT_SECONDS) {
      return {
        ok: false,
        message: `--max-wait needs a whole number of seconds from 0 to ${MAX_WAIT_LIMIT_SECONDS}.`,
      };
    }
    maxWaitSeconds = v;
  }
  for (const name of ['journal', 'report', 'store'] as const)
    if (values[name] !== undefined && values[name].trim() === '')
      return { ok: false, message: `--${name} needs a path.` };
  return {
    ok: true,
    flags: {
      dryRun: values['dry-run'] === true,
      rate,
      maxWaitSeconds,
      journal: values.journal,
      restart: values.restart === true,
      report: values.report,
      yes: values.yes === true,
      format,
      store: values.store,
    },
  };
}

/** One bulk command, as `runBulkCommand` runs it. */
export interface BulkCommand {
  name: 'send' | 'undo';
  /** The command's own arguments (for the command that resumes it). */
  args: readonly string[];
  /** Redacting the key. */
  io: CliIO;
  flags: BulkFlags;
  connection: CliConnection;
  /** The input as typed (the bulk file, or the run's journal). */
  input: string;
  journalPath: string;
  reportPath: string;
  start(ports: RunPorts, signal: AbortSignal): Promise<RunResult>;
  /**
   * What the run's history entry names (one entry, its rows linking to the journal; the store is
   * `--store`'s): the file it came from, and its API version.
   */
  history: { source: string; apiVersion: ApiVersion };
  /** The input file's problems of one severity, the first ones handed to `emit`, all counted. */
  problems?(severity: Severity, max: number, emit: (d: CoreDiagnostic) => void): Promise<number>;
}

const n = formatCount;

/** Runs a bulk command to its end: returns its exit status (0, 1, 2, or 130 after Ctrl+C). */
export async function runBulkCommand(c: BulkCommand): Promise<number> {
  const { io, flags, connection } = c;
  const view = runView(io, flags.format);
  const shown = (path: string): string => shownPath(io.cwd, path);
  const canAsk = io.stdinIsTTY && flags.format === 'text';
  const verb = c.name === 'undo' ? 'undo' : 'send';
  if (connection.production && !flags.yes && !flags.dryRun && !canAsk) {
    const message = `Not ${c.name === 'undo' ? 'undone' : 'sent'}: ${describeKey(connection.key)} is a production key. Pass --yes to ${verb} with it.`;
    view.end({ status: 'refused', exitCode: EXIT_USAGE, message });
    return EXIT_USAGE;
  }
  view.start({
    command: c.name,
    input: c.input,
    journal: shown(c.journalPath),
    report: shown(c.reportPath),
    apiUrl: connection.apiUrl,
    production: connection.production,
    rate: formatRate(flags.rate ?? instanceRate(connection.production)),
    dryRun: flags.dryRun,
  });

  const resume = resumeCommand(io, c.name, c.args);
  const controller = new AbortController();
  let interrupts = 0;
  const stopInterrupts = io.onInterrupt?.(() => {
    interrupts++;
    if (interrupts === 1) {
      controller.abort();
      view.interrupted(
        'Stopping: no new row is sent; the rows in flight finish and are journaled. Press Ctrl+C again to quit at once (still safe: the next run checks those rows at Clerk).',
      );
      return;
    }
    view.interrupted(`Quit at once. To resume, run: ${resume}`);
    io.exit?.(EXIT_INTERRUPTED);
  });

  const file = new LineFile(c.reportPath);
  let lines = 0;
  const writeLine = async (value: object): Promise<void> => {
    lines++;
    const text = JSON.stringify(value);
    // Keys start with sk_ (checked when read): a line without it has nothing to redact.
    await file.write(`${text.includes('sk_') ? redactSecrets(text, [connection.key]) : text}\n`);
  };
  /** Set when a question needed a terminal (or --yes) and there was none. */
  let needed: string | undefined;
  const rows: ReportLine[] = [];
  const ports: RunPorts = {
    confirm: (q) => answer(c, view, q, canAsk, (why) => (needed = why)),
    progress: (p) => view.progress(p),
    planned: (plan) => {
      if (!flags.dryRun) view.planned(plan);
    },
    plan: writeLine,
    report: (line) => {
      if (rows.length < RUN_ROWS) rows.push(line);
      return writeLine(line);
    },
  };

  let result: RunResult;
  try {
    result = await c.start(ports, controller.signal);
  } catch (error) {
    await file.discard();
    throw error;
  } finally {
    stopInterrupts?.();
  }

  if ('summary' in result && (result.summary.updated > 0 || result.summary.failed > 0)) {
    const instance = {
      name: connection.apiUrl,
      apiUrl: connection.apiUrl,
      production: connection.production,
    };
    const run = {
      status: result.status,
      message: result.message,
      summary: result.summary,
      journal: result.journal,
      fields: result.plan.fields.map((f) => f.field),
      rows,
    };
    await record(
      io,
      historyStore(storePath(io, c.flags.store)),
      runEntry(
        run,
        entryContext(instance, c.history.apiVersion, c.history.source, [connection.key]),
        c.name === 'undo' ? 'undo' : 'run',
      ),
    );
  }
  const end: EndInfo = { status: result.status, exitCode: EXIT_OK, message: result.message };
  const keep = result.status === 'planned' || ('summary' in result && lines > 0);
  if (keep) {
    try {
      await file.commit();
      end.report = shown(c.reportPath);
    } catch (error) {
      end.hints = [
        `The ${result.status === 'planned' ? 'plan' : 'report'} could not be written to ${shown(c.reportPath)} (${errorMessage(error)}).`,
      ];
    }
  } else await file.discard();

  switch (result.status) {
    case 'refused':
      end.exitCode = EXIT_USAGE;
      if (/restart/.test(result.message))
        end.hints = ['Pass --restart to begin again (the old journal is kept aside, not deleted).'];
      break;
    case 'unavailable':
      end.exitCode = EXIT_FAILURE;
      break;
    case 'blocked': {
      end.exitCode = EXIT_FAILURE;
      const listed = c.problems ? await c.problems('error', LISTED, (d) => view.problem(c.input, d)) : 0;
      if (listed === 0) for (const e of result.errors) view.note(e);
      else if (listed > LISTED)
        view.note(
          `… and ${n(listed - LISTED)} more errors (${io.invocation ?? 'clerk-user-update'} validate ${c.input} lists them all).`,
        );
      break;
    }
    case 'declined':
      end.exitCode = needed ? EXIT_USAGE : EXIT_FAILURE;
      if (needed) end.hints = [needed];
      break;
    case 'planned':
      end.exitCode = result.plan.failing > 0 ? EXIT_FAILURE : EXIT_OK;
      if (result.note) end.hints = [`(The journal was not used: ${result.note})`];
      end.plan = result.plan;
      break;
    default:
      end.summary = result.summary;
      end.journal = shown(result.journal);
      end.exitCode =
        result.status === 'cancelled'
          ? EXIT_INTERRUPTED
          : result.status === 'stopped' || result.summary.failed > 0
            ? EXIT_FAILURE
            : EXIT_OK;
      if (result.status !== 'finished') end.resume = resume;
      if (result.status === 'stopped' && /asking to wait/.test(result.message)) {
        const wait = `Resume once Clerk's limit allows it, or pass --max-wait S to wait longer (now ${flags.maxWaitSeconds} s).`;
        (end.hints ??= []).push(wait);
      } else if (result.summary.failed > 0 && c.name === 'send') {
        (end.hints ??= []).push(
          `To send the failed rows again (once what failed them is fixed at Clerk; an edited file begins a new run): ${resume.replace(/ --retry-failed\b/, '')} --retry-failed`,
        );
      }
  }
  view.end(end);
  return end.exitCode;
}

/** The answer to one of the run's questions: --yes, the terminal, or no (and why). */
async function answer(
  c: BulkCommand,
  view: RunView,
  q: Confirmation,
  canAsk: boolean,
  cannotAsk: (why: string) => void,
): Promise<boolean> {
  const { io, flags } = c;
  if (q.kind === 'warnings') {
    const count = c.problems ? await c.problems('warning', LISTED, (d) => view.problem(c.input, d)) : 0;
    if (count === 0) for (const w of q.warnings) view.note(w);
    else if (count > LISTED) view.note(`… and ${n(count - LISTED)} more warnings.`);
    const many = count === 1 ? 'a warning' : `${n(count || q.warnings.length)} warnings`;
    if (flags.yes) {
      view.note(`Going on despite ${many} (--yes).`);
      return true;
    }
    if (canAsk) return io.confirm(`The file has ${many} (above). Send anyway?`);
    cannotAsk(`The file has ${many}: pass --yes to send anyway.`);
    return false;
  }
  if (q.kind === 'dropped-keys') {
    const users = q.users === 1 ? '1 user' : `${n(q.users)} users`;
    view.note(`Replacing metadata ("$metadata": "replace") would remove keys ${users} have now:`);
    for (const k of q.keys.slice(0, LISTED))
      view.note(`  ${k.path}: ${k.users === 1 ? '1 user' : `${n(k.users)} users`}`);
    if (q.keys.length > LISTED) view.note(`  … and ${n(q.keys.length - LISTED)} more keys.`);
    if (flags.yes) {
      view.note('Removing them (--yes).');
      return true;
    }
    cannotAsk(`Pass --yes to remove those keys, or merge instead ("$metadata": "merge", the default).`);
    return false;
  }
  if (flags.yes) return true;
  const p = q.confirmation;
  if (!canAsk) {
    cannotAsk(`Pass --yes to ${p.action} with a production key.`);
    return false;
  }
  const doing = p.action === 'undo' ? 'restore' : 'update';
  return io.confirm(
    `PRODUCTION instance ${p.instance.apiUrl}: ${doing} ${p.who}, changing ${p.fields.join(', ')} (${p.requests.join(', ')}). ${p.summary ?? ''} Go on?`,
  );
}
