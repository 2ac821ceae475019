// `send FILE.userupdates.jsonl|.csv`: a bulk file through the run engine (src/core/bulk/run.ts).
import { basename, resolve } from 'node:path';
import { bulkFormatOf } from '../../core/bulk/format/formatOf';
import { runBulk } from '../../core/bulk/run/run';
import { fileInput } from '../../node/bulkInput';
import { JournalFile } from '../../node/journalFile';
import type { ClerkCliOptions } from '../args';
import { type BulkFlags, runBulkCommand } from './bulkRun';
import { prepareRunFolder, runFilesFor } from '../../node/runFiles';
import { chosenPaths, outputsNamed, shownPath } from './bulkPaths';
import { runPathsProblem } from '../../node/runPaths';
import { engineConnection } from '../clerk';
import { hashAndConnect } from '../command';
import { type CliIO, EXIT_USAGE } from '../io';
import { bulkProblems } from '../validate';
import type { MetadataTypes } from '../../core/metadataTypes/model';

export interface BulkSendFlags extends BulkFlags {
  retryFailed: boolean;
  allowSecrets: boolean;
  /** The metadata types rows are checked against (--metadata-types, or found under the current folder). */
  metadataTypes?: MetadataTypes;
}

/** Sends one bulk file; `args` are the command's arguments as given (the resume command repeats them). */
export async function runBulkSend(
  file: string,
  args: readonly string[],
  options: ClerkCliOptions,
  flags: BulkSendFlags,
  io: CliIO,
): Promise<number> {
  const path = resolve(io.cwd, file);
  const format = bulkFormatOf(file);
  if (!format) throw new Error(`${file} is not a bulk file`);
  const { journalPath, reportPath } = chosenPaths(runFilesFor(path), flags, io.cwd);
  const clash = await runPathsProblem(
    { name: 'the input', path },
    outputsNamed(flags, journalPath, reportPath),
    (p) => shownPath(io.cwd, p),
  );
  if (clash) {
    io.stderr(`send: ${clash}\n`);
    return EXIT_USAGE;
  }
  const ready = await hashAndConnect('send', file, path, options, io);
  if (!ready.ok) return ready.exit;
  const { hash, connection } = ready;
  await prepareRunFolder(journalPath, reportPath);
  const bulkOptions = {
    defaultApiVersion: options.apiVersion,
    allowSecrets: flags.allowSecrets,
    metadataTypes: flags.metadataTypes,
  };
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
      history: { source: path, apiVersion: options.apiVersion },
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
            maxWaitSeconds: flags.maxWaitSeconds,
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
