import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeDocument } from '../../../src/core/analyze';
import { bulkChecker } from '../../../src/core/bulk/format/checkFile';
import { check, checkInChunks, fixture, onLine, rangeAt, summary } from './helpers';

const SEVERAL = fixture('several.userupdates.jsonl');

test('JSONL: each line gets the single-file diagnostics and the bulk checks, at exact ranges in the file', () => {
  const r = check(SEVERAL, 'jsonl');
  const t = SEVERAL;
  const line9 = t.split('\n')[9];
  assert.deepEqual(summary(r.diagnostics), [
    { code: 'wrong-type', range: onLine(t, 2, '42') },
    { code: 'missing-target', range: onLine(t, 3, '{"first_name": "Nobody"}') },
    { code: 'several-targets', range: onLine(t, 4, '"$email"') },
    { code: 'duplicate-target', range: onLine(t, 5, '"user_1"') },
    { code: 'secret-in-bulk-file', range: onLine(t, 6, '"password"') },
    { code: 'mixed-api-versions', range: onLine(t, 7, '"2025-11-10"') },
    { code: 'invalid-email', range: onLine(t, 8, '"not-an-address"') },
    { code: 'unknown-property', range: onLine(t, 8, '"firstName"') },
    {
      code: 'invalid-json',
      range: { start: { line: 9, character: line9.length }, end: { line: 9, character: line9.length } },
    },
  ]);
  const byCode = (code: string) => r.diagnostics.find((d) => d.code === code)!;
  assert.equal(byCode('duplicate-target').severity, 'warning');
  assert.equal(
    byCode('duplicate-target').message,
    "Line 1 already targets '$user_id:user_1': both rows update the same user, so their order would matter.",
  );
  assert.equal(
    byCode('several-targets').message,
    "This row already names its user with '$user_id': give exactly one of '$user_id', '$external_id' or '$email'.",
  );
  assert.match(
    byCode('secret-in-bulk-file').message,
    /^'password' in a bulk file: a file of passwords is a file to delete.*'clerkUserUpdate\.bulk\.allowSecrets'.*--allow-secrets/,
  );
  assert.ok(!r.diagnostics.some((d) => d.message.includes('correct horse')), 'no secret value in a message');
  assert.equal(
    byCode('mixed-api-versions').message,
    "'$api_version' 2025-11-10 differs from the rest of the file: line 1 has no '$api_version' and is checked and sent under 2026-05-12 (the default). A bulk file is sent under one API version.",
  );
  assert.equal(
    byCode('invalid-json').message,
    'Expected "}" to close the object opened with "{" at column 1, found the end of the line.',
  );
  // Offsets are the file's, so a fix applies to the file as it is.
  const fix = byCode('unknown-property').fixes![0].edits[0];
  assert.equal(t.slice(fix.offset, fix.offset + fix.length), '"firstName"');
  assert.equal(fix.newText, '"first_name"');
  for (const d of r.diagnostics) assert.deepEqual(d.range, rangeAt(t, d.offset, d.length), d.code);
});

test('JSONL: the rows without errors, for the run engine (a duplicate is only a warning)', () => {
  const r = check(SEVERAL, 'jsonl');
  assert.deepEqual(r.rows, [
    {
      row: 1,
      text: '{"$user_id": "user_1", "first_name": "Ada"}',
      target: { kind: 'user_id', value: 'user_1' },
      apiVersion: undefined,
    },
    {
      row: 6,
      text: '{"$user_id": "user_1", "last_name": "Lovelace"}',
      target: { kind: 'user_id', value: 'user_1' },
      apiVersion: undefined,
    },
  ]);
  const valid = check(fixture('valid.userupdates.jsonl'), 'jsonl');
  assert.deepEqual(
    valid.rows.map((row) => [row.row, row.target]),
    [
      [1, { kind: 'user_id', value: 'user_1' }],
      [2, { kind: 'external_id', value: 'ext-2' }],
      [3, { kind: 'email', value: 'grace@example.com' }],
    ],
  );
  assert.equal(valid.hasErrors, false);
  assert.deepEqual(
    valid.diagnostics.map((d) => d.code),
    ['metadata-mode'],
  );
});

