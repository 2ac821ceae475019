// Hostile paths and servers against a bulk run: the real CLI (dist/cli.js) spawned against the fake Clerk.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { spawnCli } from '../../support/cli';
import { bundle } from '../../support/dist';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { jsonLines } from './cliHelpers';
import { seedUsers } from './runHelpers';

/** A second development key of "another instance": the fake accepts both, as Clerk's one API URL does. */
const OTHER_KEY = 'sk_test_OTHERinstanceKEY9876543210zyxwvuZYXWVU';
const FAST = ['--rate', '100000/1s'];

describe('hostile files, paths and servers (bulk runs, CLI)', () => {
  let fake: FakeClerk;
  let dir = '';
  const cli = bundle('cli.js');
  before(async () => {
    fake = await startFake({
      users: 'none',
      keys: [
        { key: FAKE_TEST_KEY, label: 'test' },
        { key: OTHER_KEY, label: 'test' },
      ],
    });
  });
  beforeEach(() => {
    fake.users.clear();
    fake.requests.length = 0;
    fake.clearFaults();
    fake.resetWrites();
    fake.resetRateLimits();
    seedUsers(fake, 5);
    dir = mkdtempSync(join(tmpdir(), 'cuu-hostile-'));
  });
  after(() => fake.stop());

  const run = (args: string[], key = FAKE_TEST_KEY) =>
    spawnCli(cli, args, { cwd: dir, env: { CLERK_SECRET_KEY: key } });
  const send = (args: string[], key = FAKE_TEST_KEY) =>
    run(['send', '--api-url', fake.url, ...FAST, ...args], key);
  const undo = (args: string[], key = FAKE_TEST_KEY) =>
    run(['undo', '--api-url', fake.url, ...FAST, ...args], key);
  function bulk(name: string, count = 3): string {
    const rows = Array.from({ length: count }, (_, i) =>
      JSON.stringify({ $user_id: `user_b${i}`, first_name: `New${i}` }),
    );
    writeFileSync(join(dir, name), `${rows.join('\n')}\n`);
    return name;
  }
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

  it('refuses (exit 2) a --report or --journal that is the input, the journal or a link to the input, and sends nothing', async () => {
    const input = bulk('w.userupdates.jsonl');
    const before = read(input);

    const overInput = await send(['--yes', '--report', input, input]);
    assert.equal(overInput.code, 2, overInput.stderr);
    assert.equal(
      overInput.stderr,
      `send: --report (${input}) is the same file as the input (${input}): writing it would overwrite it. Choose another path.\n`,
    );
    assert.equal(read(input), before, 'the bulk file is intact');

    const same = await send(['--journal', 'x.jsonl', '--report', 'x.jsonl', input]);
    assert.equal(same.code, 2, same.stderr);
    assert.match(same.stderr, /^send: --report \(x\.jsonl\) is the same file as --journal \(x\.jsonl\)/);
    assert.ok(!existsSync(join(dir, 'x.jsonl')));

    symlinkSync(join(dir, input), join(dir, 'link.jsonl'));
    const throughLink = await send(['--journal', 'link.jsonl', input]);
    assert.equal(throughLink.code, 2, throughLink.stderr);
    assert.match(throughLink.stderr, /--journal \(link\.jsonl\) is the same file as the input/);
    assert.equal(read(input), before);

    const dryOverInput = await send(['--dry-run', '--report', input, input]);
    assert.equal(dryOverInput.code, 2, dryOverInput.stderr);
    assert.equal(read(input), before);
    assert.deepEqual(fake.requests, [], 'nothing reached Clerk');

    // The undo's report over the run's journal: the run could no longer be undone.
    assert.equal((await send([input])).code, 0);
    const journal = `.clerk-runs/${input}.journal.jsonl`;
    const journalText = read(journal);
    const undoOverJournal = await undo(['--report', journal, journal]);
    assert.equal(undoOverJournal.code, 2, undoOverJournal.stderr);
    assert.match(
      undoOverJournal.stderr,
      /^undo: --report \(\.clerk-runs\/w\.userupdates\.jsonl\.journal\.jsonl\) is the same file as the run's journal/,
    );
    assert.equal(read(journal), journalText);
  });

  it('refuses (exit 2) a --journal, --report or export --out through a dangling symlink, and creates nothing at its target', async () => {
    const input = bulk('d.userupdates.jsonl');
    const outside = mkdtempSync(join(tmpdir(), 'cuu-outside-'));
    symlinkSync(join(outside, 'planted.jsonl'), join(dir, 'dangling.jsonl'));
    for (const flag of ['--journal', '--report']) {
      const r = await send([flag, 'dangling.jsonl', input]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        `send: ${flag} (dangling.jsonl) is a symbolic link to '${join(outside, 'planted.jsonl')}', which does not exist: writing it would create a file elsewhere. Give the path of a file, not of a link.\n`,
      );
    }
    symlinkSync(join(outside, 'planted.userupdates.csv'), join(dir, 'out.userupdates.csv'));
    const pulled = await run([
      'pull',
      '--api-url',
      fake.url,
      ...FAST,
      '--all',
      '--force',
      '--out',
      'out.userupdates.csv',
    ]);
    assert.equal(pulled.code, 2, pulled.stderr);
    assert.deepEqual(readdirSync(outside), [], 'nothing was written outside the folder');
    assert.deepEqual(fake.requests, []);
  });

  it('keeps a key that Clerk (or a proxy) echoes out of the journal, as out of the report', async () => {
    const input = bulk('e.userupdates.jsonl', 2);
    fake.setFault({ kind: 'echo-key', method: 'PATCH', path: '/v1/users/user_b1' });
    const r = await send([input]);
    assert.equal(r.code, 1, r.stderr);
    const journal = read(`.clerk-runs/${input}.journal.jsonl`);
    const failed = jsonLines(join(dir, `.clerk-runs/${input}.journal.jsonl`)).find(
      (m) => m.state === 'failed',
    )!;
    assert.equal(failed.trace_id, '[redacted]');
    assert.equal(failed.param, '[redacted]');
    assert.match(String(failed.message), /The key \[redacted\] cannot do this\./);
    for (const text of [journal, read(`.clerk-runs/${input}.report.jsonl`), r.stdout, r.stderr])
      assert.ok(!text.includes(FAKE_TEST_KEY), text);
  });

  it('creates every run file 0600 whatever the umask: journal, report, plan, undo journal and report, the journal moved aside, an export', async () => {
    const old = process.umask(0);
    try {
      const input = bulk('p.userupdates.jsonl', 2);
      assert.equal((await send(['--dry-run', input])).code, 0);
      assert.equal((await send([input])).code, 0);
      assert.equal((await undo([`.clerk-runs/${input}.journal.jsonl`])).code, 0);
      writeFileSync(join(dir, input), `${JSON.stringify({ $user_id: 'user_b0', first_name: 'Again' })}\n`);
      assert.equal((await send(['--restart', input])).code, 0);
      assert.equal(
        (await run(['pull', '--api-url', fake.url, ...FAST, '--all', '--out', 'all.userupdates.csv'])).code,
        0,
      );
      // The run's files are in .clerk-runs/ next to the input; the export is where --out says.
      const runs = join(dir, '.clerk-runs');
      const names = readdirSync(runs).filter((f) => f.startsWith(`${input}.`));
      assert.deepEqual(names.filter((f) => /\.journal\.\d{4}-.*\.jsonl$/.test(f)).length, 1, names.join());
      assert.equal(names.length, 6, names.join());
      const files = [...names.map((f) => join(runs, f)), join(dir, 'all.userupdates.csv')];
      for (const f of files) assert.equal((statSync(f).mode & 0o777).toString(8), '600', f);
    } finally {
      process.umask(old);
    }
  });

  it("refuses (exit 2) to resume or undo a journal with another instance's key; --restart begins again", async () => {
    const input = bulk('k.userupdates.jsonl', 2);
    assert.equal((await send([input])).code, 0);
    const journal = `.clerk-runs/${input}.journal.jsonl`;
    const header = jsonLines(join(dir, journal))[0];
    assert.match(String(header.key_sha256), /^[0-9a-f]{16}$/);
    assert.ok(!read(journal).includes(FAKE_TEST_KEY));

    const resumed = await send([input], OTHER_KEY);
    assert.equal(resumed.code, 2, resumed.stderr);
    assert.match(
      resumed.stderr,
      new RegExp(
        `\\n${join(dir, journal).replace(/\./g, '\\.')} was begun with another key .*Use the key the run began with, or start again with --restart\\.\\n`,
      ),
    );
    const undone = await undo([journal], OTHER_KEY);
    assert.equal(undone.code, 2, undone.stderr);
    assert.match(undone.stderr, /was begun with another key .*Use the key the run began with\.\n/);
    assert.equal(fake.requestsTo('PATCH', '/v1/users/*').length, 2, 'only the first run wrote');

    const restarted = await send(['--restart', input], OTHER_KEY);
    assert.equal(restarted.code, 0, restarted.stderr);
  });

  it("names the journal's own file when refusing another file's journal, and says --restart", async () => {
    const a = bulk('a.userupdates.jsonl', 1);
    assert.equal((await send([a])).code, 0);
    const b = bulk('b.userupdates.jsonl', 2);
    const r = await send(['--journal', `.clerk-runs/${a}.journal.jsonl`, b]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /a\.userupdates\.jsonl\.journal\.jsonl belongs to a\.userupdates\.jsonl, not to b\.userupdates\.jsonl\. Resuming would apply a different file: start again with --restart/,
    );
  });

  it('stops a run (exit 1) when a 429 asks to wait longer than --max-wait (default 60 s): rows journaled, the wait and the resume command said', async () => {
    const input = bulk('r.userupdates.jsonl', 3);
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 100000 });
    const r = await send([input]);
    assert.equal(r.code, 1, r.stderr);
    const all = r.stdout + r.stderr;
    assert.match(
      all,
      /Clerk answered 429 asking to wait 100,000 s, longer than the 60 s a run waits at most; stopped, as a cancel does\./,
    );
    assert.match(
      all,
      new RegExp(
        `To resume, run:\\n  .*dist/cli\\.js send --api-url ${fake.url.replace(/\./g, '\\.')} --rate 100000/1s ${input.replace(/\./g, '\\.')}\\n`,
      ),
    );
    assert.match(all, /pass --max-wait S to wait longer \(now 60 s\)/);
    const marks = jsonLines(join(dir, `.clerk-runs/${input}.journal.jsonl`)).slice(1);
    assert.ok(
      !marks.some((m) => m.state === 'sent' && !marks.some((o) => o.row === m.row && o.state !== 'sent')),
      'no row is left sent without an outcome',
    );

    // Resumed once Clerk allows it: every row is updated once.
    const resumed = await send([input]);
    assert.equal(resumed.code, 0, resumed.stderr);
    for (let i = 0; i < 3; i++) assert.equal(fake.users.get(`user_b${i}`)?.first_name, `New${i}`);
    assert.deepEqual(fake.writes().appliedMoreThanOnce, []);

    // --max-wait is the bound: 0 refuses even a 1 s wait; a bad value is a usage error.
    writeFileSync(
      join(dir, 's.userupdates.jsonl'),
      `${JSON.stringify({ $user_id: 'user_b4', first_name: 'Strict' })}\n`,
    );
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 1 });
    const strict = await send(['--max-wait', '0', 's.userupdates.jsonl']);
    assert.equal(strict.code, 1, strict.stderr);
    assert.match(
      strict.stdout + strict.stderr,
      /asking to wait 1 s, longer than the 0 s a run waits at most/,
    );
    const bad = await send(['--max-wait', 'forever', 's.userupdates.jsonl']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-wait needs a whole number of seconds from 0 to 3600\./);
  });

  it('says on the terminal that it waits after a 429, in text mode without a terminal too', async () => {
    const input = bulk('t.userupdates.jsonl', 2);
    fake.setFault({ kind: 'rate-limit', method: 'PATCH', retryAfterSeconds: 1 });
    const r = await send([input]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Clerk answered 429 \(too many requests\): waiting 1 s before sending more\./);
  });
});

describe('hostile files: a folder for the run files', () => {
  it('refuses a report path inside a folder that is a link back to the input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cuu-hostile-dir-'));
    mkdirSync(join(dir, 'real'));
    writeFileSync(
      join(dir, 'real', 'in.userupdates.jsonl'),
      `${JSON.stringify({ $user_id: 'user_b0', first_name: 'X' })}\n`,
    );
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const r = await spawnCli(
      bundle('cli.js'),
      ['send', '--dry-run', '--report', 'alias/in.userupdates.jsonl', 'real/in.userupdates.jsonl'],
      { cwd: dir, env: { CLERK_SECRET_KEY: FAKE_TEST_KEY } },
    );
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--report \(alias\/in\.userupdates\.jsonl\) is the same file as the input \(real\/in\.userupdates\.jsonl\)/,
    );
  });
});
