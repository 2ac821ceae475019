import type { Result } from '../result';
import type { ClerkClient } from './client';

/** The Clerk instance a send goes to, as the adapters know it (never the key). */
export interface Instance {
  /** The environment's name in the editor, the API URL in the CLI. */
  name: string;
  apiUrl: string;
  /** True for an `sk_live_` key: every write asks first (see production.ts). */
  production: boolean;
}

/** A client for the document's API version, or why there is none (no key, a bad URL…). */
export type Connection = Result<
  {
    client: ClerkClient;
    instance: Instance;
    /** e.g. the key, to keep out of messages. */
    secrets?: string[];
    /**
     * A fingerprint of the key (a truncated SHA-256, never the key): a journal resumes only with the key it
     * began with.
     */
    keyFingerprint?: string;
  },
  { problem: string; message: string }
>;
