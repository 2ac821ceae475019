// `send FILE.userupdates.jsonl|.csv`: a bulk file through the run engine (src/core/bulk/run.ts).
import { basename, resolve } from 'node:path';
import { bulkFormatOf } from '../core/bulk/format';
import { runBulk } from '../core/bulk/run';
import { fileInput } from '../node/bulkInput';
import { fileSha256, JournalFile } from '../node/journalFile';
import type { ClerkCliOptions } from './args';
import { type BulkFlags, runBulkCommand } from './bulkRun';
import { runPaths } from './bulkPaths';
import { connect, engineConnection } from './clerk';
import { type CliIO, describeReadError, EXIT_USAGE } from './io';
import { bulkProblems } from './validate';

export interface BulkSendFlags extends BulkFlags {
  retryFailed: boolean;
  allowSecrets: boolean;
}

/** Sends one bulk file; `args` are the command's arguments as given (the resume command repeats them). */
export async function runBulkSend(file: string, args: readonly string[], options: ClerkCliOptions, flags: BulkSendFlags, io: CliIO): Promise<number> {
  const path = resolve(io.cwd, file);
  const format = bulkFormatOf(file);
  if (!format) throw new Error(`${file} is not a bulk file`);
  let hash: string;
  try {
    hash = await fileSha256(path);
  } catch (error) {
    io.stderr(`${file}: cannot read it (${describeReadError(error)}).\n`);
    return EXIT_USAGE;
  }
  const connection = connect(io, options);
  if ('error' in connection) {
    io.stderr(`send: ${connection.error}\n`);
    return EXIT_USAGE;
  }
  const paths = runPaths(path);
  const journalPath = flags.journal ? resolve(io.cwd, flags.journal) : paths.journal;
  const reportPath = flags.report ? resolve(io.cwd, flags.report) : flags.dryRun ? paths.plan : paths.report;
  const bulkOptions = { defaultApiVersion: options.apiVersion, allowSecrets: flags.allowSecrets };
  const journal = new JournalFile(journalPath);
  try {
    return await runBulkCommand({
      name: 'send',
      args,
      io,
      flags,
      connection,
      input: file,
      journalPath,
      reportPath,
      problems: (severity, max, emit) => bulkProblems(path, format, bulkOptions, severity, max, emit),
      start: (ports, signal) =>
        runBulk(
          {
            input: fileInput(path, format, bulkOptions),
            inputHash: hash,
            inputName: basename(path),
            journal,
            connect: engineConnection(connection),
            defaultApiVersion: options.apiVersion,
            dryRun: flags.dryRun,
            restart: flags.restart,
            retryFailed: flags.retryFailed,
            rate: flags.rate,
            productionConfirmed: flags.yes,
            signal,
          },
          ports,
        ),
    });
  } finally {
    await journal.close();
  }
}
