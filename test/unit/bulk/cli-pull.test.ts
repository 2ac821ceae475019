// `pull --query Q | --all | --organization ORG --out FILE`: in process against the fake.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_ORGANIZATION_IDS, DEMO_USER_IDS } from '../../../src/fake/seed';
import { type FakeClerk, startFake } from '../../support/fake-clerk';
import { assertNoKeys, cli, FAST, OUTPUTS } from './cliHelpers';

const USERS = 1_234;

describe('pull … --out FILE: users as a bulk file', () => {
  let fake: FakeClerk;
  let dir = '';
  before(async () => {
    fake = await startFake({ users: { generate: USERS, seed: 7, base: 'demo' } });
    dir = mkdtempSync(join(tmpdir(), 'cuu-bulk-pull-'));
  });
  after(async () => {
    await fake.stop();
    assertNoKeys(OUTPUTS);
  });
  const pull = (args: string[]) => cli(['pull', '--api-url', fake.url, ...FAST, ...args], { cwd: dir });
  const rows = (name: string): string[] => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');

  it('--all writes every user once, 500 per page, a bulk file that validate accepts and that sent back changes nothing', async () => {
    fake.requests.length = 0;
    const r = await pull(['--all', '--out', 'all.userupdates.jsonl']);
    assert.equal(r.code, 0, r.stderr);
    const total = fake.users.size;
    assert.equal(
      r.stdout,
      `Wrote ${total.toLocaleString('en-US')} users to all.userupdates.jsonl in ${r.stdout.match(/in (\S+)\.\n$/)?.[1]}.\n`,
    );
    assert.match(
      r.stderr,
      new RegExp(
        `^Pulling every user from ${fake.url.replace(/\./g, '\\.')} into all\\.userupdates\\.jsonl \\(jsonl, at most 100000/1s\\)\\.\\n`,
      ),
    );
    assert.match(
      r.stderr,
      new RegExp(
        `\\npull: ${total.toLocaleString('en-US')}/${total.toLocaleString('en-US')} users \\(100%\\)`,
      ),
    );
    const lines = rows('all.userupdates.jsonl');
    assert.equal(lines.length, total);
    assert.equal(new Set(lines.map((l) => (JSON.parse(l) as { $user_id: string }).$user_id)).size, total);
    const pages = fake.requests.filter((q) => q.path === '/v1/users');
    assert.equal(pages.length, Math.ceil(total / 500));
    assert.ok(pages.every((q) => /(^|&)limit=500(&|$)/.test(q.query)));
    assert.ok(pages.slice(1).every((q) => /starting_after=user_/.test(q.query)));
    assert.equal((await cli(['validate', 'all.userupdates.jsonl'], { cwd: dir })).code, 0);
    fake.resetWrites();
    const back = await cli(['send', '--api-url', fake.url, ...FAST, 'all.userupdates.jsonl'], { cwd: dir });
    assert.equal(back.code, 0, back.stderr);
    assert.match(
      back.stdout,
      new RegExp(`^Updated 0, unchanged ${total.toLocaleString('en-US')}, failed 0 of`),
    );
    assert.equal(fake.writes().arrived, 0);
  });

  it('--query, --organization and CSV; the format follows the name of --out', async () => {
    const q = await pull(['--query', 'lovelace', '--out', 'q.userupdates.csv']);
    assert.equal(q.code, 0, q.stderr);
    const csv = rows('q.userupdates.csv');
    assert.match(csv[0], /^\$user_id,/);
    assert.ok(csv.slice(1).some((l) => l.startsWith(`${DEMO_USER_IDS.ada},`)));
    assert.equal((await cli(['validate', 'q.userupdates.csv'], { cwd: dir })).code, 0);
    const organization = DEMO_ORGANIZATION_IDS.analytical;
    const org = await pull(['--organization', organization, '--format', 'jsonl', '--out', 'org.jsonl']);
    assert.equal(org.code, 0, org.stderr);
    const members = rows('org.jsonl').map((l) => (JSON.parse(l) as { $user_id: string }).$user_id);
    assert.deepEqual(new Set(members), fake.store.byOrganization.get(organization));
  });

  it('--metadata-columns: a CSV column per metadata key path; an edited cell sent back merges that key only', async () => {
    const r = await pull(['--all', '--metadata-columns', '--out', 'keys.userupdates.csv']);
    assert.equal(r.code, 0, r.stderr);
    const csv = rows('keys.userupdates.csv');
    const header = csv[0].split(',');
    assert.deepEqual(
      header.filter((c) => c.includes('metadata')),
      [
        'public_metadata.plan',
        'public_metadata.role',
        'public_metadata.team',
        'private_metadata.crm.since',
        'private_metadata.crm.tier',
        'unsafe_metadata.theme',
      ],
    );
    assert.equal(csv.length, fake.users.size + 1);
    const ada = csv.find((l) => l.startsWith(`${DEMO_USER_IDS.ada},`))!;
    assert.ok(ada.endsWith(',pro,admin,,2019,gold,dark'), ada);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.startsWith('keys.')),
      ['keys.userupdates.csv'],
      'the spool is removed',
    );
    assert.equal((await cli(['validate', 'keys.userupdates.csv'], { cwd: dir })).code, 0);

    const before = structuredClone(fake.users.get(DEMO_USER_IDS.ada)!);
    // Someone else adds keys meanwhile (one in a column whose cell is empty): a merge keeps them.
    Object.assign(fake.users.get(DEMO_USER_IDS.ada)!.public_metadata, { seats: 5, team: 'engines' });
    const edited = ada.replace(/,admin,,2019,gold,dark$/, ',owner,,2019,gold,dark');
    writeFileSync(join(dir, 'edit.userupdates.csv'), `${csv[0]}\n${edited}\n`);
    fake.resetWrites();
    const back = await cli(['send', '--api-url', fake.url, ...FAST, 'edit.userupdates.csv'], { cwd: dir });
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stdout, /^Updated 1, unchanged 0, failed 0 of/);
    const after = fake.users.get(DEMO_USER_IDS.ada)!;
    assert.deepEqual(after.public_metadata, {
      ...before.public_metadata,
      seats: 5,
      team: 'engines',
      role: 'owner',
    });
    assert.deepEqual(after.private_metadata, before.private_metadata);
    assert.deepEqual(after.unsafe_metadata, before.unsafe_metadata);

    // JSONL rows merge each metadata object already: the option writes the same file.
    const plain = await pull(['--query', 'lovelace', '--out', 'plain.userupdates.jsonl']);
    const keyed = await pull([
      '--query',
      'lovelace',
      '--metadata-columns',
      '--out',
      'keyed.userupdates.jsonl',
    ]);
    assert.equal(plain.code + keyed.code, 0, plain.stderr + keyed.stderr);
    assert.deepEqual(rows('keyed.userupdates.jsonl'), rows('plain.userupdates.jsonl'));
  });

  it('never replaces a file unless --force; usage errors exit 2 and write nothing', async () => {
    writeFileSync(join(dir, 'keep.userupdates.jsonl'), 'mine\n');
    const refused = await pull(['--all', '--out', 'keep.userupdates.jsonl']);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr, 'pull: keep.userupdates.jsonl exists: pass --force to replace it.\n');
    assert.equal(readFileSync(join(dir, 'keep.userupdates.jsonl'), 'utf8'), 'mine\n');
    const forced = await pull(['--all', '--force', '--out', 'keep.userupdates.jsonl']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(rows('keep.userupdates.jsonl').length, fake.users.size);
    for (const [args, message] of [
      [['--out', 'x.userupdates.jsonl'], 'Say which users: --query Q, --all or --organization ORG.'],
      [
        ['--all', '--query', 'a', '--out', 'x.userupdates.jsonl'],
        'Give one of --query, --all and --organization.',
      ],
      [['--all'], '--out FILE is needed: the users are written to a bulk file.'],
      [
        ['--all', '--format', 'csv', '--out', 'x.userupdates.jsonl'],
        '--format csv does not match the name x.userupdates.jsonl (a *.userupdates.jsonl file).',
      ],
      [
        ['--all', '--out', 'x.userupdates.jsonl', DEMO_USER_IDS.ada],
        'Give either a user id, or --query, --all or --organization with --out, not both.',
      ],
    ] as const) {
      const r = await pull([...args]);
      assert.equal(r.code, 2, args.join(' '));
      assert.ok(r.stderr.startsWith(`pull: ${message}\n`), r.stderr.split('\n')[0]);
    }
  });

  it('pull USER_ID still prints one *.userupdate.json', async () => {
    const r = await cli(['pull', '--api-url', fake.url, DEMO_USER_IDS.ada], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { $user_id: string }).$user_id, DEMO_USER_IDS.ada);
  });
});
