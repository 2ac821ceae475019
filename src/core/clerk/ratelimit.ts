import type { ClerkFailure, ClerkResult } from './errors';

/** How 429 answers are retried. Nothing else is ever retried automatically. */
export interface RateLimitPolicy {
  /** Total tries including the first (default 3). */
  maxTries: number;
  /** Wait when a 429 has no usable `Retry-After` (default 5 s; Clerk's window is 10 s). */
  defaultWaitSeconds: number;
  /** Longer waits than this are not done; the 429 is returned instead (default 60 s). */
  maxWaitSeconds: number;
}

export const DEFAULT_RATE_LIMIT_POLICY: RateLimitPolicy = {
  maxTries: 3,
  defaultWaitSeconds: 5,
  maxWaitSeconds: 60,
};

/** Told to the caller before each wait, so it can show it ("Rate limited, retrying in 3 s (try 2 of 3)…"). */
export interface RateLimitWait {
  /** The try that will follow the wait (2 for the first retry). */
  nextTry: number;
  maxTries: number;
  waitSeconds: number;
  /** True when Clerk sent `Retry-After`; false when the default wait is used. */
  fromRetryAfter: boolean;
  failure: ClerkFailure;
}

export interface RateLimitOptions {
  policy?: Partial<RateLimitPolicy>;
  /** Cancels the waiting (the pending result is returned as `cancelled`). */
  signal?: AbortSignal;
  /** Called before each wait. May be async; the wait starts after it resolves. */
  onWait?: (wait: RateLimitWait) => void | Promise<void>;
  /** Injectable for tests: resolves after `ms`, or rejects/resolves early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Run `attempt` and, while it answers 429, wait (`Retry-After`, else the default) and run it
 * again, at most `maxTries` times in total. A 429 means Clerk did not apply the request, so
 * repeating it is safe; every other outcome is returned as is.
 */
export async function withRateLimitRetry<T>(
  attempt: (tryNumber: number) => Promise<ClerkResult<T>>,
  options: RateLimitOptions = {},
): Promise<ClerkResult<T>> {
  const policy = { ...DEFAULT_RATE_LIMIT_POLICY, ...options.policy };
  const sleep = options.sleep ?? abortableSleep;
  let result = await attempt(1);
  for (let tryNumber = 2; tryNumber <= policy.maxTries; tryNumber++) {
    if (result.ok || result.kind !== 'rate-limited') return result;
    const fromRetryAfter = result.retryAfterSeconds !== undefined;
    const waitSeconds = fromRetryAfter
      ? Math.max(0, result.retryAfterSeconds ?? 0)
      : policy.defaultWaitSeconds * 2 ** (tryNumber - 2);
    if (waitSeconds > policy.maxWaitSeconds) {
      return {
        ...result,
        message: `${result.message} Clerk asks to wait ${waitSeconds} s, which is longer than ${policy.maxWaitSeconds} s; try again later.`,
      };
    }
    await options.onWait?.({
      nextTry: tryNumber,
      maxTries: policy.maxTries,
      waitSeconds,
      fromRetryAfter,
      failure: result,
    });
    if (options.signal?.aborted) return cancelledDuringWait(result);
    await sleep(waitSeconds * 1000, options.signal);
    if (options.signal?.aborted) return cancelledDuringWait(result);
    result = await attempt(tryNumber);
  }
  if (!result.ok && result.kind === 'rate-limited' && policy.maxTries > 1) {
    return { ...result, message: `${result.message} Gave up after ${policy.maxTries} tries.` };
  }
  return result;
}

function cancelledDuringWait(last: ClerkFailure): ClerkFailure {
  return {
    ...last,
    kind: 'cancelled',
    notApplied: true,
    message: 'Cancelled while waiting to retry after a 429; nothing was applied.',
  };
}
