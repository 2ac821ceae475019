import { resolve } from 'node:path';
import { checkApiUrl } from '../core/clerk/url';
import { isSnippetLanguage, renderSnippet, SNIPPET_LANGUAGES } from '../core/snippets';
import { DEFAULT_API_VERSION } from '../core/versions';
import { apiUrlOption, apiVersionOption } from './args';
import { startCommand } from './command';
import { type CliIO, describeReadError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';
import type { CoreDiagnostic } from '../core/diagnostics';
import { readUtf8File } from '../node/utf8File';
import { diagnosticLine } from './validate';

const USAGE = `Usage: clerk-user-update snippet --lang curl|ts|rust [--api-url URL] [--api-version V] [--env-file PATH] FILE

Prints what sending FILE (a *.userupdate.json) would do, as code to paste:
  --lang curl       curl commands for bash: the PATCH (and, under 2026-05-12, the PUT of the
                    metadata) with -H "Authorization: Bearer $CLERK_SECRET_KEY"
  --lang ts         @clerk/backend: clerkClient.users.updateUser(…) and replaceUserMetadata(…)
  --lang rust       clerk-rs: an UpdateUserRequest literal and User::update_user(…)
  --api-url URL     the API URL in the snippet (default CLERK_API_URL, else https://api.clerk.com)
  --api-version V   for a file without "$api_version" (default ${DEFAULT_API_VERSION})
  --env-file PATH   take CLERK_API_URL from a dotenv file (it must hold CLERK_SECRET_KEY)
The key is never in the text, nor are password, password_digest, totp_secret and backup_codes:
they are read from environment variables, which a comment names.
Exit status: 0 printed, 1 the file has errors (as a send would refuse it), 2 usage error or unreadable file.
`;

const OPTIONS = {
  lang: { type: 'string' },
  'api-url': { type: 'string' },
  'api-version': { type: 'string' },
  'env-file': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `snippet --lang curl|ts|rust [--api-url URL] [--api-version V] FILE` */
export async function runSnippet(args: string[], io: CliIO): Promise<number> {
  const started = startCommand('snippet', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const lang = parsed.values.lang;
  if (!isSnippetLanguage(lang))
    return usage(
      lang === undefined
        ? 'Give --lang curl, ts or rust.'
        : `Unknown language "${lang}". One of ${SNIPPET_LANGUAGES.join(', ')}.`,
    );
  const checkedVersion = apiVersionOption(parsed.values['api-version']);
  if (!checkedVersion.ok) return usage(checkedVersion.message);
  const { version } = checkedVersion;
  const url = checkApiUrl(apiUrlOption(parsed.values['api-url'], io.env));
  if (!url.ok) return usage(url.message);
  if (parsed.positionals.length !== 1)
    return usage(parsed.positionals.length === 0 ? 'No file given.' : 'Give exactly one file.');
  const file = parsed.positionals[0];
  let text: string;
  let problem: CoreDiagnostic | undefined;
  try {
    ({ text, problem } = await readUtf8File(resolve(io.cwd, file)));
  } catch (error) {
    io.stderr(`${file}: cannot read it (${describeReadError(error)}).\n`);
    return EXIT_USAGE;
  }
  if (problem) {
    // As a send would be: blocked by its errors (the snippet makes the requests a send makes).
    io.stderr(
      `${diagnosticLine(file, problem)}\n${file}: No snippet: fix line ${problem.range.start.line + 1} first.\n`,
    );
    return EXIT_FAILURE;
  }
  const snippet = renderSnippet(lang, text, { apiUrl: url.url, defaultApiVersion: version });
  if (!snippet.ok) {
    io.stderr(`${file}: ${snippet.message}\n`);
    return EXIT_FAILURE;
  }
  io.stdout(snippet.text);
  return EXIT_OK;
}
