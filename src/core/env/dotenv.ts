import { parse } from 'dotenv';
import { checkSecretKey } from '../clerk/keys';

/** What a dotenv file (`.env.local`, `.env`) says about Clerk: its secret key and API URL, as one pair. */
export interface ClerkDotenv {
  /** CLERK_SECRET_KEY when it is a secret key (sk_test_…/sk_live_…). */
  key: string | undefined;
  /** CLERK_API_URL, trimmed; it goes with this file's key only. */
  apiUrl: string | undefined;
  /**
   * Why there is no key, when the file has something else: only publishable keys, or a CLERK_SECRET_KEY that
   * is not a secret key.
   */
  hint: string | undefined;
}

const PUBLISHABLE = /^pk_(test|live)_/;

/**
 * Reads a dotenv text with dotenv's parser (the one Clerk's quickstarts rely on). Only
 * CLERK_SECRET_KEY and CLERK_API_URL are read; NEXT_PUBLIC_ variables and publishable keys are
 * never used, and a hint says so when they are all there is. Messages never hold a value.
 */
export function readClerkDotenv(text: string): ClerkDotenv {
  const vars = parse(text);
  const apiUrl = vars.CLERK_API_URL?.trim() || undefined;
  const raw = vars.CLERK_SECRET_KEY;
  if (raw !== undefined && raw.trim() !== '') {
    const check = checkSecretKey(raw);
    return check.ok
      ? { key: check.key, apiUrl, hint: undefined }
      : { key: undefined, apiUrl, hint: `CLERK_SECRET_KEY: ${check.message}` };
  }
  const publishable = Object.entries(vars).some(
    ([name, value]) => name.startsWith('NEXT_PUBLIC_') || PUBLISHABLE.test(value.trim()),
  );
  const hint = publishable
    ? 'It has only publishable (NEXT_PUBLIC_ or pk_…) variables, which cannot update users: add CLERK_SECRET_KEY=sk_test_… (Clerk Dashboard → API keys).'
    : undefined;
  return { key: undefined, apiUrl, hint };
}
