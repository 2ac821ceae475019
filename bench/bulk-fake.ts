// A fake Clerk with N generated users in its own process, for bench/bulk.ts (so that the run's
// memory is measured without the fake's). Prints its URL, then waits for SIGTERM.
import { startFakeClerk } from '../src/fake/server';

const count = Number(process.argv[2] ?? 1000);
void (async () => {
  const users = Array.from({ length: count }, (_, i) => ({
    id: `user_bench${i}`,
    external_id: `ext-${i}`,
    emails: [`bench${i}@example.com`],
    first_name: `B${i}`,
  }));
  const fake = await startFakeClerk({ port: 0, users, rateLimit: { max: 10, windowMs: 10_000 } });
  process.stdout.write(`${fake.url}\n`);
  process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
})();
