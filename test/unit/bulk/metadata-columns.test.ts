// A CSV export with a column per metadata key path: each cell reads back as the value it was written
// from, the rows sent back merge exactly the users' keys (nothing changes), and an edited cell changes
// that key only.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { exportUsers } from '../../../src/core/bulk/export/export';
import { MetadataColumns, metadataCell } from '../../../src/core/bulk/export/metadataColumns';
import { dottedCellValue, keyPathValue } from '../../../src/core/bulk/format/cells';
import { checkBulkText } from '../../../src/core/bulk/format/checkFile';
import { neutraliseFormula } from '../../../src/core/bulk/format/formulas';
import { ClerkClient } from '../../../src/core/clerk/client';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { input } from '../../support/bulk';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';
import { run, summaryOf } from './runHelpers';

const OPTIONS = { defaultApiVersion: '2026-05-12' } as const;

/** What a cell written for `value` reads back as, through the CSV line's formula neutralising. */
function readBack(value: unknown): unknown {
  const cell = neutraliseFormula(metadataCell(value));
  return cell === '' ? undefined : JSON.parse(dottedCellValue(cell).json);
}

describe('metadata cells', () => {
  it('writes a string as itself unless it would read as something else', () => {
    const cases: Array<[unknown, string]> = [
      ['admin', 'admin'],
      ['two words', 'two words'],
      [' 5', ' 5'],
      ['=1+1', '=1+1'],
      ['true', '"true"'],
      ['False', 'False'],
      ['3', '"3"'],
      ['-2', '"-2"'],
      ['null', '"null"'],
      ['', '""'],
      ['"quoted"', '"\\"quoted\\""'],
      ['{"a":1}', '"{\\"a\\":1}"'],
      ['[1]', '"[1]"'],
      [true, 'true'],
      [3, '3'],
      [-2.5, '-2.5'],
      [['a', 1, null], '["a",1,null]'],
      [{ a: 1, b: null, c: { d: null } }, '{"a":1,"c":{}}'],
      [{ gone: null }, ''],
      [null, ''],
      [undefined, ''],
    ];
    for (const [value, cell] of cases) assert.equal(metadataCell(value), cell, JSON.stringify(value));
  });

  it('reads a dotted cell as one JSON value only when the whole cell is one, else as a string', () => {
    const json = ['1', '-2.5', '0', 'true', 'false', '"q"', '{"a":[1]}', '[]', '1e3'];
    const text = ['member', 'Paris', 'nobody', 'fals', '-x', '01', '1 2', ' 1', '1 ', '.5', '+1', 'NaN'];
    const more = ['Infinity', '\uFEFF1', '//1', "'1'", '{"a":1,"a":2}', '{', ''];
    for (const cell of json) assert.deepEqual(keyPathValue(cell), { json: cell, raw: true }, cell);
    assert.deepEqual(keyPathValue('null'), { json: 'null', raw: false }, 'null deletes the key');
    for (const cell of [...text, ...more])
      assert.deepEqual(keyPathValue(cell), { json: JSON.stringify(cell), raw: false }, JSON.stringify(cell));
  });

  it('reads every value back as it was written (formulas neutralised and restored)', () => {
    const values: unknown[] = [
      'admin',
      'true',
      'TRUE',
      '3',
      '3.0',
      '1e3',
      '-5',
      "'-5",
      'null',
      'NULL',
      '',
      ' ',
      ' true ',
      '"',
      '""',
      '=HYPERLINK("http://x","y")',
      "'=x",
      '@me',
      '\ttab',
      'line\nbreak',
      'cr\rreturn',
      'ünïcødé 🎉',
      true,
      false,
      0,
      -7,
      1.5,
      1e21,
      [],
      ['x', { y: [1, 2] }],
      { nested: { deep: 'x' } },
    ];
    for (const value of values) assert.deepEqual(readBack(value), value, JSON.stringify(value));
  });
});

