// `pull --query Q | --all | --organization ORG --out FILE`: users' current editable values as a bulk
// file (src/core/bulk/export.ts), streamed to the file, paced like a run.
import type { Result } from '../../core/result';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ExportSelection, exportUsers } from '../../core/bulk/export/export';
import { bulkFormatOf } from '../../core/bulk/format/formatOf';
import { Pacer } from '../../core/pacing/pacer';
import { type Rate, formatRate, instanceRate, parseRate } from '../../core/pacing/rate';
import type { BulkFormat } from '../../core/bulk/format/types';
import { formatFailure } from '../../core/clerk/errors';
import { LineFile } from '../../node/lineFile';
import { SpoolFile } from '../../node/spoolFile';
import { runPathsProblem } from '../../node/runPaths';
import type { ClerkCliOptions, OptionSpec } from '../args';
import { shownPath } from '../bulk/bulkPaths';
import { connect } from '../clerk';
import { type CliIO, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE } from '../io';
import { bar, duration, ProgressLine } from '../bulk/progress';
import { errorMessage, formatCount } from '../../core/text/format';

/** The options that make `pull` write a bulk file. */
export const EXPORT_OPTIONS = {
  query: { type: 'string' },
  all: { type: 'boolean' },
  organization: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  rate: { type: 'string' },
  'metadata-columns': { type: 'boolean' },
} as const satisfies OptionSpec;

export interface ExportFlags {
  selection: ExportSelection;
  format: BulkFormat;
  out: string;
  force: boolean;
  rate: Rate | undefined;
  /** `--metadata-columns`: a CSV gets a column per metadata key path (JSONL rows are the same). */
  metadataColumns: boolean;
}

const n = formatCount;

/** The export's flags, checked: one selection, `--out`, a format that agrees with the file's name. */
export function exportFlags(values: {
  query?: string;
  all?: boolean;
  organization?: string;
  format?: string;
  out?: string;
  force?: boolean;
  rate?: string;
  'metadata-columns'?: boolean;
}): Result<{ flags: ExportFlags }> {
  const chosen = [
    values.query !== undefined && 'query',
    values.all === true && 'all',
    values.organization !== undefined && 'organization',
  ].filter(Boolean);
  if (chosen.length !== 1)
    return {
      ok: false,
      message:
        chosen.length === 0
          ? 'Say which users: --query Q, --all or --organization ORG.'
          : 'Give one of --query, --all and --organization.',
    };
  const selection: ExportSelection =
    values.query !== undefined
      ? { kind: 'query', query: values.query }
      : values.organization !== undefined
        ? { kind: 'organization', organizationId: values.organization.trim() }
        : { kind: 'all' };
  if (selection.kind === 'organization' && !selection.organizationId)
    return { ok: false, message: '--organization needs an organization id (org_…).' };
  if (!values.out?.trim())
    return { ok: false, message: '--out FILE is needed: the users are written to a bulk file.' };
  const named = bulkFormatOf(values.out);
  const format = values.format ?? named ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv')
    return { ok: false, message: `--format must be jsonl or csv, not "${format}".` };
  if (named && named !== format)
    return {
      ok: false,
      message: `--format ${format} does not match the name ${values.out} (a *.userupdates.${named} file).`,
    };
  let rate: Rate | undefined;
  if (values.rate !== undefined) {
    const parsed = parseRate(values.rate);
    if (!parsed.ok) return { ok: false, message: `--rate: ${parsed.message}` };
    rate = parsed.rate;
  }
  return {
    ok: true,
    flags: {
      selection,
      format,
      out: values.out,
      force: values.force === true,
      rate,
      metadataColumns: values['metadata-columns'] === true,
    },
  };
}

