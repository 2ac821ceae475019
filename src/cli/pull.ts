import { formatFailure } from '../core/clerk/errors';
import { renderUpdateFile } from '../core/users/editable';
import { CLERK_OPTIONS, clerkOptions, parseOptions, wantsHelp } from './args';
import { connect, redactingIO } from './clerk';
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const USAGE = `Usage: clerk-user-update pull [--api-url URL] [--api-version V] [--timeout S] USER_ID

Prints a *.userupdate.json for an existing user: "$user_id", "$api_version" and the user's
current editable, non-secret fields (timestamps and secrets left out). The secret key is read
from CLERK_SECRET_KEY.  Example: pull user_2x… > ada.userupdate.json
Exit status: 0 printed, 1 API or network error, 2 usage error.
`;

/** `pull [--api-url URL] [--api-version V] [--timeout S] USER_ID` */
export async function runPull(args: string[], rawIO: CliIO): Promise<number> {
  const rawKey = rawIO.env.CLERK_SECRET_KEY;
  const io = redactingIO(rawIO, () => [rawKey?.trim()]);
  if (wantsHelp(args)) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const parsed = parseOptions(args, CLERK_OPTIONS);
  const options = 'error' in parsed ? parsed : clerkOptions(parsed.values);
  const ids = 'error' in parsed ? [] : parsed.positionals.map((id) => id.trim());
  if ('error' in options || ids.length !== 1) {
    io.stderr(`pull: ${'error' in options ? options.error : ids.length === 0 ? 'No user id given.' : 'Give exactly one user id.'}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const connection = connect(io, options);
  if ('error' in connection) {
    io.stderr(`pull: ${connection.error}\n`);
    return EXIT_USAGE;
  }
  const result = await connection.client(options.apiVersion).getUser(ids[0]);
  if (!result.ok) {
    io.stderr(`pull: ${formatFailure(result)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(renderUpdateFile(result.data, options.apiVersion));
  return EXIT_OK;
}
