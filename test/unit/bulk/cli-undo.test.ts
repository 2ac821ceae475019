// `undo FILE.journal.jsonl`: in process against the fake Clerk.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readJournalHeader, undoFilesFor } from '../../../src/node/runFiles';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { assertNoKeys, cli, FAST, jsonLines, OUTPUTS } from './cliHelpers';
import { seedUsers } from './runHelpers';

describe('undo FILE.journal.jsonl', () => {
  let fake: FakeClerk;
  let dir = '';
  before(async () => {
    fake = await startFake({ users: 'none' });
    seedUsers(fake, 10);
    dir = mkdtempSync(join(tmpdir(), 'cuu-bulk-undo-'));
  });
  after(async () => {
    await fake.stop();
    assertNoKeys(OUTPUTS);
  });
  const run = (command: string, args: string[], options: Omit<Parameters<typeof cli>[1], 'cwd'> = {}) =>
    cli([command, '--api-url', fake.url, ...FAST, ...args], { cwd: dir, ...options });

  it("restores the run's done rows, skips and reports users that changed since, is journaled, and resumes", async () => {
    const rows = Array.from({ length: 4 }, (_, i) =>
      JSON.stringify({ $user_id: `user_b${i}`, first_name: `Run${i}`, public_metadata: { run: i } }),
    );
    writeFileSync(join(dir, 'u.userupdates.jsonl'), `${rows.join('\n')}\n`);
    assert.equal((await run('send', ['u.userupdates.jsonl'])).code, 0);
    // Someone else changes user_b3 after the run: its undo must not overwrite that.
    const other = await fetch(`${fake.url}/v1/users/user_b3`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${FAKE_TEST_KEY}`, 'content-type': 'application/json' },
      body: '{"last_name":"Someone else"}',
    });
    assert.equal(other.status, 200);

    const dry = await run('undo', ['--dry-run', '.clerk-runs/u.userupdates.jsonl.journal.jsonl']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^Dry run, nothing sent: 4 rows to restore\.\n/);
    assert.equal(jsonLines(join(dir, '.clerk-runs', 'u.userupdates.jsonl.undo.plan.jsonl')).length, 4);
    assert.ok(
      !existsSync(join(dir, '.clerk-runs', 'u.userupdates.jsonl.undo.journal.jsonl')),
      'a dry run writes no journal',
    );

    const r = await run('undo', ['.clerk-runs/u.userupdates.jsonl.journal.jsonl']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^Undoing the run of \.clerk-runs\/u\.userupdates\.jsonl\.journal\.jsonl to http:\/\/127\.0\.0\.1:\d+ \(development key, at most 100000\/1s\)\.\nJournal: \.clerk-runs\/u\.userupdates\.jsonl\.undo\.journal\.jsonl\n/,
    );
    const out = r.stdout.split('\n');
    assert.match(out[0], /^Restored 3, unchanged 0, failed 0, skipped 1 of 4 rows \(1 user_changed\);/);
    assert.match(out[2], /^ {2}1 user_changed \(e\.g\. line 4: Not restored: user_b3 changed after the run/);
    assert.ok(out.includes('Journal: .clerk-runs/u.userupdates.jsonl.undo.journal.jsonl'));
    assert.ok(out.includes('Report: .clerk-runs/u.userupdates.jsonl.undo.report.jsonl'));
    for (let i = 0; i < 3; i++) {
      assert.equal(fake.users.get(`user_b${i}`)?.first_name, `B${i}`);
      assert.deepEqual(fake.users.get(`user_b${i}`)?.public_metadata, {});
    }
    assert.equal(fake.users.get('user_b3')?.first_name, 'Run3', 'the changed user is left alone');
    assert.equal(fake.users.get('user_b3')?.last_name, 'Someone else');
    const report = jsonLines(join(dir, '.clerk-runs', 'u.userupdates.jsonl.undo.report.jsonl')).sort(
      (a, b) => Number(a.row) - Number(b.row),
    );
    assert.deepEqual(
      report.map((l) => [l.row, l.status, l.code]),
      [
        [1, 'updated', null],
        [2, 'updated', null],
        [3, 'updated', null],
        [4, 'skipped', 'user_changed'],
      ],
    );

    const requests = fake.requests.length;
    const again = await run('undo', ['.clerk-runs/u.userupdates.jsonl.journal.jsonl']);
    assert.equal(again.code, 0);
    assert.match(
      again.stdout,
      /^Restored 3, unchanged 0, failed 0, skipped 1 of 4 rows \(1 user_changed\); 0 requests/,
    );
    assert.equal(fake.requests.length, requests);
  });

  it('the undo of a journal moved aside is written where the editor looks for it (one definition of the run files)', async () => {
    writeFileSync(
      join(dir, 'm.userupdates.jsonl'),
      `${JSON.stringify({ $user_id: 'user_b5', first_name: 'Moved' })}\n`,
    );
    assert.equal((await run('send', ['m.userupdates.jsonl'])).code, 0);
    const aside = join(dir, '.clerk-runs', 'm.userupdates.jsonl.journal.2026-01-02T03-04-05-678Z.jsonl');
    renameSync(join(dir, '.clerk-runs', 'm.userupdates.jsonl.journal.jsonl'), aside);
    const r = await run('undo', [aside]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(fake.users.get('user_b5')?.first_name, 'B5');
    // The editor's run picker marks a run undone when undoFilesFor(journal).journal exists.
    const files = undoFilesFor(aside);
    assert.equal(
      files.journal,
      join(dir, '.clerk-runs', 'm.userupdates.jsonl.journal.2026-01-02T03-04-05-678Z.undo.journal.jsonl'),
    );
    assert.ok(existsSync(files.journal), 'the CLI wrote the undo journal the editor reads');
    assert.equal((await readJournalHeader(files.journal))?.kind, 'undo');
    assert.ok(existsSync(files.report));
  });

  it('a journal an earlier version left next to the input still resumes, and its undo goes into .clerk-runs/', async () => {
    writeFileSync(
      join(dir, 'old.userupdates.jsonl'),
      `${JSON.stringify({ $user_id: 'user_b6', first_name: 'Old' })}\n`,
    );
    assert.equal((await run('send', ['old.userupdates.jsonl'])).code, 0);
    // As an earlier version left it: the journal and the report next to the input.
    renameSync(
      join(dir, '.clerk-runs', 'old.userupdates.jsonl.journal.jsonl'),
      join(dir, 'old.userupdates.jsonl.journal.jsonl'),
    );
    const requests = fake.requests.length;
    const again = await run('send', ['old.userupdates.jsonl']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /\nJournal: old\.userupdates\.jsonl\.journal\.jsonl\n/);
    assert.equal(
      fake.requests.length,
      requests,
      'the old journal says the row is done: nothing is sent again',
    );
    const undo = await run('undo', ['old.userupdates.jsonl.journal.jsonl']);
    assert.equal(undo.code, 0, undo.stdout + undo.stderr);
    assert.ok(
      undo.stdout.split('\n').includes('Journal: .clerk-runs/old.userupdates.jsonl.undo.journal.jsonl'),
    );
    assert.equal(fake.users.get('user_b6')?.first_name, 'B6');
    assert.equal(readFileSync(join(dir, '.clerk-runs', '.gitignore'), 'utf8'), '*\n');
  });

  it('usage and refusals: one journal, no --api-version, the journal of a run; production needs --yes without a terminal', async () => {
    const none = await run('undo', []);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^undo: No journal given\./);
    const version = await run('undo', ['--api-version', '2025-11-10', 'x.journal.jsonl']);
    assert.equal(version.code, 2);
    assert.match(version.stderr, /^undo: Unknown option "--api-version"\./);
    const missing = await run('undo', ['missing.journal.jsonl']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'missing.journal.jsonl: cannot read it (no such file).\n');
    writeFileSync(join(dir, 'not.journal.jsonl'), '{"hello": 1}\n');
    const notRun = await run('undo', ['not.journal.jsonl']);
    assert.equal(notRun.code, 2);
    assert.match(notRun.stderr, /not\.journal\.jsonl/);
    const live = await run('undo', ['.clerk-runs/u.userupdates.jsonl.journal.jsonl'], {
      env: { CLERK_SECRET_KEY: FAKE_LIVE_KEY },
    });
    assert.equal(live.code, 2);
    assert.match(live.stderr, /^Not undone: sk_live_… is a production key\. Pass --yes to undo with it\.\n$/);
    const help = await cli(['undo', '--help'], { cwd: dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: clerk-user-update undo /);
  });
});