/** Writes the selected users to `--out`; never replaces a file unless `--force`. */
export async function runExport(flags: ExportFlags, options: ClerkCliOptions, io: CliIO): Promise<number> {
  const path = resolve(io.cwd, flags.out);
  const shown = shownPath(io.cwd, path);
  const clash = await runPathsProblem(undefined, [{ name: '--out', path }], (p) => shownPath(io.cwd, p));
  if (clash) {
    io.stderr(`pull: ${clash}\n`);
    return EXIT_USAGE;
  }
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  if (exists && !flags.force) {
    io.stderr(`pull: ${shown} exists: pass --force to replace it.\n`);
    return EXIT_USAGE;
  }
  const connected = connect(io, options);
  if (!connected.ok) {
    io.stderr(`pull: ${connected.message}\n`);
    return EXIT_USAGE;
  }
  const { connection } = connected;
  const rate = flags.rate ?? instanceRate(connection.production);
  const pacer = new Pacer({ rate, perUser: false });
  const client = connection.client(options.apiVersion).withGate(pacer);
  const file = new LineFile(path, { overwrite: flags.force });
  const spool = flags.format === 'csv' && flags.metadataColumns ? new SpoolFile(path) : undefined;
  const line = new ProgressLine(io);
  const started = Date.now();
  const controller = new AbortController();
  let interrupts = 0;
  const stopInterrupts = io.onInterrupt?.(() => {
    if (++interrupts === 1) {
      controller.abort();
      pacer.close();
      line.print('Stopping: the page being read is dropped and nothing is written.\n');
    } else io.exit?.(EXIT_INTERRUPTED);
  });
  io.stderr(
    `Pulling ${describeSelection(flags.selection)} from ${connection.apiUrl} into ${shown} (${flags.format}, at most ${formatRate(rate)}).\n`,
  );
  let result: Awaited<ReturnType<typeof exportUsers>>;
  try {
    result = await exportUsers(
      client,
      flags.selection,
      flags.format,
      {
        write: (text) => file.write(text),
        progress: (written, total) =>
          line.update('pull', exportProgress(written, total, (Date.now() - started) / 1000, line.tty)),
        signal: controller.signal,
        spool,
      },
      { metadataColumns: flags.metadataColumns },
    );
    if (result.ok) await file.commit();
    else await file.discard();
  } catch (error) {
    await file.discard();
    line.end();
    io.stderr(`pull: ${shown} could not be written (${errorMessage(error)}).\n`);
    return EXIT_FAILURE;
  } finally {
    stopInterrupts?.();
    await spool?.dispose();
  }
  line.end();
  if (result.ok) {
    io.stdout(
      `Wrote ${n(result.users)} ${result.users === 1 ? 'user' : 'users'} to ${shown} in ${duration((Date.now() - started) / 1000)}.\n`,
    );
    return EXIT_OK;
  }
  if ('cancelled' in result) {
    io.stderr(`Cancelled after ${n(result.users)} users: nothing was written to ${shown}.\n`);
    return EXIT_INTERRUPTED;
  }
  io.stderr(`pull: ${formatFailure(result.failure)}\nNothing was written to ${shown}.\n`);
  return EXIT_FAILURE;
}

function describeSelection(s: ExportSelection): string {
  if (s.kind === 'all') return 'every user';
  if (s.kind === 'query') return `the users matching '${s.query}'`;
  return `the members of ${s.organizationId}`;
}

/** "pull: 1,500/100,000 users (1%), 480 users/s, ETA 3m 25s". */
export function exportProgress(
  written: number,
  total: number | undefined,
  seconds: number,
  drawn: boolean,
): string {
  const rate = seconds > 0 ? Math.round(written / seconds) : 0;
  const share = total ? Math.min(1, written / total) : undefined;
  const shown =
    share === undefined
      ? `${n(written)} users`
      : `${drawn ? bar(share) : ''}${n(written)}/${n(total ?? 0)} users (${Math.floor(share * 100)}%)`;
  const eta = total !== undefined && rate > 0 ? `, ETA ${duration((total - written) / rate)}` : '';
  return `pull: ${shown}, ${n(rate)} users/s${eta}`;
}
