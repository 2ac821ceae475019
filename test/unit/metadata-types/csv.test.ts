// CSV dotted columns (`public_metadata.seats`) read by the declared type of their key: 3 is a number in a
// number column and stays "3" in a string column; a cell that is not of its type is an error on that cell.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBulkText } from '../../../src/core/bulk/format/checkFile';
import type { CoreDiagnostic } from '../../../src/core/diagnostics';
import type { MetadataTypes } from '../../../src/core/metadataTypes/model';
import { onLine } from '../bulk/helpers';
import { declarations } from './helpers';

const types = declarations('globals.d.ts');
const realistic = declarations('realistic.d.ts');

const HEADER =
  '$user_id,public_metadata.seats,public_metadata.role,public_metadata.onboarding.completed,private_metadata.stripeCustomerId';
const CSV = [
  HEADER,
  'user_1,3,admin,true,3',
  'user_2,three,owner,yes,cus_2',
  'user_3,"4",member,FALSE,null',
  'user_4,"thr""ee",,,',
  '',
].join('\n');

const check = (text: string, metadataTypes: MetadataTypes | undefined) =>
  checkBulkText(text, 'csv', { defaultApiVersion: '2025-11-10', metadataTypes });

/** The typed-metadata diagnostics (the others are the untyped pipeline's). */
const typedOnly = (diagnostics: CoreDiagnostic[]) =>
  diagnostics
    .filter((d) => d.code.startsWith('metadata-') && d.code !== 'metadata-mode')
    .map((d) => ({ severity: d.severity, code: d.code, message: d.message, path: d.path, range: d.range }));

const mismatch = (line: number, cell: string, message: string, path: string) => ({
  severity: 'error',
  code: 'metadata-type-mismatch',
  message,
  path,
  range: onLine(CSV, line, cell),
});

test('a declared cell that is not of its type is an error on the cell; a wrong literal names the allowed', () => {
  const r = check(CSV, types);
  assert.deepEqual(typedOnly(r.diagnostics), [
    mismatch(
      2,
      'three',
      "'three' is not a number: UserPublicMetadata declares 'seats' as number.",
      '/public_metadata/seats',
    ),
    mismatch(
      2,
      'owner',
      "'owner' is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'.",
      '/public_metadata/role',
    ),
    mismatch(
      2,
      'yes',
      "'yes' is not true or false: UserPublicMetadata declares 'onboarding.completed' as boolean.",
      '/public_metadata/onboarding/completed',
    ),
    // A quoted cell: the whole cell, its quotes and its doubled quote included.
    mismatch(
      4,
      '"thr""ee"',
      `'thr"ee' is not a number: UserPublicMetadata declares 'seats' as number.`,
      '/public_metadata/seats',
    ),
  ]);
  assert.equal(r.hasErrors, true);
});

test('what a run sends: numbers and booleans of their declared type, a string column keeps "3"', () => {
  const r = check(CSV, types);
  assert.deepEqual(
    r.rows.map((row) => [row.row, JSON.parse(row.text)]),
    [
      [
        2,
        {
          $user_id: 'user_1',
          public_metadata: { seats: 3, role: 'admin', onboarding: { completed: true } },
          private_metadata: { stripeCustomerId: '3' },
        },
      ],
      [
        4,
        {
          $user_id: 'user_3',
          public_metadata: { seats: 4, role: 'member', onboarding: { completed: false } },
          private_metadata: { stripeCustomerId: null },
        },
      ],
    ],
  );
});

test('without declarations the cells are read as before: a JSON literal when the cell is one', () => {
  const r = check(CSV, undefined);
  assert.deepEqual(typedOnly(r.diagnostics), []);
  assert.deepEqual(
    r.rows.map((row) => JSON.parse(row.text)),
    [
      {
        $user_id: 'user_1',
        public_metadata: { seats: 3, role: 'admin', onboarding: { completed: true } },
        private_metadata: { stripeCustomerId: 3 },
      },
      {
        $user_id: 'user_2',
        public_metadata: { seats: 'three', role: 'owner', onboarding: { completed: 'yes' } },
        private_metadata: { stripeCustomerId: 'cus_2' },
      },
      {
        $user_id: 'user_3',
        public_metadata: { seats: 4, role: 'member', onboarding: { completed: 'FALSE' } },
        private_metadata: { stripeCustomerId: null },
      },
      { $user_id: 'user_4', public_metadata: { seats: 'thr"ee' } },
    ],
  );
});

test('a number literal union through a type alias, and a JSON column checked after the untyped rule', () => {
  const text = [
    '$user_id,public_metadata.billing.plan,public_metadata.billing.tier,public_metadata.teams',
    'user_1,pro,2,"[{""teamId"":""t1"",""roles"":[""owner""]}]"',
    'user_2,pro,4,[]',
    'user_3,pro,two,solo',
    '',
  ].join('\n');
  const at = (line: number, cell: string) => onLine(text, line, cell);
  assert.deepEqual(
    typedOnly(check(text, realistic).diagnostics).map((d) => [d.message, d.range]),
    [
      ["4 is not a valid 'billing.tier': UserPublicMetadata allows 1, 2 or 3.", at(2, '4')],
      [
        "'two' is not a number: UserPublicMetadata declares 'billing.tier' as Tier (1 | 2 | 3).",
        at(3, 'two'),
      ],
      ["'teams' must be an array, not a string.", at(3, 'solo')],
    ],
  );
  assert.deepEqual(JSON.parse(check(text, realistic).rows[0].text).public_metadata, {
    billing: { plan: 'pro', tier: 2 },
    teams: [{ teamId: 't1', roles: ['owner'] }],
  });
});

test("an export's cells read back the same under the declarations: quoted strings, guarded formulas", () => {
  // What `pull --metadata-columns` writes for the string "4242", the string "null" and the number -2.
  const text = [
    '$user_id,public_metadata.seats,private_metadata.stripeCustomerId',
    `user_1,'-2,"""4242"""`,
    'user_2,,"""null"""',
    '',
  ].join('\n');
  const r = check(text, types);
  assert.deepEqual(typedOnly(r.diagnostics), []);
  assert.deepEqual(
    r.rows.map((row) => JSON.parse(row.text)),
    [
      { $user_id: 'user_1', public_metadata: { seats: -2 }, private_metadata: { stripeCustomerId: '4242' } },
      { $user_id: 'user_2', private_metadata: { stripeCustomerId: 'null' } },
    ],
  );
});
