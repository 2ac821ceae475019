// The side-by-side bulk runs of `npm run bench` (docs/performance.md, "Against migration-tool's pacing"): our
// CLI and models of clerk/migration-tool's pacing against the same fake Clerk (its instance limit on,
// latency 50-150 ms), at Clerk's development and production limits, and a run of ours SIGKILLed and resumed.
//
// `migrationTool` is migration-tool's pacing as its code has it (clerk/migration-tool at bbf7558, the same
// since d382107 of 2026-01-22): `src/envs-constants.ts` sets the concurrency to max(1, floor(requests per
// second × 0.095)), 9 at 1,000/10 s and 1 at 100/10 s, one p-limit shared by every request; in
// `src/migrate/import-users.ts` a 429 releases its slot, waits `RETRY_DELAY_MS` (10 s) and queues the row
// again (p-limit's queue is first in, first out), up to `MAX_RETRIES` (5) times. It reads the wait from
// `errors[0].meta.retryAfter`, which Clerk's SDK never sets (it parses `Retry-After` into the error's own
// `retryAfter`), so every wait is the 10 s. Every row is queued at once.
//
// `retryAfterBurst` is the pacing this bench modelled first (the tool's formula before d382107,
// floor(requests per second × 0.95)): 95 in flight at 1,000/10 s and 9 at 100/10 s, and a row answered 429
// keeps its slot, waits the answer's `Retry-After` and goes again, up to 5 times. Against a sliding window it
// is about the fastest a client that sends through 429s can be.
//
// Both write each row's user by its id (one PATCH a row, no lookup).
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

/** Requests per second at `limit` per `windowMs`. */
const perSecond = (limit, windowMs) => limit / (windowMs / 1000);

/** migration-tool's pacing as its code has it (above), at `limit` requests per `windowMs`. */
export function migrationTool(limit, windowMs) {
  // RETRY_DELAY_MS is Clerk's window; a run at a scaled window scales it alike.
  const retryDelayMs = 10_000 * (windowMs / 10_000);
  return {
    concurrency: Math.max(1, Math.floor(perSecond(limit, windowMs) * 0.095)),
    waitMs: () => retryDelayMs,
    keepsSlot: false,
  };
}

/** The pacing modelled first (above): 95 % of the per-second limit in flight, `Retry-After` honoured. */
export function retryAfterBurst(limit, windowMs) {
  return {
    concurrency: Math.max(1, Math.floor(perSecond(limit, windowMs) * 0.95)),
    waitMs: (response) => Number(response.headers.get('retry-after') ?? 10) * 1000,
    keepsSlot: true,
  };
}

/**
 * A pacing's run: one PATCH a user, `concurrency` at a time, rows taken first in, first out; a 429 waits
 * `waitMs(answer)` (holding its slot when `keepsSlot`, else queued again at the end after the wait), up to 5
 * times.
 */
export function writeEveryUser({ url, key, users, tag }, { concurrency, waitMs, keepsSlot, maxRetries = 5 }) {
  const started = performance.now();
  const queue = users.map((_, i) => ({ i, tries: 0 }));
  let head = 0;
  let active = 0;
  let waiting = 0;
  let requests = 0;
  let rateLimited = 0;
  let failed = 0;
  return new Promise((resolve) => {
    const pump = () => {
      while (active < concurrency && head < queue.length) {
        const { i, tries } = queue[head++];
        active++;
        attempt(i, tries);
      }
      if (active === 0 && waiting === 0 && head >= queue.length)
        resolve({
          wall_ms: performance.now() - started,
          requests,
          rate_limited: rateLimited,
          failed,
          concurrency,
        });
    };
    const done = (ok) => {
      if (!ok) failed++;
      active--;
      pump();
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
          if (response.status !== 429) return done(response.ok);
          rateLimited++;
          if (tries >= maxRetries) return done(false);
          const wait = waitMs(response);
          if (keepsSlot) return void setTimeout(() => attempt(i, tries + 1), wait);
          active--;
          waiting++;
          setTimeout(() => {
            waiting--;
            queue.push({ i, tries: tries + 1 });
            pump();
          }, wait);
          pump();
        })
        .catch(() => done(false));
    };
    pump();
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
