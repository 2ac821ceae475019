// The quick check of common CSV records (src/core/bulk/format/quickRecord.ts) against the full pipeline: for
// every record, under every API version, with and without secrets allowed and metadata types, the result is
// the same (diagnostics with their ranges and messages, the target and where it is, the row's JSON text),
// whichever path took it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkCsvRecord, CsvHeader } from '../../../src/core/bulk/format/csv';
import { type CsvRecord, CsvReader } from '../../../src/core/bulk/format/csvRead';
import { rowJson } from '../../../src/core/bulk/format/cells';
import { quickRecord } from '../../../src/core/bulk/format/quickRecord';
import { DEFAULT_API_VERSION } from '../../../src/core/versions';
import { quickOptionSets as optionSets } from './helpers';
import { seededRandom } from '../../../src/fake/random';

/** A cell as CSV writes it: quoted when it has a comma, a quote or a line break. */
const cell = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The values each column's cells are drawn from: the common ones first, then the uncommon. */
const VALUES: Record<string, string[]> = {
  $user_id: ['user_2x1', 'user_29w83sxmDNGwOuEthce5gg56FcC', 'usr_1', 'user 1', 'user_1/2', 'null'],
  $email: ['ada@example.com', 'ADA@Example.com', 'not-an-address', '"ada"@example.com', 'null'],
  $external_id: ['crm-1', 'crm,1', 'a\\b', 'null'],
  external_id: ['crm-7', 'null', 'say "hi"', "'=1+2", "'-3", 'a\u0001b', 'x'.repeat(3000)],
  first_name: ['Ada', 'José 🙂', 'null', 'NULL', 'a\uD800b', 'a\nb', '€'.repeat(900), 'x'.repeat(2800)],
  last_name: ['Lovelace', '', "O'Brien"],
  username: ['ada', 'null', "'@ada"],
  locale: ['fr-FR', 'en_US', 'null'],
  created_at: ['2012-10-20T07:15:20.902Z', '2012-10-20', 'yesterday', 'null'],
  delete_self_enabled: ['true', 'FALSE', 'True', 'yes', 'null', '1'],
  public_metadata: [
    '{"plan":"pro","seats":3}',
    '{"plan":"pro"}',
    '{}',
    ' {"a": [1, {"b": null}]}',
    '{"a":1,"a":2}',
    '{"a":"\\u00e9"}',
    '{"n":1e400}',
    '{bad',
    '{"a":1} x',
    '[1,2]',
    'null',
    '"text"',
    'plain',
    "'{}",
    `{"big":"${'x'.repeat(9000)}"}`,
  ],
  private_metadata: ['{"n":1.5}', '{"a\uD800":1}', '[]'],
  unsafe_metadata: ['{"a b":true}', '{"deep":' + '['.repeat(70) + ']'.repeat(70) + '}'],
  password: ['hunter22hunter22'],
  $api_version: ['2021-02-05', 'latest'],
  $metadata: ['replace', 'merge'],
  'public_metadata.role': ['admin', '3'],
  firstName: ['Ada'],
};

/** Headers whose records may be quick, then headers whose records never are. */
const QUICK_HEADERS = [
  ['$user_id', '$email', 'external_id', 'first_name', 'public_metadata'],
  [
    '$external_id',
    'last_name',
    'username',
    'locale',
    'created_at',
    'delete_self_enabled',
    'private_metadata',
  ],
  ['unsafe_metadata', '$email', '$user_id', 'first_name'],
];
const OTHER_HEADERS = [
  ['$user_id', 'public_metadata.role'],
  ['$user_id', '$api_version', 'first_name'],
  ['$user_id', 'first_name', 'first_name'],
  ['$user_id', 'password'],
  ['$user_id', '$metadata', 'public_metadata'],
  ['$user_id', 'firstName'],
];

