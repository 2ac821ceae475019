import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typedValue } from '../../../src/core/bulk/format/cells';
import { fieldInfo } from '../../../src/core/schema';
import { check, checkInChunks, fixture, onLine, rangeAt, summary } from './helpers';

const SEVERAL = fixture('several.userupdates.csv');

test('CSV cells are typed by their field: absent, null, strings, booleans, integers, JSON', () => {
  const type = (field: string, cell: string) => typedValue(cell, fieldInfo('2025-11-10', field, 'row'))?.json;
  assert.equal(type('first_name', ''), undefined);
  assert.equal(type('first_name', 'null'), 'null');
  assert.equal(type('external_id', '42'), '"42"');
  assert.equal(type('$external_id', '42'), '"42"');
  assert.equal(type('delete_self_enabled', 'true'), 'true');
  assert.equal(type('delete_self_enabled', 'FALSE'), 'false');
  assert.equal(type('delete_self_enabled', 'yes'), '"yes"');
  assert.equal(type('create_organizations_limit', '-3'), '-3');
  assert.equal(type('create_organizations_limit', '1.5'), '"1.5"');
  assert.equal(type('create_organizations_limit', '007'), '"007"');
  assert.equal(type('public_metadata', ' {"a": [1]}'), ' {"a": [1]}');
  assert.equal(type('public_metadata', 'plan=pro'), '"plan=pro"');
  assert.equal(type('backup_codes', '["a","b"]'), '["a","b"]');
  assert.equal(type('first_name', '{"a":1}'), '"{\\"a\\":1}"');
  assert.equal(type('nickname', 'true'), '"true"');
});

test('CSV: value problems on their cell, key problems once on the header, at exact ranges', () => {
  const t = SEVERAL;
  const r = check(t, 'csv');
  const lines = t.split('\n');
  assert.deepEqual(summary(r.diagnostics), [
    { code: 'metadata-mode', range: onLine(t, 0, 'public_metadata') },
    { code: 'unknown-property', range: onLine(t, 0, 'nickname') },
    { code: 'wrong-type', range: onLine(t, 2, 'lots') },
    { code: 'missing-target', range: onLine(t, 3, ',,Nobody,,,,') },
    { code: 'several-targets', range: onLine(t, 4, 'x@y.co') },
    { code: 'duplicate-target', range: onLine(t, 5, 'user_1') },
    // In `"{""plan"":""pro"",}"` on the second line of a two-line record: the comma itself.
    { code: 'trailing-comma', range: rangeAt(t, t.indexOf('"",}') + 2, 1) },
    { code: 'invalid-csv', range: onLine(t, 9, 'user_6,,Short') },
    { code: 'wrong-type', range: onLine(t, 10, '1.5') },
    { code: 'wrong-type', range: onLine(t, 10, 'maybe') },
    // `"{""a"":"` is not one whole JSON value: the problem is where the cell's value ends, before its closing
    // quote.
    {
      code: 'invalid-json',
      range: {
        start: { line: 10, character: lines[10].length - 2 },
        end: { line: 10, character: lines[10].length - 2 },
      },
    },
  ]);
  const messages = new Map(r.diagnostics.map((d) => [d.code, d.message]));
  assert.equal(
    messages.get('invalid-csv'),
    'This row has 3 cells, the header 7: a missing or extra comma would put values under the wrong columns.',
  );
  assert.equal(messages.get('invalid-json'), 'Expected a value, found the end of the cell.');
  assert.equal(
    messages.get('duplicate-target'),
    "Line 2 already targets '$user_id:user_1': both rows update the same user, so their order would matter.",
  );
  assert.equal(
    r.diagnostics.filter((d) => d.code === 'unknown-property').length,
    1,
    'once, though two rows... one row has a value',
  );
  assert.ok(
    r.diagnostics.every((d) => !d.fixes),
    'fixes edit JSON, not CSV',
  );
  for (const d of r.diagnostics) assert.deepEqual(d.range, rangeAt(t, d.offset, d.length), d.code);
});

test('CSV: each row without errors as the JSON of its non-empty cells', () => {
  const r = check(SEVERAL, 'csv');
  assert.deepEqual(r.rows, [
    {
      row: 2,
      text: '{"$user_id":"user_1","first_name":"Ada","create_organizations_limit":5,"delete_self_enabled":true,"public_metadata":{"plan":"pro"}}',
      target: { kind: 'user_id', value: 'user_1' },
      apiVersion: undefined,
    },
    {
      row: 6,
      text: '{"$user_id":"user_1","first_name":"Again"}',
      target: { kind: 'user_id', value: 'user_1' },
      apiVersion: undefined,
    },
  ]);
  const valid = check(fixture('valid.userupdates.csv'), 'csv');
  assert.equal(valid.hasErrors, false);
  assert.deepEqual(
    valid.rows.map((row) => row.text),
    [
      '{"$email":"ada@example.com","external_id":"42","first_name":"Ada","public_metadata":{"plan":"pro"}}',
      '{"$email":"grace@example.com","first_name":"Grace"}',
    ],
  );
  assert.deepEqual(JSON.parse(valid.rows[0].text).external_id, '42');
});

