// The crash test of the bulk CLI: `node dist/cli.js send FILE` against the fake over
// loopback (latency on, the instance limit scaled up so that the run is short), SIGKILLed at 10
// moments while requests are in flight, then resumed to the end: the first kill as soon as the
// first PATCH arrived (nothing answered yet), the second while a row's metadata merge is in flight
// (its PATCH applied), the others after the k-th PATCH of that process arrived, k drawn from a
// fixed seed. Every user must end with exactly its intended values, and the fake's write counts
// must show no row applied twice. The same rows as CSV are killed 3 times only, to keep the unit
// layer quick (each kill costs a process and its first read).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../../src/fake/random';
import { bundle } from '../../support/dist';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { TEST_HOME } from '../../support/cli';

const SEED = 20261202;
const ROWS = 500;
const KILLS = { jsonl: 10, csv: 3 };
/** The most PATCHes a process may send before it is killed (drawn from 1 to this). */
const MOST_BEFORE_KILL = 30;
const RATE = { max: 2000, windowMs: 1000 };

interface Row {
  target: Record<string, string>;
  userId: string;
  /** What the row sets (an unchanged row repeats the user's value). */
  firstName: string;
  metadata?: Record<string, number>;
  unchanged: boolean;
}

/**
 * A mix of the three target kinds, every 25th row unchanged, every 5th also sending metadata (a PATCH then a
 * PUT).
 */
function plannedRows(variant: string): Row[] {
  return Array.from({ length: ROWS }, (_, i) => {
    const userId = `user_c${i}`;
    const target: Record<string, string> =
      i % 3 === 0
        ? { $user_id: userId }
        : i % 3 === 1
          ? { $external_id: `ext-c${i}` }
          : { $email: `c${i}@example.com` };
    const unchanged = i % 25 === 7;
    return {
      target,
      userId,
      firstName: unchanged ? `C${i}` : `${variant} ${i}`,
      metadata: !unchanged && i % 5 === 0 ? { run: i } : undefined,
      unchanged,
    };
  });
}

function jsonl(rows: Row[]): string {
  return (
    rows
      .map((r) =>
        JSON.stringify({
          ...r.target,
          first_name: r.firstName,
          ...(r.metadata ? { public_metadata: r.metadata } : {}),
        }),
      )
      .join('\n') + '\n'
  );
}

function csv(rows: Row[]): string {
  // A dotted column: each cell a merge of that one key.
  const lines = ['$user_id,$external_id,$email,first_name,public_metadata.run'];
  for (const r of rows) {
    const meta = r.metadata ? String(r.metadata.run) : '';
    lines.push(
      [r.target.$user_id ?? '', r.target.$external_id ?? '', r.target.$email ?? '', r.firstName, meta].join(
        ',',
      ),
    );
  }
  return lines.join('\n') + '\n';
}

