// Start and stop the fake Clerk on an ephemeral loopback port, for tests.
import {
  type FakeClerk,
  type FakeClerkOptions,
  FAKE_LIVE_KEY,
  FAKE_TEST_KEY,
  startFakeClerk,
} from '../../src/fake/server';

export { FAKE_LIVE_KEY, FAKE_TEST_KEY };
export type { FakeClerk };

/** Start a fake on 127.0.0.1 with a free port (demo users unless `options.users` says otherwise). */
export function startFake(options: FakeClerkOptions = {}): Promise<FakeClerk> {
  return startFakeClerk({ port: 0, host: '127.0.0.1', ...options });
}

/** Run `fn` with a fresh fake, stopping it afterwards even when `fn` throws. */
export async function withFake<T>(
  fn: (fake: FakeClerk) => Promise<T>,
  options: FakeClerkOptions = {},
): Promise<T> {
  const fake = await startFake(options);
  try {
    return await fn(fake);
  } finally {
    await fake.stop();
  }
}

/** What `callFake` gives back: the status, the headers and the body parsed when it is JSON. */
export interface FakeAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * One raw request to the fake with the test key (`key: null` sends no Authorization) and
 * `Clerk-API-Version: 2026-05-12`; a `body` is sent as `application/json`.
 */
export async function callFake(
  fake: FakeClerk,
  method: string,
  path: string,
  options: { body?: string; key?: string | null; headers?: Record<string, string> } = {},
): Promise<FakeAnswer> {
  const key = options.key === undefined ? FAKE_TEST_KEY : options.key;
  const response = await fetch(fake.url + path, {
    method,
    body: options.body,
    headers: {
      ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
      'Clerk-API-Version': '2026-05-12',
      ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...options.headers,
    },
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return {
    status: response.status,
    headers: response.headers,
    json: text && isJson ? JSON.parse(text) : undefined,
  };
}

/** A write sent to the fake with the test key that the test can abort (its client goes away). */
export function abortableWrite(
  fake: FakeClerk,
  method: string,
  path: string,
  body: string,
): { abort(): Promise<void> } {
  const controller = new AbortController();
  const sent = fetch(fake.url + path, {
    method,
    headers: { Authorization: `Bearer ${FAKE_TEST_KEY}`, 'Content-Type': 'application/json' },
    body,
    signal: controller.signal,
  }).catch((error: unknown) => error);
  return {
    async abort() {
      controller.abort();
      await sent;
    },
  };
}
