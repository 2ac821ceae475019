import { readFile } from 'node:fs/promises';
import { getNodeValue } from 'jsonc-parser';
import { resolve } from 'node:path';
import { analyzeDocument } from '../analyze';
import { ClerkClient, describeRequest } from '../clerk/client';
import { formatFailure } from '../clerk/errors';
import { checkSecretKey, describeKey } from '../clerk/keys';
import { redactSecrets, secretValuesOf } from '../clerk/redact';
import { DEFAULT_RATE_LIMIT_POLICY } from '../clerk/ratelimit';
import { sendPlan } from '../clerk/send';
import { userDisplayName } from '../clerk/types';
import { DEFAULT_API_URL, checkApiUrl } from '../clerk/url';
import { userAgent } from '../clerk/useragent';
import { planRequests, type PlannedRequest } from '../payload/plan';
import { formatChanges, previewUpdate } from '../users/preview';
import { API_VERSIONS, DEFAULT_API_VERSION, type ApiVersion, isApiVersion } from '../versions';
import { type CliIO, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './io';

const USAGE = `Usage: clerk-user-update send [--api-url URL] [--api-version V] [--user-id ID] [--yes] [--dry-run] [--timeout S] [--retries N] FILE...

Sends each *.userupdate.json as PATCH /v1/users/{user_id} (and, under 2026-05-12, its metadata
as PUT /v1/users/{user_id}/metadata). The secret key is read from CLERK_SECRET_KEY.
  --api-url URL     Clerk Backend API (default ${DEFAULT_API_URL}; http:// only for loopback)
  --api-version V   for files without "$api_version" (default ${DEFAULT_API_VERSION})
  --user-id ID      target user, overriding "$user_id"
  --yes             confirm sending with a production key (sk_live_)
  --dry-run         print the exact requests (key and secrets redacted) and send nothing
  --timeout S       seconds to wait for Clerk (default 30)
  --retries N       times a request that Clerk rate-limited (429) is sent again after waiting
                    for Retry-After (default ${DEFAULT_RATE_LIMIT_POLICY.maxTries - 1}; 0 never retries). Nothing else is retried.
Exit status: 0 sent, 1 validation/API/network error, 2 usage error.
`;

/** Options shared by `send` and `pull`. */
export interface ClerkCliOptions {
  apiUrl: string;
  apiVersion: ApiVersion;
  timeoutMs: number;
}

interface SendOptions extends ClerkCliOptions {
  userId?: string;
  /** Retries after a 429 (tries = retries + 1). */
  retries: number;
  yes: boolean;
  dryRun: boolean;
  files: string[];
}

/**
 * Parse `--api-url`, `--api-version` and `--timeout` (shared with `pull`), handing other
 * arguments to `other`, which returns false for an unknown option. Returns an error message.
 */
export function parseCommonArgs(args: string[], common: ClerkCliOptions, other: (flag: string, value: () => string | undefined, arg: string) => string | boolean | undefined): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const value = (): string | undefined => (eq !== -1 ? arg.slice(eq + 1) : args[++i]);
    if (flag === '--api-url') {
      const v = value();
      if (v === undefined) return '--api-url needs a value.';
      common.apiUrl = v;
    } else if (flag === '--api-version') {
      const v = value();
      if (v === undefined) return '--api-version needs a value.';
      if (!isApiVersion(v)) return `Unknown API version "${v}". Documented versions: ${API_VERSIONS.join(', ')}.`;
      common.apiVersion = v;
    } else if (flag === '--timeout') {
      const v = Number(value());
      if (!Number.isFinite(v) || v <= 0) return '--timeout needs a positive number of seconds.';
      common.timeoutMs = Math.round(v * 1000);
    } else if (arg === '--') {
      for (const rest of args.slice(i + 1)) {
        const r = other(rest, () => undefined, rest);
        if (typeof r === 'string') return r;
      }
      return undefined;
    } else {
      const r = other(flag, value, arg);
      if (typeof r === 'string') return r;
      if (r === false) return `Unknown option "${arg}".`;
    }
  }
  return undefined;
}

/** An io whose output never contains the given secrets (nor anything shaped like a secret key). */
export function redactingIO(io: CliIO, secrets: () => Array<string | undefined>): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(redactSecrets(text, secrets())),
    stderr: (text) => io.stderr(redactSecrets(text, secrets())),
    confirm: (question) => io.confirm(redactSecrets(question, secrets())),
  };
}

