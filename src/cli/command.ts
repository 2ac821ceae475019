// The start every command shares: `--help`, strict parsing, usage errors; and, for the bulk commands, the
// file's hash and the connection.
import type { ClerkCliOptions, OptionSpec, Parsed } from './args';
import { parseOptions, wantsHelp } from './args';
import { type CliConnection, connect } from './clerk';
import { type CliIO, describeReadError, EXIT_OK, EXIT_USAGE } from './io';
import { fileSha256 } from '../node/journalFile';
import type { Result } from '../core/result';

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
): Result<Started<T>, { exit: number }> {
  const usage = (message: string): number => {
    io.stderr(`${name}: ${message}\n\n${usageText}`);
    return EXIT_USAGE;
  };
  if (wantsHelp(args)) {
    io.stdout(usageText);
    return { ok: false, exit: EXIT_OK };
  }
  const parsed = parseOptions(args, options);
  return parsed.ok ? { ok: true, parsed: parsed.parsed, usage } : { ok: false, exit: usage(parsed.message) };
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
): Promise<Result<{ hash: string; connection: CliConnection }, { exit: number }>> {
  let hash: string;
  try {
    hash = await fileSha256(path);
  } catch (error) {
    io.stderr(`${file}: cannot read it (${describeReadError(error)}).\n`);
    return { ok: false, exit: EXIT_USAGE };
  }
  const connected = connect(io, options);
  if (!connected.ok) {
    io.stderr(`${name}: ${connected.message}\n`);
    return { ok: false, exit: EXIT_USAGE };
  }
  return { ok: true, hash, connection: connected.connection };
}
