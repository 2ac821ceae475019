/** A request rate: at most `limit` requests in any window of `windowMs`. */
export interface Rate {
  limit: number;
  windowMs: number;
}

/**
 * Clerk's instance limits: 1,000 per 10 s in production (`sk_live_`), 100 per 10 s in development
 * (`sk_test_`).
 */
export const PRODUCTION_RATE: Rate = { limit: 1000, windowMs: 10_000 };
export const DEVELOPMENT_RATE: Rate = { limit: 100, windowMs: 10_000 };
/** Clerk's limit on writes to one user (PATCH user, the metadata endpoints). */
export const PER_USER_WRITE_RATE: Rate = { limit: 10, windowMs: 10_000 };

/** The documented limit of the instance a key belongs to. */
export function instanceRate(production: boolean): Rate {
  return production ? PRODUCTION_RATE : DEVELOPMENT_RATE;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

/**
 * `N/10s`, `1000/1s`, `50/500ms`, `N/1m` (a bare unit means 1 of it: `100/s`), for instances with
 * custom limits and for benchmarks. The message names what is wrong.
 */
export function parseRate(text: string): { ok: true; rate: Rate } | { ok: false; message: string } {
  const m = /^\s*(\d+)\s*\/\s*(\d+(?:\.\d+)?)?\s*(ms|s|m)\s*$/.exec(text);
  if (!m)
    return {
      ok: false,
      message: `'${text.slice(0, 40)}' is not a rate: write it as requests per window, e.g. '100/10s' or '1000/1s'.`,
    };
  const limit = Number(m[1]);
  const windowMs = (m[2] === undefined ? 1 : Number(m[2])) * UNITS[m[3]];
  if (limit < 1) return { ok: false, message: 'The rate must allow at least 1 request per window.' };
  if (!(windowMs >= 1)) return { ok: false, message: 'The rate window must be at least 1 ms.' };
  return { ok: true, rate: { limit, windowMs } };
}

/** "100/10s". */
export function formatRate(rate: Rate): string {
  const w = rate.windowMs;
  return `${rate.limit}/${w % 1000 === 0 ? `${w / 1000}s` : `${w}ms`}`;
}
