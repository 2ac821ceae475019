// `send FILE.userupdates.jsonl|.csv` (the bulk CLI): in process against the fake Clerk.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FAKE_LIVE_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { FIXTURES } from './helpers';
import { assertNoKeys, cli, FAST, jsonLines, OUTPUTS } from './cliHelpers';
import { seedUsers } from './runHelpers';

const PASSWORD = 'Wonderful-Engine-1843';

describe('send FILE.userupdates.jsonl|.csv', () => {
  let fake: FakeClerk;
  let dir = '';
  let url = '';
  const files: string[] = [];
  before(async () => {
    fake = await startFake({ users: 'none' });
    url = fake.url;
  });
  beforeEach(() => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.resetWrites();
    fake.clearFaults();
    seedUsers(fake, 200);
    dir = mkdtempSync(join(tmpdir(), 'cuu-bulk-cli-'));
  });
  after(async () => {
    await fake.stop();
    // Nothing the CLI printed or wrote holds a key or a secret value.
    assertNoKeys([...OUTPUTS, ...files.map((f) => readFileSync(f, 'utf8'))], [PASSWORD]);
  });

  /** Writes `name` in the test's folder. */
  function file(name: string, lines: Array<Record<string, unknown>> | string): string {
    writeFileSync(
      join(dir, name),
      typeof lines === 'string' ? lines : lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    return name;
  }
  const send = (args: string[], options: Omit<Parameters<typeof cli>[1], 'cwd'> = {}) =>
    cli(['send', '--api-url', url, ...FAST, ...args], { cwd: dir, ...options });
  const keep = (...names: string[]): void => void files.push(...names.map((n) => join(dir, n)));

  const MIXED = [
    { $user_id: 'user_b0', first_name: 'New0' },
    { $external_id: 'ext-1', first_name: 'New1', public_metadata: { n: 1 } },
    { $email: 'b2@example.com', last_name: 'After' },
    { $user_id: 'user_b3', first_name: 'B3' },
    { $email: 'nobody@example.com', first_name: 'X' },
  ];

  it('sends what changes, reports every row, exits 1 when a row failed; the same command again resumes and sends nothing', async () => {
    const name = file('mixed.userupdates.jsonl', MIXED);
    const r = await send([name]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(
      lines[0],
      /^Updated 3, unchanged 1, failed 1 of 5 rows \(1 target_not_found\); \d+ requests, 0 rate-limited, in [\d.]+ s\.$/,
    );
    assert.deepEqual(lines.slice(1, 3), [
      'By reason:',
      "  1 target_not_found (e.g. line 5: No user has the email address 'nobody@example.com'.)",
    ]);
    assert.equal(lines[3], 'Journal: .clerk-runs/mixed.userupdates.jsonl.journal.jsonl');
    assert.equal(lines[4], 'Report: .clerk-runs/mixed.userupdates.jsonl.report.jsonl');
    assert.match(
      lines[5],
      /^To send the failed rows again .*: clerk-user-update send --api-url http:\/\/127\.0\.0\.1:\d+ --rate 100000\/1s mixed\.userupdates\.jsonl --retry-failed$/,
    );
    assert.equal(fake.users.get('user_b0')?.first_name, 'New0');
    assert.deepEqual(fake.users.get('user_b1')?.public_metadata, { n: 1 });
    assert.equal(fake.users.get('user_b2')?.last_name, 'After');
    assert.deepEqual(fake.writes().appliedMoreThanOnce, []);
    assert.equal(fake.appliedWrites('user_b3').arrived, 0, 'the unchanged row is not sent');
    const report = jsonLines(join(dir, '.clerk-runs', 'mixed.userupdates.jsonl.report.jsonl')).sort(
      (a, b) => Number(a.row) - Number(b.row),
    );
    assert.deepEqual(
      report.map((l) => [l.row, l.target, l.user_id, l.status, l.http_status, l.code]),
      [
        [1, '$user_id:user_b0', 'user_b0', 'updated', 200, null],
        [2, '$external_id:ext-1', 'user_b1', 'updated', 200, null],
        [3, '$email:b2@example.com', 'user_b2', 'updated', 200, null],
        [4, '$user_id:user_b3', 'user_b3', 'unchanged', null, null],
        [5, '$email:nobody@example.com', null, 'failed', null, 'target_not_found'],
      ],
    );
    assert.deepEqual(Object.keys(report[0]), [
      'row',
      'target',
      'user_id',
      'status',
      'http_status',
      'code',
      'message',
      'trace_id',
    ]);
    assert.match(String(report[0].trace_id), /\S/);
    // Progress went to standard error as plain lines (no terminal).
    assert.match(
      r.stderr,
      /^Sending mixed\.userupdates\.jsonl to http:\/\/127\.0\.0\.1:\d+ \(development key, at most 100000\/1s\)\.\nJournal: \.clerk-runs\/mixed\.userupdates\.jsonl\.journal\.jsonl\n/,
    );
    assert.match(r.stderr, /\nsending 5\/5 rows \(100%\), [\d.,]+ rows\/s, ETA 0s, 1 failed\n/);
    assert.ok(!r.stderr.includes('\r'));

    const requests = fake.requests.length;
    const again = await send([name]);
    assert.equal(again.code, 1);
    assert.match(
      again.stdout,
      /^Updated 3, unchanged 1, failed 1 of 5 rows \(1 target_not_found\); 0 requests, /,
    );
    assert.match(
      again.stderr,
      /Plan: 0 to change, 0 unchanged, 0 that cannot be sent, 5 finished before \(5 rows\)\./,
    );
    assert.equal(fake.requests.length, requests, 'a finished run run again sends no request');
    keep(
      '.clerk-runs/mixed.userupdates.jsonl.report.jsonl',
      '.clerk-runs/mixed.userupdates.jsonl.journal.jsonl',
    );
  });

  it('a CSV file is a run too', async () => {
    const name = file(
      'mixed.userupdates.csv',
      '$user_id,$email,first_name,public_metadata\nuser_b4,,Csv4,\n,b5@example.com,Csv5,"{""plan"":""pro""}"\nuser_b6,,B6,\n',
    );
    const r = await send([name]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Updated 2, unchanged 1, failed 0 of 3 rows;/);
    assert.equal(fake.users.get('user_b4')?.first_name, 'Csv4');
    assert.deepEqual(fake.users.get('user_b5')?.public_metadata, { plan: 'pro' });
    assert.deepEqual(
      jsonLines(join(dir, '.clerk-runs', 'mixed.userupdates.csv.report.jsonl'))
        .map((l) => [l.row, l.status])
        .sort(),
      [
        [2, 'updated'],
        [3, 'updated'],
        [4, 'unchanged'],
      ],
    );
  });

  it('--dry-run: counts, fields, the first 20 changes on stdout, the plan of every row in FILE.plan.jsonl; nothing sent, no journal', async () => {
    const rows = [
      ...MIXED,
      ...Array.from({ length: 22 }, (_, i) => ({ $user_id: `user_b${i + 8}`, first_name: `Dry${i}` })),
    ];
    const name = file('dry.userupdates.jsonl', rows);
    const r = await send(['--dry-run', name]);
    assert.equal(r.code, 1, 'a row that cannot be sent: exit 1');
    const out = r.stdout.split('\n');
    assert.equal(out[0], 'Dry run, nothing sent: 25 to change, 1 unchanged, 1 that cannot be sent.');
    assert.equal(
      out[1],
      'Fields: first_name (24 rows), public_metadata.n (1 row: (absent) → 1 × 1), last_name (1 row)',
    );
    assert.equal(out[2], 'Requests: PATCH /v1/users/{user_id} × 25, PATCH /v1/users/{user_id}/metadata × 1');
    assert.equal(out[3], 'The first 20 changes:');
    assert.deepEqual(out.slice(4, 8), [
      '  line 1, $user_id:user_b0:',
      '    first_name: "B0" → "New0"',
      '  line 2, $external_id:ext-1 (user_b1):',
      '    first_name: "B1" → "New1"',
    ]);
    assert.ok(out.includes('Cannot be sent:'));
    assert.ok(out.includes("  line 5: No user has the email address 'nobody@example.com'."));
    assert.ok(out.includes('Plan of every row: .clerk-runs/dry.userupdates.jsonl.plan.jsonl'));
    const plan = jsonLines(join(dir, '.clerk-runs', 'dry.userupdates.jsonl.plan.jsonl'));
    assert.equal(plan.length, rows.length);
    assert.deepEqual(plan.filter((l) => l.row === 4)[0], {
      row: 4,
      target: '$user_id:user_b3',
      user_id: 'user_b3',
      action: 'unchanged',
      fields: [],
      changes: [],
      code: null,
      message: null,
    });
    assert.match(
      r.stderr,
      /^Dry run of dry\.userupdates\.jsonl against http:\/\/127\.0\.0\.1:\d+ \(development key\): nothing is sent\.\n/,
    );
    assert.equal(fake.writes().arrived, 0);
    assert.ok(!existsSync(join(dir, '.clerk-runs', 'dry.userupdates.jsonl.journal.jsonl')));
  });

  it('a CSV dotted column declared in types/globals.d.ts is planned and sent as its declared type', async () => {
    mkdirSync(join(dir, 'types'));
    writeFileSync(
      join(dir, 'types', 'globals.d.ts'),
      'export {}\ndeclare global {\n  interface UserPublicMetadata { seats?: number }\n' +
        '  interface UserPrivateMetadata { stripeCustomerId?: string }\n}\n',
    );
    const name = file(
      'typed.userupdates.csv',
      '$user_id,public_metadata.seats,private_metadata.stripeCustomerId\nuser_b0,3,42\n',
    );
    const dry = await send(['--dry-run', name]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(
      dry.stdout.split('\n')[1],
      'Fields: public_metadata.seats (1 row: (absent) → 3 × 1), private_metadata.stripeCustomerId (1 row: (absent) → "42" × 1)',
    );
    const r = await send([name]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fake.users.get('user_b0')?.public_metadata, { seats: 3 });
    assert.deepEqual(fake.users.get('user_b0')?.private_metadata, { stripeCustomerId: '42' });
  });

  it('a file that changed since its journal began is refused (exit 2) unless --restart, which keeps the old journal aside', async () => {
    const name = file('changing.userupdates.jsonl', [{ $user_id: 'user_b7', first_name: 'One' }]);
    assert.equal((await send([name])).code, 0);
    file(name, [{ $user_id: 'user_b7', first_name: 'Two' }]);
    const refused = await send([name]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /\.clerk-runs\/changing\.userupdates\.jsonl\.journal\.jsonl belongs to changing\.userupdates\.jsonl as it was when the run began \(.+\); the file has changed since\./,
    );
    assert.match(
      refused.stderr,
      /Pass --restart to begin again \(the old journal is kept aside, not deleted\)\.\n$/,
    );
    assert.equal(fake.users.get('user_b7')?.first_name, 'One');
    const restarted = await send(['--restart', name]);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.equal(fake.users.get('user_b7')?.first_name, 'Two');
    const aside = readdirSync(join(dir, '.clerk-runs')).filter((f) =>
      /^changing\.userupdates\.jsonl\.journal\..+\.jsonl$/.test(f),
    );
    assert.equal(aside.length, 1, 'the old journal is kept');
  });

  it('errors in the file block the run: listed as validate lists them, exit 1, nothing sent', async () => {
    writeFileSync(
      join(dir, 'several.userupdates.jsonl'),
      readFileSync(join(FIXTURES, 'several.userupdates.jsonl')),
    );
    const r = await send(['several.userupdates.jsonl']);
    assert.equal(r.code, 1);
    const validate = await cli(['validate', 'several.userupdates.jsonl'], { cwd: dir });
    const errors = validate.stdout.split('\n').filter((l) => / error /.test(l));
    for (const e of errors) assert.ok(r.stderr.includes(`${e}\n`), `listed: ${e}`);
    assert.ok(
      !/ warning /.test(
        r.stderr
          .split('Not sent')[0]
          .split('\n')
          .filter((l) => l.startsWith('several'))
          .join('\n'),
      ),
      'only the errors are listed',
    );
    assert.match(r.stderr, /Not sent: fix line 3: .* first\.\n/);
    assert.equal(fake.writes().arrived, 0);
  });

  it('warnings: listed, then asked about once at a terminal; without one they need --yes (exit 2)', async () => {
    const name = file('dup.userupdates.jsonl', [
      { $user_id: 'user_b8', first_name: 'First' },
      { $user_id: 'user_b8', last_name: 'Second' },
    ]);
    const refused = await send([name]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /dup\.userupdates\.jsonl:2:13 warning duplicate-target Line 1 already targets '\$user_id:user_b8'/,
    );
    assert.match(refused.stderr, /The file has a warning: pass --yes to send anyway\.\n$/);
    assert.equal(fake.writes().arrived, 0);
    const declined = await send([name], { tty: true, answer: false });
    assert.equal(declined.code, 1);
    assert.deepEqual(declined.asked, ['The file has a warning (above). Send anyway?']);
    assert.equal(fake.writes().arrived, 0);
    const yes = await send(['--yes', name]);
    assert.equal(yes.code, 0, yes.stderr);
    assert.match(yes.stderr, /Going on despite a warning \(--yes\)\./);
    assert.equal(fake.users.get('user_b8')?.last_name, 'Second');
    assert.equal(fake.users.get('user_b8')?.first_name, 'First');
  });

  it('a replace that would drop metadata keys is refused without --yes (exit 2), naming the keys and how many users lose each', async () => {
    fake.users.get('user_b10')!.public_metadata = { role: 'member', plan: 'pro', team: { name: 'A' } };
    fake.users.get('user_b11')!.public_metadata = { role: 'member', plan: 'free' };
    const name = file('replace.userupdates.jsonl', [
      { $user_id: 'user_b10', $metadata: 'replace', public_metadata: { role: 'admin' } },
      { $user_id: 'user_b11', $metadata: 'replace', public_metadata: { role: 'admin', plan: 'free' } },
      { $user_id: 'user_b12', $metadata: 'replace', public_metadata: { role: 'admin' } },
    ]);
    const dry = await send(['--dry-run', name]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(
      dry.stdout
        .split('\n')
        .includes(
          'Replacing metadata removes keys from 1 user: public_metadata.plan (1 user), public_metadata.team (1 user)',
        ),
      dry.stdout,
    );
    const refused = await send([name]);
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /would remove keys 1 user have now:\n {2}public_metadata\.plan: 1 user\n {2}public_metadata\.team: 1 user\n/,
    );
    assert.match(refused.stderr, /Pass --yes to remove those keys, or merge instead/);
    assert.equal(fake.writes().arrived, 0);
    const yes = await send(['--yes', name]);
    assert.equal(yes.code, 0, yes.stderr);
    assert.deepEqual(fake.users.get('user_b10')?.public_metadata, { role: 'admin' });
    assert.deepEqual(fake.users.get('user_b11')?.public_metadata, { role: 'admin', plan: 'free' });
  });

  it('a production key: without a terminal nothing is looked up unless --yes; at a terminal the run is confirmed with the count, the fields and three users', async () => {
    const live = { CLERK_SECRET_KEY: FAKE_LIVE_KEY };
    const name = file(
      'prod.userupdates.jsonl',
      Array.from({ length: 5 }, (_, i) => ({ $user_id: `user_b${i + 10}`, first_name: `Prod${i}` })),
    );
    const refused = await send([name], { env: live });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^Not sent: sk_live_… is a production key\. Pass --yes to send with it\.\n$/,
    );
    assert.equal(fake.requests.length, 0);
    const declined = await send([name], { env: live, tty: true, answer: false });
    assert.equal(declined.code, 1);
    assert.equal(declined.asked.length, 1);
    assert.equal(
      declined.asked[0],
      `PRODUCTION instance ${url}: update 5 users: B10 Before (user_b10), B11 Before (user_b11), B12 Before (user_b12), and 2 more, changing first_name (PATCH /v1/users/{user_id} × 5). 5 to change, 0 unchanged, 0 that cannot be sent. Go on?`,
    );
    assert.equal(fake.writes().arrived, 0);
    const yes = await send(['--yes', name], { env: live });
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(fake.users.get('user_b14')?.first_name, 'Prod4');
  });

  it('--format json: one JSON event per line on stdout, the result last', async () => {
    const name = file('events.userupdates.jsonl', MIXED.slice(0, 2));
    const r = await send(['--format', 'json', name]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(events[0], {
      type: 'start',
      command: 'send',
      input: name,
      journal: `.clerk-runs/${name}.journal.jsonl`,
      report: `.clerk-runs/${name}.report.jsonl`,
      api_url: url,
      production: false,
      rate: '100000/1s',
      dry_run: false,
    });
    const types = new Set(events.map((e) => e.type));
    assert.deepEqual([...types].sort(), ['plan', 'progress', 'result', 'start']);
    const plan = events.find((e) => e.type === 'plan');
    assert.equal(plan?.toChange, 2);
    const result = events.at(-1) as Record<string, unknown> & { summary: Record<string, unknown> };
    assert.equal(result.type, 'result');
    assert.equal(result.status, 'finished');
    assert.equal(result.exit_code, 0);
    assert.equal(result.summary.updated, 2);
    assert.equal(result.report, `.clerk-runs/${name}.report.jsonl`);
    assert.ok(
      events
        .filter((e) => e.type === 'progress')
        .every((e) => typeof e.done === 'number' && typeof e.phase === 'string'),
    );
  });

  it('--retry-failed sends the failed rows again; one that may have been applied is checked first, so none is applied twice', async () => {
    const name = file('retry.userupdates.jsonl', [
      { $user_id: 'user_b20', first_name: 'R20' },
      { $user_id: 'user_b21', first_name: 'R21' },
    ]);
    // Applied, then a 500: the row may have been applied.
    fake.setFault({ kind: 'status500', method: 'PATCH', path: '/v1/users/user_b21', apply: true });
    const first = await send([name]);
    assert.equal(first.code, 1);
    assert.match(first.stdout, /failed 1 of 2 rows/);
    const again = await send([name]);
    assert.equal(again.code, 1, 'without --retry-failed the failed row stays failed');
    assert.equal(fake.appliedWrites('user_b21').arrived, 1);
    const retried = await send(['--retry-failed', name]);
    assert.equal(retried.code, 0, retried.stdout + retried.stderr);
    assert.match(retried.stdout, /^Updated 2, unchanged 0, failed 0 of 2 rows;/);
    assert.equal(fake.appliedWrites('user_b21').applied, 1, 'found applied at Clerk: not sent again');
    assert.equal(fake.users.get('user_b21')?.first_name, 'R21');
  });

  it('secrets (with --allow-secrets) never reach the output, the journal or the report', async () => {
    const name = file('secret.userupdates.jsonl', [
      { $user_id: 'user_b22', password: PASSWORD, skip_password_checks: true },
    ]);
    const refused = await send([name]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /secret-in-bulk-file/);
    const dry = await send(['--allow-secrets', '--dry-run', '--report', 'secret.plan.jsonl', name]);
    assert.match(dry.stdout, /\n {4}password: \(not set\) → \(will be set\)\n/);
    const sent = await send(['--allow-secrets', name]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(fake.users.get('user_b22')?.password_enabled, true);
    keep(
      '.clerk-runs/secret.userupdates.jsonl.journal.jsonl',
      '.clerk-runs/secret.userupdates.jsonl.report.jsonl',
      'secret.plan.jsonl',
    );
  });

  it('usage: a bulk file is sent alone, single-file and bulk-only flags are refused where they do not apply (exit 2)', async () => {
    const bulk = file('one.userupdates.jsonl', MIXED.slice(0, 1));
    file('one.userupdate.json', '{"$user_id": "user_b0", "first_name": "S"}\n');
    const mixed = await send([bulk, 'one.userupdate.json']);
    assert.equal(mixed.code, 2);
    assert.match(
      mixed.stderr,
      /^send: A bulk file is sent alone: give one \*\.userupdates\.jsonl or \*\.userupdates\.csv, or \*\.userupdate\.json files, not both\./,
    );
    const userId = await send(['--user-id', 'user_b1', bulk]);
    assert.equal(userId.code, 2);
    assert.match(
      userId.stderr,
      /^send: --user-id is for \*\.userupdate\.json files; each row of a bulk file names its own user\./,
    );
    const journal = await cli(['send', '--api-url', url, '--journal', 'x.jsonl', 'one.userupdate.json'], {
      cwd: dir,
    });
    assert.equal(journal.code, 2);
    assert.match(journal.stderr, /^send: --journal is for bulk files/);
    // --rate is in FAST: a single file with it is refused too.
    const rated = await send(['one.userupdate.json']);
    assert.equal(rated.code, 2);
    assert.match(rated.stderr, /^send: --rate is for bulk files/);
    const badRate = await cli(['send', '--api-url', url, '--rate', 'fast', bulk], { cwd: dir });
    assert.equal(badRate.code, 2);
    assert.match(
      badRate.stderr,
      /^send: --rate: 'fast' is not a rate: write it as requests per window, e.g. '100\/10s' or '1000\/1s'\./,
    );
    const badFormat = await send(['--format', 'xml', bulk]);
    assert.equal(badFormat.code, 2);
    const missing = await send(['missing.userupdates.jsonl']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'missing.userupdates.jsonl: cannot read it (no such file).\n');
    assert.equal(fake.requests.length, 0);
  });

  it('Ctrl+C: no new row starts, the rows in flight finish and are journaled, the exact command to resume is printed (exit 130); resuming applies every row once', async () => {
    // More rows than the most in flight (64), so that some have not started when Ctrl+C comes.
    const rows = Array.from({ length: 150 }, (_, i) => ({ $user_id: `user_b${i}`, first_name: `Int${i}` }));
    const name = file('int.userupdates.jsonl', rows);
    const held = fake.hold({ method: 'PATCH', path: '/v1/users/user_b0' });
    let press = (): void => undefined;
    const running = cli(['send', '--api-url', url, '--rate', '100000/1s', name], {
      cwd: dir,
      interrupt: (p) => (press = p),
    });
    await held.arrived;
    press();
    held.release();
    const r = await running;
    assert.equal(r.code, 130, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /Stopping: no new row is sent; the rows in flight finish and are journaled\. Press Ctrl\+C again to quit at once/,
    );
    assert.match(r.stdout, /^Cancelled: rows in flight were finished and journaled\. Updated \d+, /);
    assert.ok(
      r.stdout.endsWith(
        `To resume, run:\n  clerk-user-update send --api-url ${url} --rate 100000/1s int.userupdates.jsonl\n`,
      ),
      r.stdout,
    );
    assert.equal(fake.users.get('user_b0')?.first_name, 'Int0', 'the request in flight finished');
    const sentBefore = fake.writes().arrived;
    assert.ok(sentBefore < rows.length, `stopped early (${sentBefore} sent)`);
    const resumed = await send([name]);
    assert.equal(resumed.code, 0, resumed.stderr);
    for (let i = 0; i < rows.length; i++) assert.equal(fake.users.get(`user_b${i}`)?.first_name, `Int${i}`);
    assert.deepEqual(fake.writes().appliedMoreThanOnce, []);
    assert.equal(fake.writes().applied, rows.length);
  });

  it('a second Ctrl+C quits at once (exit 130) and says how to resume', async () => {
    const name = file('twice.userupdates.jsonl', [{ $user_id: 'user_b0', first_name: 'Twice' }]);
    const held = fake.hold({ method: 'PATCH', path: '/v1/users/user_b0' });
    let press = (): void => undefined;
    const running = cli(['send', '--api-url', url, '--rate', '100000/1s', name], {
      cwd: dir,
      interrupt: (p) => (press = p),
    });
    await held.arrived;
    press();
    press();
    held.release();
    const r = await running;
    assert.deepEqual(r.exits, [130]);
    assert.match(
      r.stderr,
      new RegExp(
        `Quit at once\\. To resume, run: clerk-user-update send --api-url ${url.replace(/\./g, '\\.')} --rate 100000/1s twice\\.userupdates\\.jsonl\\n`,
      ),
    );
  });
});
