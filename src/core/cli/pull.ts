import { ClerkClient } from '../clerk/client';
import { formatFailure } from '../clerk/errors';
import { checkSecretKey } from '../clerk/keys';
import { DEFAULT_API_URL, checkApiUrl } from '../clerk/url';
import { userAgent } from '../clerk/useragent';
import { renderUpdateFile } from '../users/editable';
import { DEFAULT_API_VERSION } from '../versions';
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';
import { type ClerkCliOptions, parseCommonArgs, redactingIO } from './send';

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
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const options: ClerkCliOptions = { apiUrl: DEFAULT_API_URL, apiVersion: DEFAULT_API_VERSION, timeoutMs: 30_000 };
  const ids: string[] = [];
  const error = parseCommonArgs(args, options, (_flag, _value, arg) => {
    if (arg.startsWith('-')) return false;
    ids.push(arg.trim());
    return true;
  });
  if (error || ids.length !== 1) {
    io.stderr(`pull: ${error ?? (ids.length === 0 ? 'No user id given.' : 'Give exactly one user id.')}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const url = checkApiUrl(options.apiUrl);
  if (!url.ok) {
    io.stderr(`pull: ${url.message}\n`);
    return EXIT_USAGE;
  }
  const key = checkSecretKey(rawKey);
  if (!key.ok) {
    io.stderr(`pull: ${rawKey ? key.message : 'CLERK_SECRET_KEY is not set. Set it to your secret key (sk_test_… or sk_live_…).'}\n`);
    return EXIT_USAGE;
  }
  const client = new ClerkClient({
    apiUrl: url.url,
    secretKey: key.key,
    apiVersion: options.apiVersion,
    userAgent: userAgent(`cli; node ${process.version}`),
    timeoutMs: options.timeoutMs,
  });
  const result = await client.getUser(ids[0]);
  if (!result.ok) {
    io.stderr(`pull: ${formatFailure(result)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(renderUpdateFile(result.data, options.apiVersion));
  return EXIT_OK;
}
