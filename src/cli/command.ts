// The start every command shares: `--help`, strict parsing, usage errors; and, for the bulk commands, the
// file's hash and the connection.
import type { ClerkCliOptions, OptionSpec, Parsed } from './args';
import { parseOptions, wantsHelp } from './args';
import { type CliConnection, connect } from './clerk';
import { type CliIO, describeReadError, EXIT_OK, EXIT_USAGE } from './io';
import { fileSha256 } from '../node/journalFile';

export interface Started<T extends OptionSpec> {
  parsed: Parsed<T>;
  /** Prints "NAME: message", a blank line and the usage on stderr; returns the usage exit status. */
  usage(message: string): number;
}

/**
 * `--help` prints the usage (exit 0) whatever else is given; otherwise the arguments are parsed strictly, or
 * the usage error is printed.
 */
export function startCommand<T extends OptionSpec>(
  name: string,
  usageText: string,
  args: string[],
  options: T,
  io: CliIO,
): Started<T> | { exit: number } {
  const usage = (message: string): number => {
    io.stderr(`${name}: ${message}\n\n${usageText}`);
    return EXIT_USAGE;
  };
  if (wantsHelp(args)) {
    io.stdout(usageText);
    return { exit: EXIT_OK };
  }
  const parsed = parseOptions(args, options);
  return 'error' in parsed ? { exit: usage(parsed.error) } : { parsed, usage };
}

/**
 * The input's hash (the journal's guard against a changed file) and the connection to Clerk, or the usage
 * exit status after saying why.
 */
export async function hashAndConnect(
  name: string,
  file: string,
  path: string,
  options: ClerkCliOptions,
  io: CliIO,
): Promise<{ hash: string; connection: CliConnection } | { exit: number }> {
  let hash: string;
  try {
    hash = await fileSha256(path);
  } catch (error) {
    io.stderr(`${file}: cannot read it (${describeReadError(error)}).\n`);
    return { exit: EXIT_USAGE };
  }
  const connection = connect(io, options);
  if ('error' in connection) {
    io.stderr(`${name}: ${connection.error}\n`);
    return { exit: EXIT_USAGE };
  }
  return { hash, connection };
}
