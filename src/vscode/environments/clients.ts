import { ClerkClient, ClerkConfigError } from '../../core/clerk/client';
import { redactSecrets } from '../../core/redact';
import type { Result } from '../../core/result';
import type { Connection } from '../../core/clerk/instance';
import type { ApiVersion } from '../../core/versions';
import type { EnvironmentStore, ResolvedEnvironment } from './environments';
import type { Settings } from '../settings';
import { keyFingerprint } from '../../node/keyFingerprint';

/** A client for the active environment, or why there is none; the environment either way. */
export type ActiveClient = Result<
  { client: ClerkClient; environment: ResolvedEnvironment },
  { problem: 'no-key' | 'blocked'; message: string; environment: ResolvedEnvironment }
>;

export interface ClientFactory {
  /** A client for the active environment, or why there is none (no key, bad key, bad URL). */
  forActive(apiVersion: ApiVersion): Promise<ActiveClient>;
}

export function clientFactory(
  environments: EnvironmentStore,
  settings: () => Settings,
  userAgent: string,
): ClientFactory {
  return {
    async forActive(apiVersion) {
      const environment = await environments.resolveActive();
      if (!environment.key) {
        return {
          ok: false,
          problem: 'no-key',
          environment,
          message: `No secret key is set for the environment "${environment.name}". Run "Clerk: Set Secret Key…" or set CLERK_SECRET_KEY.`,
        };
      }
      try {
        const client = new ClerkClient({
          apiUrl: environment.apiUrl,
          secretKey: environment.key,
          apiVersion,
          userAgent,
          timeoutMs: settings().requestTimeoutMs,
        });
        return { ok: true, client, environment };
      } catch (error) {
        const message = error instanceof ClerkConfigError ? error.message : 'The environment is not usable.';
        return {
          ok: false,
          problem: 'blocked',
          environment,
          message: redactSecrets(message, [environment.key]),
        };
      }
    },
  };
}

/**
 * The use cases' `connect` port on the active environment: its client, the instance as the core
 * knows it (never the key) and the key to keep out of messages; `seen` is told the environment.
 */
export function connector(
  clients: ClientFactory,
  seen: (environment: ResolvedEnvironment) => void,
): (apiVersion: ApiVersion) => Promise<Connection> {
  return async (apiVersion) => {
    const made = await clients.forActive(apiVersion);
    seen(made.environment);
    if (!made.ok) return made;
    const { name, apiUrl, production, key } = made.environment;
    const fingerprint = key ? keyFingerprint(key) : undefined;
    return {
      ok: true,
      client: made.client,
      instance: { name, apiUrl, production },
      secrets: key ? [key] : [],
      keyFingerprint: fingerprint,
    };
  };
}
