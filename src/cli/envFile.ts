import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readClerkDotenv } from '../core/env/dotenv';
import type { Result } from '../core/result';
import { type CliIO, describeReadError } from './io';

/** The value of the last `--env-file PATH` (or `--env-file=PATH`) before `--`, if any. */
function envFileArgument(args: readonly string[]): string | undefined {
  const end = args.indexOf('--');
  const { tokens } = parseArgs({
    args: end === -1 ? [...args] : args.slice(0, end),
    options: { 'env-file': { type: 'string' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  let path: string | undefined;
  for (const token of tokens)
    if (token.kind === 'option' && token.name === 'env-file' && token.value !== undefined) path = token.value;
  return path;
}

/**
 * `--env-file PATH`: the dotenv file's CLERK_SECRET_KEY and CLERK_API_URL replace the process's,
 * as a pair (a key from the file never goes to a URL from elsewhere; `--api-url` still wins). The
 * file must hold a secret key. Nothing is written; other variables are not read.
 */
export async function withEnvFile(args: readonly string[], io: CliIO): Promise<Result<{ io: CliIO }>> {
  const path = envFileArgument(args);
  if (path === undefined) return { ok: true, io };
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    return { ok: false, message: `--env-file ${path}: cannot read it (${describeReadError(error)}).` };
  }
  const found = readClerkDotenv(text);
  if (!found.key)
    return {
      ok: false,
      message: `--env-file ${path}: no CLERK_SECRET_KEY with a secret key (sk_test_… or sk_live_…) in it.${found.hint ? ` ${found.hint}` : ''}`,
    };
  return {
    ok: true,
    io: { ...io, env: { ...io.env, CLERK_SECRET_KEY: found.key, CLERK_API_URL: found.apiUrl } },
  };
}
