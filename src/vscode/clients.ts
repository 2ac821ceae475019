import { ClerkClient, ClerkConfigError } from '../core/clerk/client';
import { redactSecrets } from '../core/redact';
import type { ApiVersion } from '../core/versions';
import type { EnvironmentStore, ResolvedEnvironment } from './environments';
import type { Settings } from './settings';

export interface ClientFactory {
  /** A client for the active environment, or why there is none (no key, bad key, bad URL). */
  forActive(apiVersion: ApiVersion): Promise<{ client: ClerkClient; environment: ResolvedEnvironment } | { problem: 'no-key' | 'blocked'; message: string; environment: ResolvedEnvironment }>;
}

export function clientFactory(environments: EnvironmentStore, settings: () => Settings, userAgent: string): ClientFactory {
  return {
    async forActive(apiVersion) {
      const environment = await environments.resolveActive();
      if (!environment.key) {
        return {
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
        return { client, environment };
      } catch (error) {
        const message = error instanceof ClerkConfigError ? error.message : 'The environment is not usable.';
        return { problem: 'blocked', environment, message: redactSecrets(message, [environment.key]) };
      }
    },
  };
}
