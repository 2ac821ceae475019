/** Time as the pacer sees it: a port, so that tests run on a fake clock and never wait. */
export interface Clock {
  /** Milliseconds, never going back. */
  now(): number;
  /** Calls `fn` once after `ms`; the function returned cancels it. */
  timer(ms: number, fn: () => void): () => void;
  /** Milliseconds since the epoch (the journal's request times, read again by another process). */
  epochMs?(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  timer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  },
};