describe(`the bulk CLI killed (SIGKILL) mid-run and resumed (seed ${SEED})`, () => {
  let fake: FakeClerk;
  let dir = '';
  let cli = '';
  before(async () => {
    cli = bundle('cli.js');
    fake = await startFake({
      users: 'none',
      latency: { minMs: 20, maxMs: 80, seed: SEED },
      instanceLimit: { test: RATE },
      recordBodies: false,
    });
    dir = mkdtempSync(join(tmpdir(), 'cuu-bulk-crash-'));
  });
  after(async () => {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `node dist/cli.js send FILE …`: the process, how it exited, and what it printed. */
  function start(file: string) {
    const child = spawn(
      process.execPath,
      [cli, 'send', file, '--api-url', fake.url, '--rate', `${RATE.max}/1s`, '--yes', '--format', 'json'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', HOME: TEST_HOME, CLERK_SECRET_KEY: FAKE_TEST_KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const waiting: Array<{ text: string; resolve(): void }> = [];
    const take = (d: Buffer): void => {
      output += d.toString();
      for (const w of waiting.splice(0))
        if (output.includes(w.text)) w.resolve();
        else waiting.push(w);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal })),
    );
    /** Resolves once the process has printed `text`. */
    const printed = (text: string): Promise<void> =>
      output.includes(text) ? Promise.resolve() : new Promise((resolve) => waiting.push({ text, resolve }));
    return { child, exited, output: () => output, printed };
  }

  for (const format of ['jsonl', 'csv'] as const) {
    it(`${format}: ${ROWS} rows ($user_id, $external_id, $email; some unchanged) killed ${KILLS[format]} times: every user ends with its values, no row applied twice`, async (t) => {
      const random = seededRandom(SEED + (format === 'csv' ? 1 : 0));
      const rows = plannedRows(format);
      fake.users.clear();
      fake.resetWrites();
      fake.resetRateLimits();
      for (let i = 0; i < ROWS; i++)
        fake.addUser({
          id: `user_c${i}`,
          external_id: `ext-c${i}`,
          emails: [`c${i}@example.com`],
          first_name: `C${i}`,
          last_name: 'Before',
          public_metadata: { keep: i },
        });
      const file = `crash.userupdates.${format}`;
      writeFileSync(join(dir, file), format === 'jsonl' ? jsonl(rows) : csv(rows));
      const context = (what: string): string => `${format}, seed ${SEED}: ${what}`;

      const kills: string[] = [];
      for (let kill = 1; kill <= KILLS[format]; kill++) {
        // Drawn for every kill, so that the seed gives the later kills the same moments.
        const drawn = 1 + Math.floor(random() * MOST_BEFORE_KILL);
        const k = kill === 1 ? 1 : drawn;
        const atMerge = kill === 2;
        // The log holds this process's requests only, so that the k-th PATCH is this process's.
        fake.requests.length = 0;
        const run = start(file);
        let patches = 0;
        const moment = atMerge ? 'its first metadata merge arrived' : `${k} of its PATCHes arrived`;
        const due = (r: { method: string; path: string }): boolean => {
          if (r.method === 'PATCH') patches++;
          return atMerge
            ? r.method === 'PATCH' && r.path.endsWith('/metadata')
            : r.method === 'PATCH' && patches >= k;
        };
        const arrived = fake.waitForArrival(due, 120_000).then(() => 'arrived' as const);
        const first = await Promise.race([arrived, run.exited.then(() => 'exited' as const)]);
        assert.equal(
          first,
          'arrived',
          context(`kill ${kill}: the run ended before ${moment}:\n${run.output()}`),
        );
        // That request is in the fake's latency: in flight.
        run.child.kill('SIGKILL');
        const { signal } = await run.exited;
        assert.equal(signal, 'SIGKILL', context(`kill ${kill}`));
        kills.push(atMerge ? `a metadata merge after ${patches} PATCHes` : `${patches} PATCHes`);
        t.diagnostic(
          `kill ${kill} of ${KILLS[format]}: once ${moment} (${patches} PATCHes from that process; ${fake.writes().arrived} writes arrived in all so far)`,
        );
      }

      const last = start(file);
      const { code } = await last.exited;
      assert.equal(code, 0, context(`the last run:\n${last.output()}`));
      const result = JSON.parse(last.output().trimEnd().split('\n').at(-1) ?? '{}') as {
        type: string;
        status: string;
        summary: { updated: number; unchanged: number; failed: number };
      };
      assert.equal(result.type, 'result');
      assert.equal(result.status, 'finished');
      const changed = rows.filter((r) => !r.unchanged).length;
      assert.deepEqual(
        [result.summary.updated, result.summary.unchanged, result.summary.failed],
        [changed, ROWS - changed, 0],
        context('summary'),
      );

      for (const r of rows) {
        const user = fake.users.get(r.userId);
        assert.equal(user?.first_name, r.firstName, context(`${r.userId}'s first_name`));
        assert.equal(user?.last_name, 'Before', context(`${r.userId}'s last_name`));
        // Merged: the key the run sets is there, and the key it does not give is kept.
        const keep = Number(r.userId.slice('user_c'.length));
        assert.deepEqual(
          user?.public_metadata,
          { keep, ...r.metadata },
          context(`${r.userId}'s public_metadata`),
        );
        const writes = fake.appliedWrites(r.userId);
        const patch = writes.byRoute['PATCH /v1/users/:user_id']?.applied ?? 0;
        const merge = writes.byRoute['PATCH /v1/users/:user_id/metadata']?.applied ?? 0;
        assert.deepEqual(
          [patch, merge],
          r.unchanged ? [0, 0] : [1, r.metadata ? 1 : 0],
          context(`${r.userId}: writes applied (PATCH, PATCH …/metadata)`),
        );
      }
      const summary = fake.writes();
      assert.deepEqual(summary.appliedMoreThanOnce, [], context('users a write applied more than once'));
      t.diagnostic(
        `seed ${SEED}: what arrived from each killed process: ${kills.join('; ')}; ${summary.arrived} writes arrived, ${summary.applied} applied (${summary.arrived - summary.applied} dropped by the kills and sent again)`,
      );
    });
  }

  it('a real Ctrl+C (SIGINT): the row in flight finishes, exit 130 with the command that resumes; a second one quits at once', async () => {
    fake.users.clear();
    fake.resetWrites();
    fake.requests.length = 0;
    for (let i = 0; i < 100; i++)
      fake.addUser({
        id: `user_c${i}`,
        external_id: `ext-c${i}`,
        emails: [`c${i}@example.com`],
        first_name: `C${i}`,
      });
    const file = 'sigint.userupdates.jsonl';
    writeFileSync(
      join(dir, file),
      Array.from({ length: 100 }, (_, i) =>
        JSON.stringify({ $user_id: `user_c${i}`, first_name: `Sigint ${i}` }),
      ).join('\n') + '\n',
    );

    const held = fake.hold({ method: 'PATCH', path: '/v1/users/user_c0' });
    const once = start(file);
    await held.arrived;
    once.child.kill('SIGINT');
    await once.printed('Stopping: no new row is sent');
    held.release();
    const first = await once.exited;
    assert.equal(first.code, 130, once.output());
    const result = JSON.parse(once.output().trimEnd().split('\n').at(-1) ?? '{}') as {
      status: string;
      resume: string;
    };
    assert.equal(result.status, 'cancelled');
    assert.equal(
      result.resume,
      `node ${cli} send ${file} --api-url ${fake.url} --rate ${RATE.max}/1s --yes --format json`,
    );
    assert.equal(fake.users.get('user_c0')?.first_name, 'Sigint 0', 'the request in flight was finished');

    const again = fake.hold({ method: 'PATCH', path: /^\/v1\/users\/user_c\d+$/ });
    const twice = start(file);
    await again.arrived;
    twice.child.kill('SIGINT');
    await twice.printed('Stopping: no new row is sent');
    twice.child.kill('SIGINT');
    const second = await twice.exited;
    assert.equal(second.code, 130, twice.output());
    assert.match(twice.output(), /"type":"interrupted","message":"Quit at once\. To resume, run: node /);
    again.release();

    const last = start(file);
    assert.equal((await last.exited).code, 0, last.output());
    for (let i = 0; i < 100; i++) assert.equal(fake.users.get(`user_c${i}`)?.first_name, `Sigint ${i}`);
    assert.deepEqual(fake.writes().appliedMoreThanOnce, []);
  });
});
