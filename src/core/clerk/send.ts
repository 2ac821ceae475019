import type { PlannedRequest } from '../payload/plan';
import type { ClerkClient } from './client';
import type { ClerkFailure, ClerkResult } from './errors';
import { type RateLimitOptions, withRateLimitRetry } from './ratelimit';
import type { ClerkUser } from './types';

/** The outcome of one planned request. */
export interface SendStep {
  request: PlannedRequest;
  result: ClerkResult<ClerkUser>;
  /** How many times it was sent (more than 1 only after 429s). */
  tries: number;
}

/** The outcome of a whole send (`PATCH`, then `PUT …/metadata` under 2026-05-12). */
export interface SendOutcome {
  ok: boolean;
  /** The steps that were sent, in order. */
  steps: SendStep[];
  /** Requests not sent because an earlier step failed. */
  skipped: PlannedRequest[];
  /** The user as returned by the last successful step. */
  user?: ClerkUser;
  /** The first failure, if any. */
  failure?: ClerkFailure;
  /** Total time in ms, waits included. */
  durationMs: number;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** 429 handling; `onWait` lets the caller show the wait. */
  rateLimit?: Omit<RateLimitOptions, 'signal'>;
  /** Called before each step is sent (first try). */
  onStep?: (request: PlannedRequest, index: number, total: number) => void;
}

/**
 * Send a plan in order. A failed step stops the send: the following steps are not sent (listed
 * in `skipped`). Only 429 answers are retried, as `withRateLimitRetry` allows.
 */
export async function sendPlan(
  client: ClerkClient,
  plan: PlannedRequest[],
  userId: string,
  options: SendOptions = {},
): Promise<SendOutcome> {
  const started = performance.now();
  const steps: SendStep[] = [];
  const outcome = (extra: Partial<SendOutcome>): SendOutcome => ({
    ok: false,
    steps,
    skipped: plan.slice(steps.length),
    durationMs: Math.round(performance.now() - started),
    ...extra,
  });
  let user: ClerkUser | undefined;
  for (let i = 0; i < plan.length; i++) {
    const request = plan[i];
    options.onStep?.(request, i, plan.length);
    let tries = 0;
    const result = await withRateLimitRetry<ClerkUser>(
      () => {
        tries++;
        return client.send(request, userId, { signal: options.signal });
      },
      { ...options.rateLimit, signal: options.signal },
    );
    steps.push({ request, result, tries });
    if (!result.ok) return outcome({ failure: result, user });
    user = result.data;
  }
  return outcome({ ok: true, user });
}
