// The side-by-side bulk runs of `npm run bench` (docs/performance.md, "Against migration-tool's pacing"): our
// CLI and a model of clerk/migration-tool's pacing against the same fake Clerk (its instance limit on,
// latency 50-150 ms), at Clerk's development and production limits, and a run of ours SIGKILLed and resumed.
//
// The model is written from what migration-tool does, not from its code: a pool of concurrent requests of
// 95 % of the per-second limit (95 in flight at 1,000/10 s, 9 at 100/10 s), one write per row and no lookup,
// and on a 429 the row waits for the answer's Retry-After (seconds) and goes again, up to 5 times.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

/** Every user of the fake (id, external id, first email), read before the limit is set. */
export async function allUsers(url, key) {
  const users = [];
  for (let offset = 0; ; offset += 500) {
    const response = await fetch(`${url}/v1/users?limit=500&offset=${offset}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (!response.ok) throw new Error(`GET /v1/users: ${response.status}`);
    const page = await response.json();
    for (const u of page)
      users.push({ id: u.id, external_id: u.external_id, email: u.email_addresses[0]?.email_address });
    if (page.length < 500) return users;
  }
}

/**
 * A bulk file whose rows name their users by `$user_id`, `$external_id` and `$email` in turn (external id
 * when the user has one).
 */
export function mixedFile(dir, users, tag) {
  const file = join(dir, `${tag}.userupdates.jsonl`);
  const lines = users.map((u, i) => {
    const target =
      i % 3 === 0 || !u.email
        ? { $user_id: u.id }
        : i % 3 === 1 && u.external_id
          ? { $external_id: u.external_id }
          : { $email: u.email };
    return JSON.stringify({ ...target, first_name: `${tag} ${i}` });
  });
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The model of migration-tool's pacing: `concurrency` requests in flight, Retry-After on a 429. */
export function migrationModel({ url, key, users, concurrency, tag, maxRetries = 5 }) {
  const started = performance.now();
  let next = 0;
  let requests = 0;
  let rateLimited = 0;
  let failed = 0;
  return new Promise((resolve) => {
    let active = 0;
    const finish = () =>
      resolve({
        wall_ms: performance.now() - started,
        requests,
        rate_limited: rateLimited,
        failed,
        concurrency,
      });
    const start = () => {
      while (active < concurrency && next < users.length) {
        const i = next++;
        active++;
        attempt(i, 0);
      }
      if (active === 0 && next >= users.length) finish();
    };
    const attempt = (i, tries) => {
      requests++;
      fetch(`${url}/v1/users/${users[i].id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ first_name: `${tag} ${i}` }),
      })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status === 429 && tries < maxRetries) {
            rateLimited++;
            const seconds = Number(response.headers.get('retry-after') ?? 10);
            setTimeout(() => attempt(i, tries + 1), seconds * 1000);
            return;
          }
          if (response.status === 429) rateLimited++;
          if (!response.ok) failed++;
          active--;
          start();
        })
        .catch(() => {
          failed++;
          active--;
          start();
        });
    };
    start();
  });
}

/**
 * `node cli.js send FILE` killed (SIGKILL) `killAtMs[i]` ms after the i-th process started, each time run
 * again, then once more to the end: the wall time of all the processes together.
 */
export async function killAndResume({ cli, file, url, env, cwd, killAtMs }) {
  let total = 0;
  const runs = [];
  for (const at of [...killAtMs, undefined]) {
    const t = performance.now();
    const child = spawn(
      process.execPath,
      [cli, 'send', file, '--api-url', url, '--yes', '--format', 'json'],
      { cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => out.push(d));
    const timer = at === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), at);
    const { code, signal } = await new Promise((resolve) =>
      child.once('close', (c, s) => resolve({ code: c, signal: s })),
    );
    clearTimeout(timer);
    const wall = performance.now() - t;
    total += wall;
    runs.push({ wall_ms: wall, code, signal });
    if (at === undefined && code !== 0)
      throw new Error(`the resumed run exited ${code}: ${Buffer.concat(out).toString().slice(-1500)}`);
    if (at !== undefined && signal !== 'SIGKILL')
      throw new Error(`the run ended before its kill at ${at} ms (exit ${code})`);
  }
  return { total_ms: total, runs };
}
