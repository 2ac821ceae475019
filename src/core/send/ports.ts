import type { ClerkClient } from '../clerk/client';
import type { RateLimitWait } from '../clerk/ratelimit';
import type { ClerkUser } from '../clerk/types';
import type { ProductionConfirmation } from './production';

/** What a send asks the person sending before it goes on. */
export type Confirmation =
  | { kind: 'warnings'; /** "line 4: …", one per warning. */ warnings: string[] }
  | { kind: 'production'; confirmation: ProductionConfirmation }
  /**
   * A run in replace mode would remove metadata keys users have now: each key path with how many users lose
   * it.
   */
  | { kind: 'dropped-keys'; keys: Array<{ path: string; users: number }>; users: number };

/**
 * What the send use case needs from its adapter (the editor, the CLI, undo, the bulk runner).
 * Every port is optional except `confirm`; none of them may throw.
 */
export interface SendPorts {
  /** Ask; resolves true to go on. */
  confirm(question: Confirmation): Promise<boolean>;
  /** A short status for long steps: "reading the user…", "PATCH /v1/users/… (1 of 2)…". */
  progress?(message: string): void;
  /** Told before each wait after a 429 (the send goes on by itself after it). */
  rateLimited?(wait: RateLimitWait): void;
  /** One line for the log. Lines never hold the key or secret values. */
  log?(level: 'info' | 'warn' | 'error', line: string): void;
  /** Choose the target user when the document names none. Absent: such documents are not sent. */
  pickUser?(client: ClerkClient, signal: AbortSignal | undefined): Promise<ClerkUser | undefined>;
  /** Aborting it cancels the send (reads, waits and requests). */
  signal?: AbortSignal;
}
