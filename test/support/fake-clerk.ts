// Start and stop the fake Clerk on an ephemeral loopback port, for tests.
import { type FakeClerk, type FakeClerkOptions, FAKE_LIVE_KEY, FAKE_TEST_KEY, startFakeClerk } from '../../src/fake/server';

export { FAKE_LIVE_KEY, FAKE_TEST_KEY };
export type { FakeClerk };

/** Start a fake on 127.0.0.1 with a free port (demo users unless `options.users` says otherwise). */
export function startFake(options: FakeClerkOptions = {}): Promise<FakeClerk> {
  return startFakeClerk({ port: 0, host: '127.0.0.1', ...options });
}

/** Run `fn` with a fresh fake, stopping it afterwards even when `fn` throws. */
export async function withFake<T>(fn: (fake: FakeClerk) => Promise<T>, options: FakeClerkOptions = {}): Promise<T> {
  const fake = await startFake(options);
  try {
    return await fn(fake);
  } finally {
    await fake.stop();
  }
}