test('$external_id and $email are reserved keys of bulk rows only: unknown in a single file', () => {
  const row = '{"$external_id": "e1", "$email": "ada@example.com", "first_name": "Ada"}';
  const single = analyzeDocument(row, { defaultApiVersion: '2026-05-12' });
  assert.deepEqual(
    single.diagnostics.map((d) => [d.code, row.slice(d.offset, d.offset + d.length)]),
    [
      ['unknown-property', '"$external_id"'],
      ['unknown-property', '"$email"'],
    ],
  );
  assert.match(
    single.diagnostics[0].message,
    /The reserved keys are '\$schema', '\$user_id', '\$api_version' and '\$metadata'\./,
  );
  const asRow = analyzeDocument(row, { defaultApiVersion: '2026-05-12', kind: 'row' });
  assert.deepEqual(asRow.diagnostics, []);
  const typo = analyzeDocument('{"$emial": "a@b.co"}', { defaultApiVersion: '2026-05-12', kind: 'row' });
  assert.match(
    typo.diagnostics[0].message,
    /The reserved keys are '\$schema', '\$user_id', '\$external_id', '\$email', '\$api_version' and '\$metadata'\. Did you mean '\$email'\?/,
  );
  const wrong = check('{"$external_id": 42}\n{"$email": null}\n', 'jsonl');
  assert.deepEqual(
    wrong.diagnostics.map((d) => [d.code, d.message]),
    [
      ['wrong-type', "'$external_id' must be a string, not a number (42)."],
      ['wrong-type', "'$email' must be a string, not null."],
    ],
  );
});

test('targets: none, empty, two, and the same user twice (emails without case)', () => {
  const t = [
    '{"first_name": "A"}',
    '{"$user_id": ""}',
    '{"$email": "Ada@Example.com", "$external_id": "e"}',
    '{"$email": "ada@example.com"}',
    '{"$email": "ADA@example.com"}',
    '{"$external_id": "ada@example.com"}',
    '{"$user_id": "user_1", "$user_id": "user_2"}',
  ].join('\n');
  const r = check(t, 'jsonl');
  assert.deepEqual(summary(r.diagnostics), [
    { code: 'missing-target', range: onLine(t, 0, '{"first_name": "A"}') },
    { code: 'id-prefix-mismatch', range: onLine(t, 1, '""') },
    { code: 'missing-target', range: onLine(t, 1, '""') },
    { code: 'several-targets', range: onLine(t, 2, '"$external_id"') },
    { code: 'duplicate-target', range: onLine(t, 4, '"ADA@example.com"') },
    { code: 'duplicate-key', range: onLine(t, 6, '"$user_id"', 2) },
  ]);
  assert.equal(r.diagnostics[2].message, "'$user_id' is empty: a row must name its user.");
  assert.match(
    r.diagnostics.find((d) => d.code === 'duplicate-target')!.message,
    /^Line 4 already targets '\$email:ADA@example\.com'/,
  );
});

test('secrets are an error unless allowed, and never quoted', () => {
  const t =
    '{"$user_id": "user_1", "password": "hunter2hunter2", "password_digest": "$2a$10$abc", "password_hasher": "bcrypt"}\n{"$user_id": "user_2", "totp_secret": "JBSWY3DPEHPK3PXP", "backup_codes": ["a1", "b2"]}\n';
  const r = check(t, 'jsonl');
  assert.deepEqual(
    r.diagnostics.filter((d) => d.code === 'secret-in-bulk-file').map((d) => d.range),
    ['"password"', '"password_digest"', '"totp_secret"', '"backup_codes"'].map((k) =>
      onLine(t, k === '"totp_secret"' || k === '"backup_codes"' ? 1 : 0, k),
    ),
  );
  for (const d of r.diagnostics)
    for (const secret of ['hunter2', '$2a$10$abc', 'JBSWY3DPEHPK3PXP', 'a1'])
      assert.ok(!d.message.includes(secret), d.message);
  assert.deepEqual(r.rows, []);
  const allowed = check(t, 'jsonl', { allowSecrets: true });
  assert.deepEqual(
    allowed.diagnostics.map((d) => d.code),
    ['password-and-digest'],
  );
  assert.deepEqual(
    allowed.rows.map((row) => row.row),
    [2],
  );
});