test('CSV: quoting, a raw JSON cell with doubled quotes maps to the exact characters', () => {
  const t = '$user_id,public_metadata\r\nuser_1,"{""a"": 1, ""a"": 2, // x\r\n""b"": ""\u00e9""}"\r\n';
  const r = check(t, 'csv', { defaultApiVersion: '2025-11-10' });
  assert.deepEqual(summary(r.diagnostics.filter((d) => d.code !== 'metadata-mode')), [
    { code: 'duplicate-key', range: rangeAt(t, t.indexOf('""a"": 2'), 5) },
    { code: 'comment', range: rangeAt(t, t.indexOf('// x'), 4) },
  ]);
  assert.equal(r.diagnostics.filter((d) => d.code !== 'metadata-mode')[1].range.start.line, 1);
});

test('CSV: a column of secrets is an error on the header once, unless allowed; a header without a target column too', () => {
  const t = '$email,password\nada@example.com,hunter2hunter2\ngrace@example.com,\n';
  const r = check(t, 'csv');
  assert.deepEqual(summary(r.diagnostics), [
    { code: 'secret-in-bulk-file', range: onLine(t, 0, 'password') },
  ]);
  assert.deepEqual(
    r.rows.map((row) => row.row),
    [3],
    'a row without the secret is fine',
  );
  assert.ok(!r.diagnostics.some((d) => d.message.includes('hunter2')));
  assert.deepEqual(
    check(t, 'csv', { allowSecrets: true }).rows.map((row) => row.row),
    [2, 3],
  );
  const noTarget = 'first_name,last_name\nAda,Lovelace\nGrace,Hopper\n';
  const n = check(noTarget, 'csv');
  assert.deepEqual(summary(n.diagnostics), [
    { code: 'missing-target', range: onLine(noTarget, 0, 'first_name,last_name') },
  ]);
  assert.equal(
    n.diagnostics[0].message,
    "The header has no target column: add a column '$user_id', '$external_id' or '$email', so that each row names its user.",
  );
  assert.deepEqual(n.rows, []);
  const twice = '$user_id,first_name,first_name\nuser_1,Ada,Grace\n';
  assert.deepEqual(summary(check(twice, 'csv').diagnostics), [
    { code: 'duplicate-key', range: onLine(twice, 0, 'first_name', 2) },
  ]);
});

test('CSV syntax: a stray quote, a quote not closed, text after a closing quote; rows before the error are checked', () => {
  const stray = '$user_id,first_name\nuser_1,Ada\nuser_2,5\'10"\nuser_3,x\n';
  const s = check(stray, 'csv');
  assert.deepEqual(summary(s.diagnostics), [{ code: 'invalid-csv', range: onLine(stray, 2, '"') }]);
  assert.match(s.diagnostics[0].message, /^A quote inside a cell that does not start with one/);
  assert.deepEqual(
    s.rows.map((r) => r.row),
    [2],
  );
  const unclosed = '$user_id,first_name\nuser_1,"Ada\nuser_2,Grace\n';
  assert.deepEqual(summary(check(unclosed, 'csv').diagnostics), [
    { code: 'invalid-csv', range: onLine(unclosed, 1, '"') },
  ]);
  const after = '$user_id,first_name\nuser_1,"Ada"x\n';
  assert.deepEqual(summary(check(after, 'csv').diagnostics), [
    { code: 'invalid-csv', range: onLine(after, 1, 'x') },
  ]);
});

test('CSV: blank records are skipped; an empty file and a header alone are errors', () => {
  const t = '\n$user_id,first_name\n\n,\nuser_1,Ada\n,,\n';
  const r = check(t, 'csv');
  assert.deepEqual(r.diagnostics, []);
  assert.deepEqual(
    r.rows.map((row) => row.row),
    [5],
  );
  assert.deepEqual(
    check('', 'csv').diagnostics.map((d) => d.code),
    ['empty-file'],
  );
  assert.deepEqual(
    check('$user_id,first_name\n', 'csv').diagnostics.map((d) => [d.code, d.message]),
    [['empty-file', 'The file has a header but no rows.']],
  );
  assert.deepEqual(
    check('\ufeff$user_id\nuser_1\n', 'csv').rows.map((row) => row.text),
    ['{"$user_id":"user_1"}'],
  );
});

test('CSV streaming: any chunking gives the same diagnostics and rows as the whole text', () => {
  const text = SEVERAL.replace(/\n/g, '\r\n');
  const whole = check(text, 'csv');
  assert.equal(whole.diagnostics.length, 11);
  for (const size of [1, 2, 5, 13, 64, 4096]) {
    const { diagnostics, rows } = checkInChunks(text, 'csv', size);
    assert.deepEqual(diagnostics, whole.diagnostics, `chunks of ${size}`);
    assert.deepEqual(rows, whole.rows, `chunks of ${size}`);
  }
});
