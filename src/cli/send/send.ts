import { resolve } from 'node:path';
import { analyzeDocument, withReadProblem } from '../../core/analyze';
import type { CoreDiagnostic } from '../../core/diagnostics';
import { readUtf8File } from '../../node/utf8File';
import { describeRequest } from '../../core/clerk/client';
import { describeKey } from '../../core/clerk/keys';
import { DEFAULT_RATE_LIMIT_POLICY } from '../../core/clerk/ratelimit';
import { userDisplayName } from '../../core/clerk/types';
import { DEFAULT_API_URL } from '../../core/clerk/url';
import { payloadValue } from '../../core/payload/value';
import { secretValuesOf } from '../../core/redact';
import { prepareDocument } from '../../core/send/document';
import type { SendPorts } from '../../core/send/ports';
import { sendPlanned } from '../../core/send/send';
import { formatChanges, previewUpdate } from '../../core/users/preview';
import { DEFAULT_API_VERSION } from '../../core/versions';
import { CLERK_OPTIONS, clerkOptions, plural } from '../args';
import { startCommand } from '../command';
import { CLI_USER_AGENT, connect, engineConnection, redactingIO } from '../clerk';
import { type CliIO, describeReadError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from '../io';
import { printDryRun, printReport } from './sendOutput';
import { BULK_OPTIONS, bulkFlags } from '../bulk/bulkRun';
import { runBulkSend } from '../bulk/bulkSend';
import { bulkFormatOf } from '../../core/bulk/format/formatOf';
import { diagnosticLine } from '../validate';
import { entryContext, historyStore, record, storePath } from '../history';
import { sendEntry } from '../../core/history/build';
import { cliMetadataTypes, METADATA_TYPES_OPTION, METADATA_TYPES_USAGE } from '../metadataTypes';

const USAGE = `Usage: clerk-user-update send [--api-url URL] [--api-version V] [--user-id ID] [--yes] [--dry-run] [--timeout S] [--retries N] [--store PATH] FILE...
       clerk-user-update send [--api-url URL] [--api-version V] [--timeout S] [--dry-run] [--rate N/10s] [--max-wait S] [--journal PATH]
                              [--restart] [--report PATH] [--retry-failed] [--allow-secrets] [--yes] [--format text|json] FILE.userupdates.jsonl|.csv

Reads the user of each *.userupdate.json (GET /v1/users/{user_id}, for the history), then sends
the file as PATCH /v1/users/{user_id} (and, under 2026-05-12, its metadata as PUT
/v1/users/{user_id}/metadata). The secret key is read from CLERK_SECRET_KEY.
  --api-url URL     Clerk Backend API (default CLERK_API_URL, else ${DEFAULT_API_URL}; http:// only for loopback)
  --env-file PATH   take CLERK_SECRET_KEY and CLERK_API_URL from a dotenv file (e.g. .env.local), as a pair
  --api-version V   for files and rows without "$api_version" (default ${DEFAULT_API_VERSION})
  --user-id ID      target user, overriding "$user_id"
  --yes             confirm sending with a production key (sk_live_); bulk files: also accept their warnings
  --dry-run         print the exact requests (key and secrets redacted) and send nothing
  --timeout S       seconds to wait for Clerk (default 30)
  --store PATH      where the changes are recorded (default ~/.clerk-user-update/history; see history)
  --retries N       times a request that Clerk rate-limited (429) is sent again after waiting
                    for Retry-After (default ${DEFAULT_RATE_LIMIT_POLICY.maxTries - 1}; 0 never retries). Nothing else is retried.
A bulk file (one, alone) is a run: every row is checked, its user looked up and compared, then
the rows that change something are sent, paced under the instance's limit, each journaled, so
that running the same command again resumes where it stopped (Ctrl+C finishes the rows in flight).
  --dry-run         look the users up and send nothing: counts, fields, the first 20 changes; the
                    plan of every row goes to .clerk-runs/FILE.plan.jsonl (or --report)
  --rate N/WINDOW   the instance's limit, e.g. 500/10s or 1000/1s (default 100/10s for sk_test_, 1000/10s for sk_live_)
  --max-wait S      the longest wait a 429's Retry-After may ask for (default 60); past it the run stops as
                    Ctrl+C would (rows in flight finished and journaled), exit 1, with the command that resumes
  --journal PATH    the run's journal (default .clerk-runs/FILE.journal.jsonl next to the file;
                    that folder has a .gitignore of its own)
  --restart         begin again although the journal belongs to another version of the file (it is kept aside)
  --report PATH     one JSON line per row: row, target, user_id, status, http_status, code, message,
                    trace_id (default .clerk-runs/FILE.report.jsonl)
  --retry-failed    send the rows that failed before again (those that may have been applied are checked first)
  --allow-secrets   accept password, password_digest, totp_secret and backup_codes in the file
  --format F        text (default: progress on stderr, the summary on stdout), or json: one JSON event per line on stdout
${METADATA_TYPES_USAGE}
Warnings in a bulk file are asked about once at a terminal, and need --yes otherwise.
Exit status: 0 sent (bulk: no row failed), 1 validation/API/network error (bulk: some row failed),
2 usage error or a refused run, 130 stopped by Ctrl+C (bulk: run the same command again to resume).
`;

/** Only for *.userupdate.json files. */
const SINGLE_OPTIONS = { 'user-id': { type: 'string' }, retries: { type: 'string' } } as const;
/** Only for bulk files. */
const BULK_ONLY = {
  ...BULK_OPTIONS,
  'retry-failed': { type: 'boolean' },
  'allow-secrets': { type: 'boolean' },
} as const;
const OPTIONS = { ...CLERK_OPTIONS, ...SINGLE_OPTIONS, ...BULK_ONLY, ...METADATA_TYPES_OPTION } as const;
const SHARED = new Set(['yes', 'dry-run', 'store', 'metadata-types']);

/**
 * `send [--api-url URL] [--api-version V] [--user-id ID] [--yes] [--dry-run] [--timeout S] [--retries N]
 * FILE...`
 */
export async function runSend(args: string[], rawIO: CliIO): Promise<number> {
  const secrets: string[] = [];
  const rawKey = rawIO.env.CLERK_SECRET_KEY;
  if (rawKey) secrets.push(rawKey.trim());
  const io = redactingIO(rawIO, () => secrets);
  const started = startCommand('send', USAGE, args, OPTIONS, io);
  if (!started.ok) return started.exit;
  const { parsed, usage } = started;
  const { values, positionals: files } = parsed;
  const checked = clerkOptions(values, io.env);
  if (!checked.ok) return usage(checked.message);
  const { options } = checked;
  const metadata = await cliMetadataTypes(io, values['metadata-types']);
  if (!metadata.ok) return usage(metadata.message);
  const metadataTypes = metadata.types;
  const bulk = files.filter((f) => bulkFormatOf(f) !== undefined);
  const given = (names: object): string | undefined =>
    Object.keys(names).find((k) => !SHARED.has(k) && values[k as keyof typeof values] !== undefined);
  if (bulk.length > 0) {
    if (files.length > 1)
      return usage(
        'A bulk file is sent alone: give one *.userupdates.jsonl or *.userupdates.csv, or *.userupdate.json files, not both.',
      );
    const single = given(SINGLE_OPTIONS);
    if (single)
      return usage(`--${single} is for *.userupdate.json files; each row of a bulk file names its own user.`);
    const checkedFlags = bulkFlags(values);
    if (!checkedFlags.ok) return usage(checkedFlags.message);
    const { flags } = checkedFlags;
    return runBulkSend(
      bulk[0],
      args,
      options,
      {
        ...flags,
        retryFailed: values['retry-failed'] === true,
        allowSecrets: values['allow-secrets'] === true,
        metadataTypes,
      },
      io,
    );
  }
  const bulkOnly = given(BULK_ONLY);
  if (bulkOnly) return usage(`--${bulkOnly} is for bulk files (*.userupdates.jsonl, *.userupdates.csv).`);
  let retries = DEFAULT_RATE_LIMIT_POLICY.maxTries - 1;
  if (values.retries !== undefined) {
    const v = Number(values.retries);
    if (values.retries.trim() === '' || !Number.isInteger(v) || v < 0 || v > 10)
      return usage('--retries needs a whole number from 0 to 10.');
    retries = v;
  }
  const userId = values['user-id']?.trim();
  if (values['user-id'] !== undefined && !userId) return usage('--user-id needs a value.');
  if (files.length === 0) return usage('No file given.');
  const dryRun = values['dry-run'] === true;
  if (values.store !== undefined && !values.store.trim()) return usage('--store needs a path.');
  const history = historyStore(storePath(io, values.store));

  // A dry run without a usable key still prints the requests; anything else needs the key.
  const connected = connect(io, options);
  if (!connected.ok && !(dryRun && connected.wrong === 'key')) {
    io.stderr(`send: ${connected.message}\n`);
    return EXIT_USAGE;
  }
  const live = connected.ok ? connected.connection : undefined;
  const keyProblem = connected.ok ? '' : connected.message;

  let status = EXIT_OK;
  const worst = (code: number): void => {
    if (code === EXIT_USAGE || (code === EXIT_FAILURE && status === EXIT_OK)) status = code;
  };
  if (dryRun) io.stdout('Dry run: nothing is sent.\n');

  for (const file of files) {
    let text: string;
    let problem: CoreDiagnostic | undefined;
    try {
      ({ text, problem } = await readUtf8File(resolve(io.cwd, file)));
    } catch (error) {
      io.stderr(`${file}: cannot read it (${describeReadError(error)}).\n`);
      worst(EXIT_USAGE);
      continue;
    }
    const analysis = withReadProblem(
      analyzeDocument(text, { defaultApiVersion: options.apiVersion, metadataTypes }),
      problem,
    );
    // Secret values of every file are redacted from all output, also when the file is not sent.
    if (analysis.root) secrets.push(...secretValuesOf(payloadValue(analysis.root)));
    const shown = analysis.diagnostics.filter((d) => d.severity !== 'information');
    for (const d of shown) io.stderr(`${diagnosticLine(file, d)}\n`);

    // The CLI lists warnings and sends anyway; it picks no user (the target is $user_id or --user-id).
    // It reads the user before sending, as the editor does, so the history has the values before.
    const ports: SendPorts = { confirm: async () => true };
    const prepared = await prepareDocument(
      {
        text,
        analysis,
        userId,
        readUser: true,
        connect: live ? engineConnection(live) : async () => ({ ok: false, problem: 'no-key', message: '' }),
        productionConfirmed: values.yes === true,
        rateLimit: { maxTries: retries + 1 },
      },
      ports,
    );
    if (!('ready' in prepared)) {
      if (prepared.status === 'blocked') {
        io.stderr(
          `${file}: not sent: ${plural(prepared.errors?.length ?? 0, 'error')} must be fixed first.\n`,
        );
        worst(EXIT_FAILURE);
      } else if (prepared.status === 'no-target') {
        io.stderr(
          `${file}: not sent: no target user. Add "$user_id": "user_…" to the file or pass --user-id.\n`,
        );
        worst(EXIT_USAGE);
      } else if (prepared.status === 'nothing') {
        io.stderr(`${file}: nothing to send: the file has only "$" keys.\n`);
        worst(EXIT_FAILURE);
      } else if (prepared.status === 'unavailable' && dryRun) {
        const requests = (prepared.plan ?? []).map((r) =>
          describeRequest(
            { apiUrl: options.apiUrl, apiVersion: analysis.apiVersion, userAgent: CLI_USER_AGENT },
            r,
          ),
        );
        printDryRun(
          io,
          `${file} → ${prepared.userId} (Clerk-API-Version ${analysis.apiVersion})`,
          requests,
          `(${rawKey ? keyProblem : 'CLERK_SECRET_KEY is not set; the requests below would need it.'})`,
        );
      }
      continue;
    }
    const { client, plan } = prepared;
    if (dryRun) {
      const requests = plan.map((r) =>
        describeRequest(
          {
            apiUrl: client.apiUrl,
            apiVersion: analysis.apiVersion,
            userAgent: CLI_USER_AGENT,
            secretKey: rawKey,
          },
          r,
        ),
      );
      printDryRun(io, `${file} → ${prepared.userId} (Clerk-API-Version ${analysis.apiVersion})`, requests);
      const current = await client.getUser(prepared.userId);
      const changes = current.ok
        ? formatChanges(
            previewUpdate(
              current.data,
              payloadValue(analysis.root!),
              analysis.apiVersion,
              analysis.metadataMode,
            ).changes,
          )
        : '';
      io.stdout(
        current.ok
          ? `\nChanges for ${userDisplayName(current.data)} (${prepared.userId}), current → after send:\n${changes}\n`
          : `\n(No field-by-field summary: ${current.message})\n`,
      );
      continue;
    }

    if (prepared.instance.production && !prepared.productionConfirmed && !io.stdinIsTTY) {
      io.stderr(
        `${file}: not sent: ${describeKey(rawKey ?? '')} is a production key. Pass --yes to send with it.\n`,
      );
      worst(EXIT_USAGE);
      continue;
    }
    const report = await sendPlanned(prepared, {
      confirm: async (question) =>
        question.kind === 'production' &&
        io.confirm(
          `PRODUCTION instance ${question.confirmation.instance.apiUrl}: update ${question.confirmation.who}, changing ${question.confirmation.fields.join(', ')}?`,
        ),
      rateLimited: (w) =>
        io.stderr(
          `${file}: Clerk rate-limited the request (429); waiting ${w.waitSeconds} s${w.fromRetryAfter ? ' as Retry-After asks' : ''} before try ${w.nextTry} of ${w.maxTries}…\n`,
        ),
    });
    await record(
      io,
      history,
      sendEntry(report, entryContext(prepared.instance, analysis.apiVersion, resolve(io.cwd, file), secrets)),
    );
    worst(printReport(io, file, report));
  }
  return status;
}