test('$api_version: the same on every row; a row without one is under the default', () => {
  const same = check(
    '{"$user_id": "user_1", "$api_version": "2025-11-10"}\n{"$user_id": "user_2", "$api_version": "2025-11-10"}\n',
    'jsonl',
  );
  assert.deepEqual(same.diagnostics, []);
  assert.deepEqual(
    same.rows.map((r) => r.apiVersion),
    ['2025-11-10', '2025-11-10'],
  );
  // It wins over the default: a replaced metadata field under 2025-11-10 goes in the PATCH, and may be null.
  const metadata = check(
    '{"$user_id": "user_1", "$api_version": "2025-11-10", "$metadata": "replace", "public_metadata": null}\n',
    'jsonl',
    { defaultApiVersion: '2026-05-12' },
  );
  assert.deepEqual(
    metadata.diagnostics.map((d) => [d.code, /in the PATCH \/v1\/users\/\{id\} body/.test(d.message)]),
    [['metadata-mode', true]],
  );
  const t =
    '{"$user_id": "user_1", "$api_version": "2025-11-10"}\n{"$user_id": "user_2"}\n{"$user_id": "user_3", "$api_version": "2024-10-01"}\n{"$user_id": "user_4", "$api_version": "2025-11-10"}\n';
  const mixed = check(t, 'jsonl');
  assert.deepEqual(summary(mixed.diagnostics), [
    { code: 'mixed-api-versions', range: onLine(t, 1, '{"$user_id": "user_2"}') },
    { code: 'mixed-api-versions', range: onLine(t, 2, '"2024-10-01"') },
  ]);
  assert.equal(
    mixed.diagnostics[0].message,
    "This row has no '$api_version', so it would be checked and sent under 2026-05-12 (the default), but line 1 names 2025-11-10. Name the same '$api_version' on every row, or on none.",
  );
  assert.deepEqual(
    mixed.rows.map((r) => r.row),
    [1, 4],
  );
  // With --api-version 2025-11-10 the row without one is under the same version.
  assert.deepEqual(
    check(t, 'jsonl', { defaultApiVersion: '2025-11-10' }).diagnostics.map((d) => d.range.start.line),
    [2],
  );
});

test('blank lines, CRLF, a lone CR and a BOM: lines are numbered as the editor numbers them', () => {
  const t =
    '\ufeff{"$user_id": "user_1", "first_name": 1}\r\n   \r\n\r{"$user_id": "user_2", "last_name": 2}\n\t\n';
  const r = check(t, 'jsonl');
  assert.deepEqual(summary(r.diagnostics), [
    { code: 'bom', range: rangeAt(t, 0, 1) },
    { code: 'wrong-type', range: rangeAt(t, t.indexOf('1}'), 1) },
    { code: 'wrong-type', range: rangeAt(t, t.indexOf('2}'), 1) },
  ]);
  assert.equal(r.diagnostics[2].range.start.line, 3);
  assert.deepEqual(
    check('\n \n', 'jsonl').diagnostics.map((d) => [d.code, d.message]),
    [
      [
        'empty-file',
        'The file has no rows: a *.userupdates.jsonl holds one JSON object per line, each naming its user.',
      ],
    ],
  );
});

test('streaming: any chunking gives the same diagnostics and rows as the whole text', () => {
  const text = SEVERAL + '\r\n{"$user_id": "user_10"}\r';
  const whole = check(text, 'jsonl');
  for (const size of [1, 2, 3, 7, 64, 4096]) {
    const { diagnostics, rows } = checkInChunks(text, 'jsonl', size);
    assert.deepEqual(diagnostics, whole.diagnostics, `chunks of ${size}`);
    assert.deepEqual(rows, whole.rows, `chunks of ${size}`);
  }
});

test('streaming 100,000 rows: only the targets are kept, and every duplicate is found', () => {
  let warnings = 0;
  let rows = 0;
  const checker = bulkChecker(
    'jsonl',
    { defaultApiVersion: '2026-05-12' },
    { diagnostic: (d) => (warnings += d.code === 'duplicate-target' ? 1 : 0), row: () => rows++ },
  );
  for (let start = 0; start < 100_000; start += 1000) {
    let chunk = '';
    for (let i = start; i < start + 1000; i++)
      chunk += `{"$user_id": "user_${i % 99_990}", "first_name": "Ada ${i}"}\n`;
    checker.push(chunk);
  }
  checker.end();
  assert.equal(rows, 100_000);
  assert.equal(warnings, 10);
});
