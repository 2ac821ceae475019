// `node dist/fake-clerk.js [--port N] [--host H] [--seed demo|none] [--key sk_test_…]... [--quiet]`
// Prints the base URL on the first line of stdout, then one line per request on stderr.
// Control routes (no auth, loopback only): GET|DELETE /__fake/requests, POST|DELETE /__fake/faults,
// POST /__fake/clock {"advanceMs":N}, DELETE /__fake/rate-limits, POST /__fake/users, GET /__fake/users/{id}.
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, startFakeClerk } from './server';

export * from './server';

const USAGE = 'Usage: fake-clerk [--port N] [--host 127.0.0.1] [--seed demo|none] [--key sk_test_…]... [--quiet]\n';

async function run(argv: string[]): Promise<void> {
  let port = 0;
  let host = '127.0.0.1';
  let seed: 'demo' | 'none' = 'demo';
  let quiet = false;
  const keys: Array<{ key: string; label: string }> = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === '--port') port = Number(value());
    else if (flag === '--host') host = value();
    else if (flag === '--seed') {
      const s = value();
      if (s !== 'demo' && s !== 'none') throw new Error('--seed must be demo or none');
      seed = s;
    } else if (flag === '--key') keys.push({ key: value().trim(), label: `key${keys.length}` });
    else if (flag === '--quiet') quiet = true;
    else if (flag === '--help' || flag === '-h') {
      process.stdout.write(USAGE);
      return;
    } else throw new Error(`Unknown option ${flag}`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0–65535');
  const fake = await startFakeClerk({
    port,
    host,
    users: seed,
    keys: keys.length ? keys : [{ key: FAKE_TEST_KEY, label: 'test' }, { key: FAKE_LIVE_KEY, label: 'live' }],
    log: quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(`${fake.url}\n`);
  if (!quiet) process.stderr.write(`fake Clerk listening on ${fake.url} with ${fake.users.size} users\n`);
  const stop = (): void => {
    void fake.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`fake-clerk: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  });
}