describe('metadata columns', () => {
  const user = (id: string, metadata: Partial<ClerkUser>): ClerkUser =>
    ({ id, public_metadata: {}, ...metadata }) as ClerkUser;

  it('one column per leaf path, by field then key; an object and a leaf at one path make one column', () => {
    const columns = new MetadataColumns();
    columns.add(
      user('user_1', {
        public_metadata: { role: 'admin', tags: ['a'], empty: {}, gone: null },
        private_metadata: { billing: { plan: 'team', card: { last4: '4242' } } },
        unsafe_metadata: { theme: 'dark' },
      }),
    );
    columns.add(
      user('user_2', {
        public_metadata: { 'a.b': 1, 'c\\d': 2, '': 'x', role: 'member' },
        private_metadata: { billing: 'none', crm: { '': 1, id: 'c1' } },
      }),
    );
    assert.deepEqual(columns.columns(), [
      ['public_metadata', 'a.b'],
      ['public_metadata', 'c\\d'],
      ['public_metadata', 'role'],
      ['public_metadata', 'tags'],
      ['private_metadata', 'billing'],
      ['private_metadata', 'crm'],
      ['unsafe_metadata', 'theme'],
    ]);
  });
});

describe('exporting with metadata columns', () => {
  let fake: FakeClerk;
  let client: ClerkClient;
  const metadata: Record<
    string,
    Pick<ClerkUser, 'public_metadata' | 'private_metadata' | 'unsafe_metadata'>
  > = {
    user_m1: {
      public_metadata: {
        role: 'admin',
        seats: 3,
        beta: true,
        tags: ['a', 'b'],
        looksTrue: 'true',
        looksNumber: '3',
        looksNull: 'null',
        empty: '',
        formula: '=1+1',
        negative: -2,
      },
      private_metadata: { billing: { plan: 'team', card: { last4: '4242' } } },
      unsafe_metadata: {},
    },
    user_m2: {
      public_metadata: { role: 'member', 'a.b': 'dotted' },
      private_metadata: { billing: { plan: 'free' } },
      unsafe_metadata: { theme: 'dark' },
    },
    user_m3: { public_metadata: {}, private_metadata: {}, unsafe_metadata: {} },
  };

  before(async () => {
    fake = await startFake({ users: 'none' });
    for (const [id, m] of Object.entries(metadata))
      fake.addUser({ id, first_name: id.slice(5), emails: [`${id}@example.com`], ...m });
    client = new ClerkClient({
      apiUrl: fake.url,
      secretKey: FAKE_TEST_KEY,
      apiVersion: '2026-05-12',
      userAgent: 'test',
    });
  });
  after(() => fake.stop());

  async function exported(metadataColumns: boolean): Promise<string> {
    let text = '';
    const result = await exportUsers(
      client,
      { kind: 'all' },
      'csv',
      { write: (t) => void (text += t) },
      { metadataColumns },
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.users, 3);
    return text;
  }

  /** The file's records by user id, each a map of column to cell. */
  function cellsOf(text: string): Map<string, Record<string, string>> {
    const [header, ...records] = parse(text, {}) as string[][];
    return new Map(
      records.map((r) => [r[0], Object.fromEntries(header.map((name, i) => [name, r[i]]))] as const),
    );
  }

  it('writes a column per key path instead of the metadata fields, and no $metadata column', async () => {
    const text = await exported(true);
    const header = text.slice(0, text.indexOf('\n')).split(',');
    assert.deepEqual(
      header.filter((c) => c.includes('metadata')),
      [
        'public_metadata.a\\.b',
        'public_metadata.beta',
        'public_metadata.empty',
        'public_metadata.formula',
        'public_metadata.looksNull',
        'public_metadata.looksNumber',
        'public_metadata.looksTrue',
        'public_metadata.negative',
        'public_metadata.role',
        'public_metadata.seats',
        'public_metadata.tags',
        'private_metadata.billing.card.last4',
        'private_metadata.billing.plan',
        'unsafe_metadata.theme',
      ],
    );
    assert.equal(header[0], '$user_id');
    assert.ok(header.includes('first_name'));
    const cells = cellsOf(text);
    assert.deepEqual(
      Object.entries(cells.get('user_m1')!).filter(([name]) => name.includes('metadata')),
      [
        ['public_metadata.a\\.b', ''],
        ['public_metadata.beta', 'true'],
        ['public_metadata.empty', '""'],
        ['public_metadata.formula', "'=1+1"],
        ['public_metadata.looksNull', '"null"'],
        ['public_metadata.looksNumber', '"3"'],
        ['public_metadata.looksTrue', '"true"'],
        ['public_metadata.negative', "'-2"],
        ['public_metadata.role', 'admin'],
        ['public_metadata.seats', '3'],
        ['public_metadata.tags', '["a","b"]'],
        ['private_metadata.billing.card.last4', '"4242"'],
        ['private_metadata.billing.plan', 'team'],
        ['unsafe_metadata.theme', ''],
      ],
    );
    assert.deepEqual(
      Object.values(cells.get('user_m3')!).slice(-14),
      Array.from({ length: 14 }, () => ''),
      'a user without metadata: every metadata cell empty',
    );
  });

  it('reads back as a merge of exactly each user’s keys, and sent back unchanged changes nothing', async () => {
    const text = await exported(true);
    const checked = checkBulkText(text, 'csv', OPTIONS);
    assert.deepEqual(
      checked.diagnostics.filter((d) => d.severity !== 'information'),
      [],
    );
    const rows = new Map(checked.rows.map((r) => [r.target.value, JSON.parse(r.text)]));
    for (const [id, m] of Object.entries(metadata)) {
      const row = rows.get(id);
      for (const field of ['public_metadata', 'private_metadata', 'unsafe_metadata'] as const) {
        const given = Object.keys(m[field] ?? {}).length > 0 ? m[field] : undefined;
        assert.deepEqual(row[field], given, `${id} ${field}`);
      }
      assert.equal(row.$metadata, undefined, 'merge mode');
    }
    const ran = await run(fake, checked.rows, { input: input(checked.rows, 10) });
    assert.equal(summaryOf(ran).unchanged, 3);
    assert.equal(fake.writes().arrived, 0);
  });

  it('an edited cell merges that key only; an emptied cell leaves it; null deletes it', async () => {
    const records = parse(await exported(true), {}) as string[][];
    const header = records[0];
    const at = (name: string) => header.indexOf(name);
    const m1 = records.find((r) => r[0] === 'user_m1')!;
    const m2 = records.find((r) => r[0] === 'user_m2')!;
    m1[at('public_metadata.role')] = 'owner';
    m1[at('public_metadata.seats')] = '';
    m1[at('private_metadata.billing.plan')] = 'null';
    m2[at('public_metadata.a\\.b')] = '"7"';
    const edited = stringify(records, { record_delimiter: '\n' });
    const checked = checkBulkText(edited, 'csv', OPTIONS);
    assert.equal(checked.hasErrors, false);
    // Someone else changes another key meanwhile: a merge keeps it.
    fake.users.get('user_m1')!.public_metadata.plan = 'pro';
    const ran = await run(fake, checked.rows, { input: input(checked.rows, 10) });
    const summary = summaryOf(ran);
    assert.deepEqual([summary.updated, summary.unchanged], [2, 1]);
    assert.deepEqual(fake.users.get('user_m1')!.public_metadata, {
      ...metadata.user_m1.public_metadata,
      role: 'owner',
      plan: 'pro',
    });
    assert.deepEqual(fake.users.get('user_m1')!.private_metadata, { billing: { card: { last4: '4242' } } });
    assert.deepEqual(fake.users.get('user_m2')!.public_metadata, { role: 'member', 'a.b': '7' });
  });

  it('without the option, a CSV has the whole-field columns as before', async () => {
    const text = await exported(false);
    assert.match(text.slice(0, text.indexOf('\n')), /,public_metadata,private_metadata,unsafe_metadata$/);
  });
});
