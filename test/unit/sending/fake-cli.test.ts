// The fake's command line (`node dist/fake-clerk.js`, here its compiled twin out/src/fake/main.js):
// flags parsed with parseArgs, errors exit 2, and a spawned fake configured by its flags.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseFakeArgs } from '../../../src/fake/main';
import { FAKE_TEST_KEY } from '../../support/fake-clerk';

const MAIN = join(__dirname, '..', '..', '..', 'src', 'fake', 'main.js');

/** Run the fake's main with `args` until it prints its URL (then `use` it and stop it) or exits. */
function runFake(
  args: string[],
  use?: (url: string) => Promise<void>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let started = false;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!started && use && stdout.includes('\n')) {
        started = true;
        use(stdout.split('\n')[0].trim()).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGTERM');
            reject(error);
          },
        );
      }
    });
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('fake Clerk command line', () => {
  it('parses every flag, --x=y and repeated --key included', () => {
    const options = parseFakeArgs([
      '--port=4010',
      '--seed',
      'none',
      '--users',
      '1000',
      '--users-seed=9',
      '--latency',
      '80-250',
      '--latency-seed',
      '3',
      '--instance-limit=test=10/1000,live=20/1000',
      '--user-limit',
      'off',
      '--no-record-bodies',
      '--max-records',
      '5000',
      '--key',
      'sk_test_a',
      '--key=sk_live_b',
      '--quiet',
    ]);
    assert.ok(options);
    const { log, ...rest } = options;
    assert.equal(log, undefined, '--quiet');
    assert.deepEqual(rest, {
      port: 4010,
      host: '127.0.0.1',
      users: { generate: 1000, seed: 9, base: 'none' },
      keys: [
        { key: 'sk_test_a', label: 'key0' },
        { key: 'sk_live_b', label: 'key1' },
      ],
      instanceLimit: { test: { max: 10, windowMs: 1000 }, live: { max: 20, windowMs: 1000 } },
      rateLimit: false,
      latency: { minMs: 80, maxMs: 250, seed: 3 },
      recordBodies: false,
      maxRecords: 5000,
    });
  });

  it("defaults to the demo users and Clerk's limits, instance-wide included", () => {
    const options = parseFakeArgs([])!;
    assert.deepEqual(
      [
        options.port,
        options.users,
        options.instanceLimit,
        options.rateLimit,
        options.latency,
        options.recordBodies,
      ],
      [0, 'demo', true, undefined, undefined, true],
    );
    assert.deepEqual(parseFakeArgs(['--instance-limit', '1000/1000'])!.instanceLimit, {
      test: { max: 1000, windowMs: 1000 },
      live: { max: 1000, windowMs: 1000 },
    });
    assert.equal(parseFakeArgs(['--instance-limit', 'off'])!.instanceLimit, false);
    assert.equal(parseFakeArgs(['--latency', '120'])!.latency, 120);
    assert.equal(parseFakeArgs(['--help']), undefined);
    assert.equal(parseFakeArgs(['-h']), undefined);
  });

  it('refuses unknown flags, bad values and arguments', () => {
    for (const args of [
      ['--bogus'],
      ['--port', '70000'],
      ['--port'],
      ['--seed', 'all'],
      ['--users', '-3'],
      ['--latency', '250-80'],
      ['--instance-limit', '0/1000'],
      ['--instance-limit', 'prod=1/1'],
      ['--user-limit', 'lots'],
      ['--', 'extra'],
      ['extra'],
      ['--quiet=yes'],
    ]) {
      assert.throws(() => parseFakeArgs(args), Error, args.join(' '));
    }
  });

  it('exits 2 with the usage on a bad flag, and 0 with it on --help', async () => {
    const bad = await runFake(['--port', 'abc']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^fake-clerk: --port must be 0–65535\nUsage: fake-clerk /);
    const help = await runFake(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: fake-clerk \[--port N\]/);
    assert.match(help.stdout, /--instance-limit/);
  });

  it('starts configured by its flags: generated users, latency, instance limit', async () => {
    const run = await runFake(
      ['--port', '0', '--quiet', '--users', '2000', '--latency', '1-3', '--instance-limit', '3/600000'],
      async (url) => {
        const config = await (await fetch(`${url}/__fake/config`)).json();
        assert.deepEqual(config.instanceLimit, {
          test: { max: 3, windowMs: 600_000 },
          live: { max: 3, windowMs: 600_000 },
        });
        assert.deepEqual(config.latency, { minMs: 1, maxMs: 3, seed: 1 });
        assert.equal(config.users, 2005);
        const statuses: number[] = [];
        for (let i = 0; i < 4; i++)
          statuses.push(
            (await fetch(`${url}/v1/users/count`, { headers: { Authorization: `Bearer ${FAKE_TEST_KEY}` } }))
              .status,
          );
        assert.deepEqual(statuses, [200, 200, 200, 429]);
      },
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^http:\/\/127\.0\.0\.1:\d+\n$/);
  });
});
