// `history` and the changes `send` and `undo` record, in process against the fake Clerk.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { secretsIn } from '../../support/secrets';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import { cli, FAST } from '../bulk/cliHelpers';
import { seedUsers } from '../bulk/runHelpers';

describe('history (CLI)', () => {
  let fake: FakeClerk;
  let dir = '';
  let store = '';
  before(async () => {
    fake = await startFake({ users: 'none' });
    seedUsers(fake, 4);
    dir = mkdtempSync(join(tmpdir(), 'cuu-history-'));
    store = join(dir, 'store');
  });
  after(async () => {
    await fake.stop();
  });
  const history = async (...args: string[]) => {
    const r = await cli(['history', '--store', store, ...args], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    return r;
  };

  it('records a send, a bulk run and its undo, and lists them as JSON, newest first, with no key or secret value', async () => {
    writeFileSync(
      join(dir, 'one.userupdate.json'),
      JSON.stringify({
        $user_id: 'user_b0',
        first_name: 'Grace',
        password: 'Penguin-Distinct-Pa55-6612',
        skip_password_checks: true,
      }),
    );
    const sent = await cli(['send', '--api-url', fake.url, '--store', store, 'one.userupdate.json'], {
      cwd: dir,
    });
    assert.equal(sent.code, 0, sent.stderr);
    writeFileSync(
      join(dir, 'u.userupdates.jsonl'),
      `${JSON.stringify({ $user_id: 'user_b1', last_name: 'Run' })}\n${JSON.stringify({ $user_id: 'user_b2', last_name: 'Run' })}\n`,
    );
    assert.equal(
      (
        await cli(['send', '--api-url', fake.url, '--store', store, ...FAST, 'u.userupdates.jsonl'], {
          cwd: dir,
        })
      ).code,
      0,
    );
    assert.equal(
      (
        await cli(
          [
            'undo',
            '--api-url',
            fake.url,
            '--store',
            store,
            ...FAST,
            '.clerk-runs/u.userupdates.jsonl.journal.jsonl',
          ],
          { cwd: dir },
        )
      ).code,
      0,
    );

    const entries = JSON.parse((await history('--format', 'json')).stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      entries.map((e) => e.kind),
      ['undo', 'run', 'send'],
    );
    const send = entries[2];
    assert.deepEqual(Object.keys(send).slice(0, 8), [
      'id',
      'time',
      'environment',
      'user_id',
      'kind',
      'fields',
      'steps',
      'source',
    ]);
    assert.deepEqual(send.environment, { name: fake.url, api_url: fake.url });
    assert.equal(send.user_id, 'user_b0');
    // The CLI sends without reading the user first (as before this issue): its before-values are not known.
    assert.deepEqual(send.fields, {
      first_name: { before: 'B0', after: 'Grace' },
      password: { before: null, after: '(set)' },
    });
    const steps = send.steps as Array<Record<string, unknown>>;
    assert.equal(steps.length, 1);
    assert.deepEqual(
      { ...steps[0], trace_id: typeof steps[0].trace_id },
      { method: 'PATCH', path: '/v1/users/user_b0', status: 200, trace_id: 'string' },
    );
    assert.equal(send.source, join(dir, 'one.userupdate.json'));
    assert.equal(entries[1].journal, join(dir, '.clerk-runs', 'u.userupdates.jsonl.journal.jsonl'));
    assert.equal(entries[1].user_id, null);

    for (const file of readdirSync(store))
      assert.deepEqual(secretsIn(readFileSync(join(store, file))), [], `${file} holds no secret`);
  });

  it('filters by user and date, and prints text', async () => {
    const forUser = JSON.parse((await history('--format', 'json', '--user', 'user_b1')).stdout) as Array<{
      kind: string;
    }>;
    assert.deepEqual(
      forUser.map((e) => e.kind),
      ['undo', 'run'],
      'the runs with a row on the user',
    );
    assert.deepEqual(JSON.parse((await history('--format', 'json', '--since', '2999-01-01')).stdout), []);
    const text = (await history('--user', 'user_b0')).stdout.split('\n');
    assert.match(
      text[0],
      /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}ok {9}Grace Before \(user_b0\): first_name, password$/,
    );
    assert.ok(text.includes('  first_name: "B0" → "Grace"'), text.join('\n'));
    assert.ok(text.includes('  password: null → (set)'), text.join('\n'));
  });

  it('says so when there is nothing, and refuses a bad date or format', async () => {
    const empty = await cli(['history', '--store', join(dir, 'none')], { cwd: dir });
    assert.equal(empty.stdout, `No changes recorded in ${join(dir, 'none')}.\n`);
    const bad = await cli(['history', '--since', 'yesterday-ish'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^history: --since needs a date \(2026-12-01\), not "yesterday-ish"\./);
    assert.equal((await cli(['history', '--format', 'xml'], { cwd: dir })).code, 2);
  });
});
