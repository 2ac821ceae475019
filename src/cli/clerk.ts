import { ClerkClient } from '../core/clerk/client';
import { checkSecretKey, type KeyCheck } from '../core/clerk/keys';
import { checkApiUrl } from '../core/clerk/url';
import { userAgent } from '../core/clerk/useragent';
import { redactSecrets } from '../core/redact';
import type { Connection } from '../core/clerk/instance';
import type { ApiVersion } from '../core/versions';
import type { Result } from '../core/result';
import type { ClerkCliOptions } from './args';
import type { CliIO } from './io';
import { keyFingerprint } from '../node/keyFingerprint';

/** The CLI's User-Agent: `clerk-user-update/0.1.0 (cli; node v20.20.2)`. */
export const CLI_USER_AGENT = userAgent(`cli; node ${process.version}`);

/** An io whose output never contains the given secrets (nor anything shaped like a secret key). */
export function redactingIO(io: CliIO, secrets: () => ReadonlyArray<string | undefined>): CliIO {
  return {
    ...io,
    stdout: (text) => io.stdout(redactSecrets(text, secrets())),
    stderr: (text) => io.stderr(redactSecrets(text, secrets())),
    confirm: (question) => io.confirm(redactSecrets(question, secrets())),
  };
}

/** `io` with the environment's CLERK_SECRET_KEY redacted from everything it prints or asks. */
export function keyRedactingIO(io: CliIO): CliIO {
  const key = io.env.CLERK_SECRET_KEY?.trim();
  return redactingIO(io, () => [key]);
}

/** The key from CLERK_SECRET_KEY, checked; the message says how to set it. */
export function keyFromEnvironment(io: CliIO): KeyCheck {
  const raw = io.env.CLERK_SECRET_KEY;
  const key = checkSecretKey(raw);
  if (key.ok || raw) return key;
  return {
    ok: false,
    message: 'CLERK_SECRET_KEY is not set. Set it to your secret key (sk_test_… or sk_live_…).',
  };
}

/** Where the CLI talks to: the checked API URL and key, and a client per API version. */
export interface CliConnection {
  apiUrl: string;
  key: string;
  production: boolean;
  client(apiVersion: ApiVersion): ClerkClient;
}

/** The API URL and key checked, or what is wrong with them (exit status 2). */
export function connect(
  io: CliIO,
  options: ClerkCliOptions,
): Result<{ connection: CliConnection }, { message: string; wrong: 'url' | 'key' }> {
  const url = checkApiUrl(options.apiUrl);
  if (!url.ok) return { ok: false, message: url.message, wrong: 'url' };
  const key = keyFromEnvironment(io);
  if (!key.ok) return { ok: false, message: key.message, wrong: 'key' };
  const clients = new Map<ApiVersion, ClerkClient>();
  const connection: CliConnection = {
    apiUrl: url.url,
    key: key.key,
    production: key.environment === 'live',
    client(apiVersion) {
      let client = clients.get(apiVersion);
      if (!client) {
        client = new ClerkClient({
          apiUrl: url.url,
          secretKey: key.key,
          apiVersion,
          userAgent: CLI_USER_AGENT,
          timeoutMs: options.timeoutMs,
        });
        clients.set(apiVersion, client);
      }
      return client;
    },
  };
  return { ok: true, connection };
}

/**
 * The connection as the run engine asks for it (the instance named by its API URL, the key kept out of
 * messages).
 */
export function engineConnection(c: CliConnection): (apiVersion: ApiVersion) => Promise<Connection> {
  return async (apiVersion) => ({
    ok: true,
    client: c.client(apiVersion),
    instance: { name: c.apiUrl, apiUrl: c.apiUrl, production: c.production },
    secrets: [c.key],
    keyFingerprint: keyFingerprint(c.key),
  });
}
