import { formatFailure } from '../../core/clerk/errors';
import { renderUpdateFile } from '../../core/users/editable';
import { CLERK_OPTIONS, clerkOptions } from '../args';
import { startCommand } from '../command';
import { EXPORT_OPTIONS, exportFlags, runExport } from './pullBulk';
import { connect, keyRedactingIO } from '../clerk';
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../io';

const USAGE = `Usage: clerk-user-update pull [--api-url URL] [--api-version V] [--timeout S] USER_ID
       clerk-user-update pull [--api-url URL] [--api-version V] [--timeout S] (--query Q | --all | --organization ORG)
                              [--format jsonl|csv] [--metadata-columns] [--rate N/10s] [--force] --out FILE

Prints a *.userupdate.json for an existing user: "$user_id", "$api_version" and the user's
current editable, non-secret fields (timestamps and secrets left out). The secret key is read
from CLERK_SECRET_KEY, the API URL from --api-url or CLERK_API_URL; --env-file PATH reads both
from a dotenv file.  Example: pull user_2x… > ada.userupdate.json
With --query, --all or --organization, writes those users as a bulk file instead ("$user_id" and
the same fields, one row per user), page by page (500 users per request), paced like a run:
  --query Q          the users Clerk's search matches (emails, phones, usernames, names, ids)
  --all              every user
  --organization ORG the members of an organization (org_…)
  --out FILE         the bulk file to write, e.g. users.userupdates.jsonl; an existing file is
                     never replaced unless --force
  --format F         jsonl or csv (default: by the name of --out, else jsonl)
  --metadata-columns CSV: a column per metadata key path (public_metadata.role, any depth) instead
                     of one per metadata field, so that a row sent back merges the keys it gives
                     and an edited cell changes that key only (JSONL rows merge each object anyway)
  --rate N/WINDOW    the instance's limit (default 100/10s for sk_test_, 1000/10s for sk_live_)
Exit status: 0 printed (written), 1 API or network error, 2 usage error, 130 stopped by Ctrl+C.
`;

const OPTIONS = { ...CLERK_OPTIONS, ...EXPORT_OPTIONS } as const;

/** `pull [--api-url URL] [--api-version V] [--timeout S] USER_ID` */
export async function runPull(args: string[], rawIO: CliIO): Promise<number> {
  const io = keyRedactingIO(rawIO);
  const started = startCommand('pull', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const checked = clerkOptions(parsed.values, io.env);
  const ids = parsed.positionals.map((id) => id.trim());
  if (!checked.ok) return usage(checked.message);
  const { options } = checked;
  if (
    Object.keys(EXPORT_OPTIONS).some((k) => parsed.values[k as keyof typeof EXPORT_OPTIONS] !== undefined)
  ) {
    if (ids.length > 0)
      return usage('Give either a user id, or --query, --all or --organization with --out, not both.');
    const checkedFlags = exportFlags(parsed.values);
    return checkedFlags.ok ? runExport(checkedFlags.flags, options, io) : usage(checkedFlags.message);
  }
  if (ids.length !== 1) return usage(ids.length === 0 ? 'No user id given.' : 'Give exactly one user id.');
  const connected = connect(io, options);
  if (!connected.ok) {
    io.stderr(`pull: ${connected.message}\n`);
    return EXIT_USAGE;
  }
  const result = await connected.connection.client(options.apiVersion).getUser(ids[0]);
  if (!result.ok) {
    io.stderr(`pull: ${formatFailure(result)}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(renderUpdateFile(result.data, options.apiVersion));
  return EXIT_OK;
}
