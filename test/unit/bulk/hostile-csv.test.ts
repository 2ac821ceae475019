// A CSV export of users whose values are formulas: neutralised for spreadsheets, read back as they were.
// The real CLI (dist/cli.js) spawned against the fake Clerk.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { spawnCli } from '../../support/cli';
import { bundle } from '../../support/dist';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

const FAST = ['--rate', '100000/1s'];
/**
 * Values a spreadsheet would run as formulas (OWASP's list), one already escaped by hand, and a bare
 * carriage return.
 */
const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '@SUM(1)',
  '-2+3',
  '\tTab',
  "'=kept apostrophe",
  'Carriage\rReturn',
];

describe('CSV export: formula injection and bare carriage returns', () => {
  let fake: FakeClerk;
  let dir = '';
  before(async () => {
    fake = await startFake({ users: 'none' });
    HOSTILE.forEach((name, i) =>
      fake.addUser({
        id: `user_f${i}`,
        first_name: name,
        last_name: i % 2 ? '-minus' : 'Plain',
        emails: [`f${i}@example.com`],
      }),
    );
    dir = mkdtempSync(join(tmpdir(), 'cuu-hostile-csv-'));
  });
  after(() => fake.stop());
  const run = (args: string[]) =>
    spawnCli(bundle('cli.js'), [args[0], '--api-url', fake.url, ...FAST, ...args.slice(1)], {
      cwd: dir,
      env: { CLERK_SECRET_KEY: FAKE_TEST_KEY },
    });

  it('neutralises every cell that starts with = + - @ tab or CR, quotes a bare CR, and sent back unedited changes nothing', async () => {
    const pulled = await run(['pull', '--all', '--out', 'users.userupdates.csv']);
    assert.equal(pulled.code, 0, pulled.stderr);
    const text = readFileSync(join(dir, 'users.userupdates.csv'), 'utf8');
    // Another CSV reader (csv-parse, strict about record delimiters) sees one record per user.
    const records = parse(text, { record_delimiter: '\n' }) as string[][];
    assert.equal(records.length, HOSTILE.length + 1);
    const header = records[0];
    const cells = records.slice(1).flat();
    for (const cell of cells)
      assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a live formula: ${JSON.stringify(cell)}`);
    const byId = new Map(records.slice(1).map((r) => [r[0], r]));
    const first = header.indexOf('first_name');
    const last = header.indexOf('last_name');
    assert.deepEqual(
      HOSTILE.map((_, i) => byId.get(`user_f${i}`)![first]),
      [
        '\'=HYPERLINK("http://x","y")',
        "'+cmd|' /C calc'!A0",
        "'@SUM(1)",
        "'-2+3",
        "'\tTab",
        "''=kept apostrophe",
        'Carriage\rReturn',
      ],
    );
    assert.equal(byId.get('user_f1')![last], "'-minus");
    assert.ok(text.includes('"Carriage\rReturn"'), 'the cell with a bare CR is quoted');

    // Read back by this tool: the original values, so nothing changes.
    const sent = await run(['send', '--yes', 'users.userupdates.csv']);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(
      sent.stdout,
      new RegExp(`^Updated 0, unchanged ${HOSTILE.length}, failed 0 of ${HOSTILE.length} rows`),
    );
    assert.equal(fake.requestsTo('PATCH', '/v1/users/*').length, 0);
    HOSTILE.forEach((name, i) => assert.equal(fake.users.get(`user_f${i}`)?.first_name, name));
  });
});