function parseArgs(args: string[]): SendOptions | string {
  const options: SendOptions = {
    apiUrl: DEFAULT_API_URL,
    apiVersion: DEFAULT_API_VERSION,
    timeoutMs: 30_000,
    retries: DEFAULT_RATE_LIMIT_POLICY.maxTries - 1,
    yes: false,
    dryRun: false,
    files: [],
  };
  const error = parseCommonArgs(args, options, (flag, value, arg) => {
    if (flag === '--user-id') {
      const v = value();
      if (!v) return '--user-id needs a value.';
      options.userId = v.trim();
    } else if (flag === '--retries') {
      const text = value();
      const v = Number(text);
      if (text === undefined || text.trim() === '' || !Number.isInteger(v) || v < 0 || v > 10) return '--retries needs a whole number from 0 to 10.';
      options.retries = v;
    } else if (flag === '--yes' || flag === '-y') options.yes = true;
    else if (flag === '--dry-run') options.dryRun = true;
    else if (arg.startsWith('-') && arg !== '-') return false;
    else options.files.push(arg);
    return true;
  });
  if (error) return error;
  if (options.files.length === 0) return 'No file given.';
  return options;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `send [--api-url URL] [--api-version V] [--user-id ID] [--yes] [--dry-run] [--timeout S] [--retries N] FILE...` */
export async function runSend(args: string[], rawIO: CliIO): Promise<number> {
  const secrets: string[] = [];
  const rawKey = rawIO.env.CLERK_SECRET_KEY;
  if (rawKey) secrets.push(rawKey.trim());
  const io = redactingIO(rawIO, () => secrets);

  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.stderr(`send: ${options}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const url = checkApiUrl(options.apiUrl);
  if (!url.ok) {
    io.stderr(`send: ${url.message}\n`);
    return EXIT_USAGE;
  }
  const key = checkSecretKey(rawKey);
  if (!key.ok && !options.dryRun) {
    io.stderr(`send: ${rawKey ? key.message : 'CLERK_SECRET_KEY is not set. Set it to your secret key (sk_test_… or sk_live_…).'}\n`);
    return EXIT_USAGE;
  }
  const agent = userAgent(`cli; node ${process.version}`);
  const client = key.ok ? new ClerkClient({ apiUrl: url.url, secretKey: key.key, apiVersion: options.apiVersion, userAgent: agent, timeoutMs: options.timeoutMs }) : undefined;

  let status = EXIT_OK;
  const worst = (code: number): void => {
    if (code === EXIT_USAGE || (code === EXIT_FAILURE && status === EXIT_OK)) status = code;
  };
  if (options.dryRun) io.stdout('Dry run: nothing is sent.\n');

  for (const file of options.files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code;
      io.stderr(`${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? 'error')}).\n`);
      worst(EXIT_USAGE);
      continue;
    }
    const analysis = analyzeDocument(text, { defaultApiVersion: options.apiVersion });
    // Secret values of every file are redacted from all output, also when the file is not sent.
    if (analysis.root) secrets.push(...secretValuesOf(getNodeValue(analysis.root)));
    const shown = analysis.diagnostics.filter((d) => d.severity !== 'information');
    for (const d of shown) io.stderr(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}\n`);
    if (analysis.hasErrors || !analysis.root) {
      const errors = shown.filter((d) => d.severity === 'error').length;
      io.stderr(`${file}: not sent: ${plural(errors, 'error')} must be fixed first.\n`);
      worst(EXIT_FAILURE);
      continue;
    }
    const userId = options.userId ?? analysis.userId;
    if (!userId) {
      io.stderr(`${file}: not sent: no target user. Add "$user_id": "user_…" to the file or pass --user-id.\n`);
      worst(EXIT_USAGE);
      continue;
    }
    const plan = planRequests(text, analysis.root, userId, analysis.apiVersion);
    if (plan.length === 0) {
      io.stderr(`${file}: nothing to send: the file has only "$" keys.\n`);
      worst(EXIT_FAILURE);
      continue;
    }
    const payload = Object.assign({}, ...plan.map((r) => JSON.parse(r.body) as Record<string, unknown>)) as Record<string, unknown>;
    secrets.push(...secretValuesOf(payload));
    const fileClient = client && analysis.apiVersion !== options.apiVersion ? withVersion(client, key.ok ? key.key : '', analysis.apiVersion, agent, options.timeoutMs) : client;

    if (options.dryRun) {
      io.stdout(`\n${file} → ${userId} (Clerk-API-Version ${analysis.apiVersion})\n`);
      if (!key.ok) io.stdout(`(${rawKey ? key.message : 'CLERK_SECRET_KEY is not set; the requests below would need it.'})\n`);
      for (const request of plan) io.stdout(`\n${formatDescribed(describeRequest({ apiUrl: url.url, apiVersion: analysis.apiVersion, userAgent: agent, secretKey: key.ok ? key.key : undefined }, request))}`);
      if (fileClient) {
        const current = await fileClient.getUser(userId);
        if (current.ok) {
          const preview = previewUpdate(current.data, payload, analysis.apiVersion);
          io.stdout(`\nChanges for ${userDisplayName(current.data)} (${userId}), current → after send:\n${formatChanges(preview.changes)}\n`);
        } else {
          io.stdout(`\n(No field-by-field summary: ${current.message})\n`);
        }
      }
      continue;
    }

    if (!fileClient) continue; // unreachable: a missing key returned above
    if (fileClient.isProduction && !options.yes) {
      if (!io.stdinIsTTY) {
        io.stderr(`${file}: not sent: ${describeKey(key.ok ? key.key : '')} is a production key. Pass --yes to send with it.\n`);
        worst(EXIT_USAGE);
        continue;
      }
      const current = await fileClient.getUser(userId);
      const who = current.ok ? `${userDisplayName(current.data)} (${userId})` : userId;
      const fields = plan.flatMap((r) => r.fields).join(', ');
      const yes = await io.confirm(`PRODUCTION instance ${url.url}: update ${who}, changing ${fields}?`);
      if (!yes) {
        io.stderr(`${file}: not sent (not confirmed).\n`);
        worst(EXIT_FAILURE);
        continue;
      }
    }

    const outcome = await sendPlan(fileClient, plan, userId, {
      rateLimit: {
        policy: { maxTries: options.retries + 1 },
        onWait: (w) => io.stderr(`${file}: Clerk rate-limited the request (429); waiting ${w.waitSeconds} s${w.fromRetryAfter ? ' as Retry-After asks' : ''} before try ${w.nextTry} of ${w.maxTries}…\n`),
      },
    });
    for (const step of outcome.steps) {
      const r = step.result;
      const line = `${step.request.method} ${step.request.path} → ${r.ok ? r.status : r.status ?? r.kind} in ${r.durationMs} ms${r.traceId ? ` (trace ${r.traceId})` : ''}${step.tries > 1 ? ` after ${step.tries} tries` : ''}`;
      if (r.ok) io.stdout(`${file}: ${line}\n`);
      else io.stderr(`${file}: ${line}\n`);
    }
    if (outcome.ok && outcome.user) {
      const fields = plan.flatMap((r) => r.fields).join(', ');
      io.stdout(`${file}: Updated ${userDisplayName(outcome.user)} (${outcome.user.id}): ${fields}.\n`);
    } else if (outcome.failure) {
      io.stderr(`${file}: not updated: ${formatFailure(outcome.failure)}\n`);
      if (outcome.steps.length > 1) {
        io.stderr(`${file}: the earlier step (${outcome.steps[0].request.method} ${outcome.steps[0].request.path}) was applied.\n`);
      }
      for (const skipped of outcome.skipped) io.stderr(`${file}: ${skipped.method} ${skipped.path} was not sent because the step before it failed.\n`);
      worst(EXIT_FAILURE);
    }
  }
  return status;
}

function withVersion(_client: ClerkClient, key: string, apiVersion: ApiVersion, agent: string, timeoutMs: number): ClerkClient {
  return new ClerkClient({ apiUrl: _client.apiUrl, secretKey: key, apiVersion, userAgent: agent, timeoutMs });
}

function formatDescribed(d: ReturnType<typeof describeRequest>): string {
  const headers = Object.entries(d.headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  const body = d.body === undefined ? '' : `\n${d.body.endsWith('\n') ? d.body : `${d.body}\n`}`;
  return `${d.method} ${d.url}\n${headers}\n${body}`;
}

/** For tests and the glue: the requests a file would send, unchanged (not redacted). */
export type { PlannedRequest };
