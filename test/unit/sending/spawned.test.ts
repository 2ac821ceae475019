// Runs the bundled CLI (`node dist/cli.js`) and the bundled fake (`node dist/fake-clerk.js`) as real
// processes.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_USER_IDS } from '../../../src/fake/seed';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY } from '../../../src/fake/server';
import type { FakeRequestRecord } from '../../../src/fake/server';
import { type SpawnedRun, spawnCli } from '../../support/cli';
import { bundle } from '../../support/dist';

type Run = SpawnedRun;
let cli = '';

/** Run a command with stdin left open (a pipe that is never written or closed): it must not wait on it. */
function run(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return spawnCli(cli, args, { cwd, env, timeoutMs: 15_000 });
}

describe('spawned node dist/cli.js against spawned node dist/fake-clerk.js', () => {
  let fake: ChildProcess;
  let url = '';
  let dir = '';
  const outputs: string[] = [];

  before(async () => {
    cli = bundle('cli.js');
    dir = mkdtempSync(join(tmpdir(), 'cuu-spawn-'));
    fake = spawn(process.execPath, [bundle('fake-clerk.js'), '--port', '0', '--seed', 'demo', '--quiet'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      fake.stdout?.on('data', (d: Buffer) => {
        buffer += d.toString();
        const line = buffer.split('\n')[0];
        if (buffer.includes('\n')) resolve(line.trim());
      });
      fake.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
    });
  });

  after(async () => {
    if (fake.exitCode === null) {
      const exited = new Promise((resolve) => fake.once('exit', resolve));
      fake.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
    const all = outputs.join('\n');
    assert.ok(!all.includes(FAKE_TEST_KEY) && !all.includes(FAKE_LIVE_KEY), 'no key in any CLI output');
  });

  it('sends, and the fake records the PATCH', async () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    writeFileSync(
      join(dir, 'ada.userupdate.json'),
      `{\n  "$user_id": "${DEMO_USER_IDS.ada}",\n  "first_name": "Augusta Ada"\n}\n`,
    );
    const r = await run(
      ['send', '--api-url', url, 'ada.userupdate.json'],
      { CLERK_SECRET_KEY: FAKE_TEST_KEY },
      dir,
    );
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Updated Augusta Ada Lovelace \(user_2xhFjEI5X2qWRvtV13BzSj8H6Dk\): first_name\./);
    const log = (await (await fetch(`${url}/__fake/requests`)).json()) as FakeRequestRecord[];
    const patch = log.filter((q) => q.method === 'PATCH');
    assert.equal(patch.length, 1);
    assert.equal(patch[0].body, `{\n  "first_name": "Augusta Ada"\n}\n`);
    assert.equal(patch[0].headers.authorization, '[redacted]');
    process.stdout.write(
      `# spawned CLI send: ${Math.round(r.ms)} ms wall (process start included); fake handled the PATCH in ${patch[0].handlingMs} ms\n`,
    );
  });

  it('refuses a live key without --yes and never waits on a non-TTY stdin', async () => {
    const r = await run(
      ['send', '--api-url', url, 'ada.userupdate.json'],
      { CLERK_SECRET_KEY: FAKE_LIVE_KEY },
      dir,
    );
    outputs.push(r.stdout, r.stderr);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /production key\. Pass --yes/);
  });

  it('dry-run prints with the key redacted; pull output passes validate', async () => {
    const dry = await run(
      ['send', '--dry-run', '--api-url', url, 'ada.userupdate.json'],
      { CLERK_SECRET_KEY: FAKE_TEST_KEY },
      dir,
    );
    outputs.push(dry.stdout, dry.stderr);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Authorization: Bearer \[redacted sk_test_… key\]/);
    const pull = await run(
      ['pull', '--api-url', url, DEMO_USER_IDS.katherine],
      { CLERK_SECRET_KEY: FAKE_TEST_KEY },
      dir,
    );
    outputs.push(pull.stdout, pull.stderr);
    assert.equal(pull.code, 0, pull.stderr);
    writeFileSync(join(dir, 'kjohnson.userupdate.json'), pull.stdout);
    const validate = await run(['validate', 'kjohnson.userupdate.json'], {}, dir);
    assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  });
});