/** A file of `count` records under `columns`, their cells drawn at random (a fixed seed). */
function csvFile(columns: readonly string[], count: number, seed: number): string {
  const random = seededRandom(seed);
  const lines = [columns.join(',')];
  for (let i = 0; i < count; i++) {
    const targetColumn = columns.filter(
      (c) => c.startsWith('$') && !c.startsWith('$m') && !c.startsWith('$a'),
    );
    const target = targetColumn[Math.floor(random() * targetColumn.length)];
    lines.push(
      columns
        .map((column) => {
          const values = VALUES[column];
          // Mostly one target and common values; sometimes two targets, an empty cell, or an uncommon value.
          if (column.startsWith('$') && column !== target && !VALUES[column].includes('replace'))
            return random() < 0.1 ? cell(values[0]) : '';
          if (random() < 0.25) return '';
          const common = random() < 0.6;
          return cell(common ? values[0] : values[Math.floor(random() * values.length)]);
        })
        .join(','),
    );
  }
  return lines.join('\r\n') + '\n';
}

function records(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const reader = new CsvReader(
    (record) => out.push(record),
    (error) => assert.fail(error.message),
  );
  reader.push(text);
  reader.end();
  return out;
}

/** Checks every record of `text` both ways; the count of records the quick path took. */
function sameEitherWay(text: string): { quick: number; total: number } {
  let quick = 0;
  let total = 0;
  for (const options of optionSets()) {
    const [first, ...rest] = records(text);
    const header = new CsvHeader(first, options);
    for (const record of rest) {
      const full = checkCsvRecord(record, header, options, false);
      const either = checkCsvRecord(record, header, options);
      total++;
      const where = `${record.raw.slice(0, 160)} under ${JSON.stringify(options).slice(0, 100)}`;
      if (!full || !either) {
        assert.equal(either, full, where);
        continue;
      }
      const { rangeOf: fullRange, ...fullRest } = full;
      const { rangeOf: eitherRange, ...eitherRest } = either;
      assert.deepEqual(eitherRest, fullRest, where);
      for (const span of [full.span, full.targetSpan, { offset: 1, length: 2 }])
        if (span) assert.deepEqual(eitherRange(span), fullRange(span), where);
      const json = rowJson(record.cells, header.columns, record.length);
      const whole = { offset: 0, length: record.length };
      if (
        header.quick &&
        quickRecord(record.cells, header.columns, json, options.defaultApiVersion, options, whole, fullRange)
      )
        quick++;
    }
  }
  return { quick, total };
}

test('quick records: records of every kind get the same result with the quick check as without', () => {
  let quick = 0;
  let total = 0;
  QUICK_HEADERS.forEach((columns, i) => {
    const counts = sameEitherWay(csvFile(columns, 400, 20261207 + i));
    quick += counts.quick;
    total += counts.total;
  });
  // Both paths are exercised.
  assert.ok(quick > total / 10 && quick < total - total / 10, `${quick} of ${total} quick`);
});

test('quick records: the common records of the bench are quick; headers with other columns never are', () => {
  const options = { defaultApiVersion: DEFAULT_API_VERSION };
  const text =
    '$user_id,$email,external_id,first_name,public_metadata\n' +
    'user_2x00000000,,crm-0,Ada 0,\n' +
    ',ada.1@example.com,,,"{""plan"":""pro"",""seats"":1}"\n';
  const [first, ...rest] = records(text);
  const header = new CsvHeader(first, options);
  assert.equal(header.quick, true);
  const results = rest.map((r) => checkCsvRecord(r, header, options));
  assert.deepEqual(
    results.map((r) => [r?.text, r?.targetSpan, r?.diagnostics.length, r?.hasErrors]),
    [
      [
        '{"$user_id":"user_2x00000000","external_id":"crm-0","first_name":"Ada 0"}',
        { offset: 0, length: 15 },
        0,
        false,
      ],
      [
        '{"$email":"ada.1@example.com","public_metadata":{"plan":"pro","seats":1}}',
        { offset: 1, length: 17 },
        0,
        false,
      ],
    ],
  );
  for (const columns of OTHER_HEADERS) {
    const [head] = records(columns.join(',') + '\n');
    assert.equal(new CsvHeader(head, options).quick, false, columns.join(','));
    sameEitherWay(csvFile(columns, 100, 7));
  }
});
