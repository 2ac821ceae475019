import { parseArgs } from 'node:util';
import { DEFAULT_API_URL } from '../core/clerk/url';
import { API_VERSIONS, type ApiVersion, DEFAULT_API_VERSION, isApiVersion } from '../core/versions';
import type { Result } from '../core/result';
import { errorMessage } from '../core/text/format';

/**
 * A command's options for `node:util` parseArgs: strict, positionals allowed, `--x=y` and `--` understood.
 */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

export type Parsed<T extends OptionSpec> = {
  values: {
    [K in keyof T]?: T[K]['type'] extends 'boolean'
      ? boolean
      : T[K]['multiple'] extends true
        ? string[]
        : string;
  };
  positionals: string[];
};

/**
 * Parses `args`, or says what is wrong in our words ("Unknown option "--x".", "--api-url needs a value.").
 */
export function parseOptions<T extends OptionSpec>(
  args: string[],
  options: T,
): Result<{ parsed: Parsed<T> }> {
  try {
    const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { ok: true, parsed: { values: values as Parsed<T>['values'], positionals } };
  } catch (error) {
    return { ok: false, message: describeParseError(error) };
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = errorMessage(error);
  const option = /'(?:-\w, )?(--?[^' <]+)/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option "${option}".`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /does not take an argument/.test(message)
      ? `${option} takes no value.`
      : `${option} needs a value.`;
  return message;
}

/** Where the commands that talk to Clerk send, and how long they wait. */
export const CONNECTION_OPTIONS = {
  'api-url': { type: 'string' },
  'env-file': { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** Options shared by the commands that talk to Clerk. */
export const CLERK_OPTIONS = {
  ...CONNECTION_OPTIONS,
  'api-version': { type: 'string' },
} as const satisfies OptionSpec;

export interface ClerkCliOptions {
  apiUrl: string;
  apiVersion: ApiVersion;
  timeoutMs: number;
}

/**
 * `--api-url`, `--api-version` and `--timeout`, checked, with their defaults. The API URL is the
 * flag, else CLERK_API_URL (as @clerk/backend reads it), else Clerk's. CLERK_API_VERSION is not the
 * dated version (in @clerk/backend it is the URL's `v1`), so it is not read.
 */
export function clerkOptions(
  values: { 'api-url'?: string; 'api-version'?: string; timeout?: string },
  env: Record<string, string | undefined>,
): Result<{ options: ClerkCliOptions }> {
  const version = apiVersionOption(values['api-version']);
  if (!version.ok) return version;
  let timeoutMs = 30_000;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0 || values.timeout.trim() === '')
      return { ok: false, message: '--timeout needs a positive number of seconds.' };
    timeoutMs = Math.round(seconds * 1000);
  }
  return {
    ok: true,
    options: { apiUrl: apiUrlOption(values['api-url'], env), apiVersion: version.version, timeoutMs },
  };
}

/** `--api-url`, else CLERK_API_URL, else Clerk's API URL. */
export function apiUrlOption(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? (env.CLERK_API_URL?.trim() || DEFAULT_API_URL);
}

/** `--api-version V`, checked (the default when absent). */
export function apiVersionOption(value: string | undefined): Result<{ version: ApiVersion }> {
  if (value === undefined) return { ok: true, version: DEFAULT_API_VERSION };
  return isApiVersion(value)
    ? { ok: true, version: value }
    : {
        ok: false,
        message: `Unknown API version "${value}". Documented versions: ${API_VERSIONS.join(', ')}.`,
      };
}

/** "2 errors", "1 file". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `--help` or `-h` before any `--`: help wins over every other argument, valid or not. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}
