// Entry of the dry run's reference (started by bench/run.mjs): the least a dry run of a bulk file must do,
// with none of our code but two sizes. It reads the file's `$user_id`s line by line and looks up their users
// with Node's fetch, in requests of the dry run's size and as many at once, each answer parsed:
// node lookups-child.js FILE URL (CLERK_SECRET_KEY from the environment)
// Prints one JSON line: the users found, the wall time, and how far the resident set grew above what it was
// before (as bulk-child.ts measures a command).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { LOOKUPS_IN_FLIGHT } from '../src/core/bulk/run/planPass';
import { VALUES_PER_REQUEST } from '../src/core/bulk/run/targets';

const [file, url] = process.argv.slice(2);
const key = process.env.CLERK_SECRET_KEY ?? '';
const rssBefore = process.memoryUsage().rss;
const started = performance.now();

async function lookUp(ids: string[]): Promise<number> {
  const query = ids.map((id) => `user_id=${encodeURIComponent(id)}`).join('&');
  const response = await fetch(`${url}/v1/users?limit=${ids.length}&${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (!response.ok) throw new Error(`GET /v1/users: ${response.status}`);
  const users = JSON.parse(await response.text()) as unknown[];
  if (users.length !== ids.length) throw new Error(`GET /v1/users: ${users.length} of ${ids.length} users`);
  return users.length;
}

async function main(): Promise<number> {
  let found = 0;
  const inFlight = new Set<Promise<void>>();
  const send = async (ids: string[]): Promise<void> => {
    while (inFlight.size >= LOOKUPS_IN_FLIGHT) await Promise.race(inFlight);
    const request: Promise<void> = lookUp(ids).then((n) => {
      found += n;
      inFlight.delete(request);
    });
    inFlight.add(request);
  };
  let batch: string[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line === '') continue;
    batch.push((JSON.parse(line) as { $user_id: string }).$user_id);
    if (batch.length === VALUES_PER_REQUEST) {
      await send(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await send(batch);
  await Promise.all(inFlight);
  return found;
}

void main().then((users) => {
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(
    JSON.stringify({
      users,
      wall_ms: performance.now() - started,
      rss_growth_mb: (maxRss - rssBefore) / 2 ** 20,
    }) + '\n',
  );
});
