// `node dist/fake-clerk.js [options]` (see USAGE). Prints the base URL on the first line of stdout,
// then one line per request on stderr. Control routes (no auth, loopback only): see control.ts.
import { parseArgs } from 'node:util';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, startFakeClerk } from './server';
import type { FakeClerkOptions, FakeInstanceLimit, FakeLatency, FakeLimit } from './types';
import { errorMessage } from '../core/text/format';

export * from './server';

const USAGE = `Usage: fake-clerk [--port N] [--host 127.0.0.1] [--seed demo|none] [--key sk_test_…]... [--quiet]
                  [--users N] [--users-seed N] [--latency MS|MIN-MAX] [--latency-seed N]
                  [--instance-limit clerk|off|MAX/MS|test=MAX/MS,live=MAX/MS] [--user-limit clerk|off|MAX/MS]
                  [--no-record-bodies] [--max-records N]
  --seed            the demo users (default) or none; --users N adds N generated users (seeded by --users-seed, default 1)
  --latency         added to every API request: a constant, or uniform between MIN and MAX ms (seeded by --latency-seed)
  --instance-limit  every authenticated request, per key kind, sliding window (default clerk: 100/10000 test, 1000/10000 live)
  --user-limit      PATCH user and metadata, per user (default clerk: 10/10000)
  --no-record-bodies, --max-records  keep the request log small for long runs
`;

function integer(name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new Error(`--${name} must be an integer from ${min} to ${max}`);
  return n;
}

/** `MAX/MS`, e.g. `1000/1000`. */
function limit(name: string, text: string): FakeLimit {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1)
    throw new Error(`--${name} takes MAX/MS with both at least 1, e.g. 100/10000`);
  return { max: Number(m[1]), windowMs: Number(m[2]) };
}

function instanceLimit(text: string): boolean | FakeInstanceLimit {
  if (text === 'off') return false;
  if (text === 'clerk') return true;
  if (!text.includes('=')) {
    const both = limit('instance-limit', text);
    return { test: both, live: both };
  }
  const spec: FakeInstanceLimit = {};
  for (const part of text.split(',')) {
    const [kind, value] = part.split('=', 2);
    if (kind !== 'test' && kind !== 'live') throw new Error('--instance-limit takes test=MAX/MS,live=MAX/MS');
    spec[kind] = limit('instance-limit', value ?? '');
  }
  return spec;
}

function latency(text: string, seed: number): FakeLatency {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1])))
    throw new Error('--latency takes MS or MIN-MAX, e.g. 80-250');
  return m[2] === undefined ? Number(m[1]) : { minMs: Number(m[1]), maxMs: Number(m[2]), seed };
}

/** The options of `startFakeClerk` from the command line, or undefined for `--help`. */
export function parseFakeArgs(argv: string[]): FakeClerkOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      seed: { type: 'string', default: 'demo' },
      key: { type: 'string', multiple: true, default: [] },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      users: { type: 'string', default: '0' },
      'users-seed': { type: 'string', default: '1' },
      latency: { type: 'string' },
      'latency-seed': { type: 'string', default: '1' },
      'instance-limit': { type: 'string', default: 'clerk' },
      'user-limit': { type: 'string', default: 'clerk' },
      'no-record-bodies': { type: 'boolean', default: false },
      'max-records': { type: 'string' },
    },
  });
  if (values.help) return undefined;
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535) throw new Error('--port must be 0–65535');
  if (values.seed !== 'demo' && values.seed !== 'none') throw new Error('--seed must be demo or none');
  const keys = values.key.map((k, i) => ({ key: k.trim(), label: `key${i}` }));
  const generate = integer('users', values.users, 0);
  const userLimit = values['user-limit'];
  return {
    port,
    host: values.host,
    users:
      generate > 0
        ? { generate, seed: integer('users-seed', values['users-seed'], 0), base: values.seed }
        : values.seed,
    keys: keys.length
      ? keys
      : [
          { key: FAKE_TEST_KEY, label: 'test' },
          { key: FAKE_LIVE_KEY, label: 'live' },
        ],
    instanceLimit: instanceLimit(values['instance-limit']),
    rateLimit:
      userLimit === 'off' ? false : userLimit === 'clerk' ? undefined : limit('user-limit', userLimit),
    latency:
      values.latency === undefined
        ? undefined
        : latency(values.latency, integer('latency-seed', values['latency-seed'], 0)),
    recordBodies: !values['no-record-bodies'],
    maxRecords:
      values['max-records'] === undefined ? undefined : integer('max-records', values['max-records'], 1),
    log: values.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  };
}

async function run(argv: string[]): Promise<void> {
  const options = parseFakeArgs(argv);
  if (!options) {
    process.stdout.write(USAGE);
    return;
  }
  const fake = await startFakeClerk(options);
  process.stdout.write(`${fake.url}\n`);
  if (options.log)
    process.stderr.write(`fake Clerk listening on ${fake.url} with ${fake.users.size} users\n`);
  const stop = (): void => {
    void fake.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`fake-clerk: ${errorMessage(error)}\n${USAGE}`);
    process.exit(2);
  });
}
