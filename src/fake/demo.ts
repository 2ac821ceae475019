import type { FakeClerkOptions } from './types';

/**
 * What the `npm start` demo and the README screenshots run the fake with: the demo users and 1,000
 * generated ones (the sample bulk files name some of them), and Clerk's instance-wide limits, so a
 * bulk run shows its pacing (100 requests per 10 s with the test key).
 */
export const DEMO_FAKE_OPTIONS = {
  users: { generate: 1000, seed: 7, base: 'demo' },
  instanceLimit: true,
} as const satisfies FakeClerkOptions;
