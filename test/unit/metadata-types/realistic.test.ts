// A larger declaration (test/fixtures/metadata-types/realistic.d.ts): each construct with a value it allows
// and one
// it does not, at exact ranges; what we do not check is any value with one information, never an error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metadataCompletions, metadataHover } from '../../../src/core/metadataTypes/assist';
import { cellTypeFor, parseCellByDeclaredType } from '../../../src/core/metadataTypes/cells';
import { metadataTypesFromJsonSchema } from '../../../src/core/metadataTypes/fromJsonSchema';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { brief, declarations, declared, FIXTURES, rangeOf, typed } from './helpers';

const types = declarations('realistic.d.ts');
const doc = (meta: string) => `{"$user_id":"user_1","public_metadata":${meta}}`;
const error = (text: string, needle: string, message: string, code = 'metadata-type-mismatch') => ({
  severity: 'error',
  code,
  message,
  range: rangeOf(text, needle),
});

const constructs: { name: string; good: string; bad: string; at: string; message: string }[] = [
  {
    name: 'type alias of string literals',
    good: '{"billing":{"plan":"pro"}}',
    bad: '{"billing":{"plan":"gold"}}',
    at: '"gold"',
    message: "'gold' is not a valid 'billing.plan': UserPublicMetadata allows 'free', 'pro' or 'enterprise'.",
  },
  {
    name: 'number literal union',
    good: '{"billing":{"plan":"pro","tier":2}}',
    bad: '{"billing":{"plan":"pro","tier":4}}',
    at: '4',
    message: "4 is not a valid 'billing.tier': UserPublicMetadata allows 1, 2 or 3.",
  },
  {
    name: 'interface referenced by name',
    good: '{"billing":{"plan":"free","address":{"country":"FR"}}}',
    bad: '{"billing":{"plan":"free","address":{"country":33}}}',
    at: '33',
    message: "'billing.address.country' must be a string, not a number.",
  },
  {
    name: 'Array<T> of object literals',
    good: '{"billing":{"plan":"free","invoices":[{"id":"in_1","paid":true}]}}',
    bad: '{"billing":{"plan":"free","invoices":[{"id":"in_1","paid":"no"}]}}',
    at: '"no"',
    message: "'billing.invoices[0].paid' must be true or false, not a string.",
  },
  {
    name: 'T[] of interfaces with a parenthesized union array',
    good: '{"teams":[{"teamId":"t1","roles":["owner","viewer"]}]}',
    bad: '{"teams":[{"teamId":"t1","roles":["owner","admin"]}]}',
    at: '"admin"',
    message:
      "'admin' is not a valid 'teams[0].roles[1]': UserPublicMetadata allows 'owner', 'editor' or 'viewer'.",
  },
  {
    name: 'Record<string, boolean>',
    good: '{"flags":{"beta":true,"newNav":false}}',
    bad: '{"flags":{"beta":"on"}}',
    at: '"on"',
    message: "'flags.beta' must be true or false, not a string.",
  },
  {
    name: 'index signature',
    good: '{"limits":{"projects":10}}',
    bad: '{"limits":{"projects":"ten"}}',
    at: '"ten"',
    message: "'limits.projects' must be a number, not a string.",
  },
  {
    name: 'string | null',
    good: '{"nickname":"Ada"}',
    bad: '{"nickname":7}',
    at: '7',
    message: "'nickname' must be a string or null, not a number.",
  },
  {
    name: 'extends',
    good: '{"reviewed":true}',
    bad: '{"reviewed":0}',
    at: '0',
    message: "'reviewed' must be true or false, not a number.",
  },
  {
    name: 'an array where an array is declared',
    good: '{"teams":[]}',
    bad: '{"teams":{"teamId":"t1"}}',
    at: '{"teamId":"t1"}',
    message: "'teams' must be an array, not an object.",
  },
];

for (const c of constructs) {
  test(`${c.name}: passes, and fails at the value`, () => {
    assert.deepEqual(typed(doc(c.good), types), []);
    const text = doc(c.bad);
    assert.deepEqual(brief(typed(text, types)), [error(text, c.at, c.message)]);
  });
}

test('a required key of a referenced interface, in a merge', () => {
  const text = doc('{"billing":{"plan":null}}');
  assert.deepEqual(brief(typed(text, types)), [
    error(
      text,
      'null',
      "'billing.plan' is required by UserPublicMetadata; null would delete it.",
      'metadata-required-key',
    ),
  ]);
});

test('unsupported constructs (a Date, a function) are any value: one information for each declaration, no error', () => {
  const text = `{"$user_id":"user_1","public_metadata":{"createdAt":"yesterday","onChange":5},"unsafe_metadata":{"theme":"dark"}}`;
  const found = typed(text, types);
  assert.deepEqual(brief(found), [
    {
      severity: 'information',
      code: 'metadata-type-unchecked',
      message:
        "'createdAt' is declared as 'Date' in UserPublicMetadata (realistic.d.ts:35), which is not checked: any value is accepted.",
      range: rangeOf(text, '"yesterday"'),
    },
    {
      severity: 'information',
      code: 'metadata-type-unchecked',
      message:
        "'onChange' is declared as '() => void' in UserPublicMetadata (realistic.d.ts:36), which is not checked: any value is accepted.",
      range: rangeOf(text, '5'),
    },
  ]);
});

test('generics that are not resolved, and a name declared nowhere, are any value without errors', () => {
  const t = declared(
    `declare global { interface UserPublicMetadata { a?: Partial<Foo>; b?: Missing; c?: \`x\${string}\` } }\nexport {}`,
  );
  const text = doc('{"a":1,"b":2,"c":3}');
  const found = typed(text, t);
  assert.deepEqual(
    found.map((d) => [d.severity, d.code]),
    [
      ['information', 'metadata-type-unchecked'],
      ['information', 'metadata-type-unchecked'],
      ['information', 'metadata-type-unchecked'],
    ],
  );
  assert.equal(found.filter((d) => d.severity === 'error').length, 0);
});

test('interfaces merge across declarations; a top-level interface of a script file is global; a module-local one is not', () => {
  const merged = declared(
    'interface UserPublicMetadata { a?: number }\ninterface UserPublicMetadata { b?: string }',
  );
  const text = doc('{"a":"x","b":1}');
  assert.deepEqual(
    typed(text, merged).map((d) => d.message),
    ["'a' must be a number, not a string.", "'b' must be a string, not a number."],
  );
  assert.equal(declared('export interface UserPublicMetadata { a?: number }'), undefined);
});

test('completion: declared keys (with types and doc comments) and literal values', () => {
  const keys = metadataCompletions(types, ['public_metadata', 'b'], true, new Set(['teams']));
  assert.deepEqual(
    keys.map((k) => k.label),
    ['reviewed', 'billing', 'flags', 'limits', 'nickname', 'createdAt', 'onChange'],
  );
  assert.equal(
    keys.find((k) => k.label === 'reviewed')?.doc,
    'When the profile was last reviewed by support.',
  );
  assert.equal(keys.find((k) => k.label === 'nickname')?.detail, 'nickname?: string | null');
  const values = metadataCompletions(types, ['public_metadata', 'billing', 'plan'], false);
  assert.deepEqual(
    values.map((v) => v.insertText),
    ['"free"', '"pro"', '"enterprise"'],
  );
  assert.deepEqual(
    metadataCompletions(types, ['public_metadata', 'billing', 'tier'], false).map((v) => v.insertText),
    ['1', '2', '3'],
  );
  assert.deepEqual(metadataCompletions(types, ['first_name'], false), []);
});

test('hover: the declaration and its doc comment', () => {
  assert.deepEqual(metadataHover(types, ['public_metadata', 'billing', 'address', 'country']), {
    declaration: 'country: string',
    doc: 'Two letters, ISO 3166-1.',
  });
  assert.deepEqual(metadataHover(types, ['public_metadata', 'billing', 'plan']), {
    declaration: 'plan: Plan',
  });
});

test('CSV dotted columns take their cell type from the declaration', () => {
  assert.equal(cellTypeFor(types, 'public_metadata.billing.tier'), 'number');
  assert.equal(cellTypeFor(types, 'public_metadata.reviewed'), 'boolean');
  assert.equal(cellTypeFor(types, 'public_metadata.billing.plan'), 'string');
  assert.equal(cellTypeFor(types, 'public_metadata.nickname'), 'string');
  assert.equal(cellTypeFor(types, 'public_metadata.teams'), 'json');
  assert.equal(cellTypeFor(types, 'public_metadata.undeclared'), 'untyped');
  assert.equal(cellTypeFor(undefined, 'public_metadata.reviewed'), 'untyped');
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.billing.tier', '3'), {
    ok: true,
    value: 3,
  });
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.reviewed', 'true'), {
    ok: true,
    value: true,
  });
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.billing.plan', '42'), {
    ok: true,
    value: '42',
  });
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.billing.tier', 'three'), {
    ok: false,
    message: "'three' is not a number: UserPublicMetadata declares 'billing.tier' as Tier (1 | 2 | 3).",
  });
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.reviewed', 'yes'), {
    ok: false,
    message: "'yes' is not true or false: UserPublicMetadata declares 'reviewed' as boolean.",
  });
  assert.deepEqual(parseCellByDeclaredType(types, 'public_metadata.nickname', 'null'), {
    ok: true,
    value: null,
  });
  assert.equal(parseCellByDeclaredType(types, 'public_metadata.undeclared', '3'), undefined);
  // JSON columns are read by the untyped rule; the value is then checked against its declaration.
  assert.equal(parseCellByDeclaredType(types, 'public_metadata.teams', '[]'), undefined);
});

test('a JSON Schema gives the same checks', () => {
  const schema = metadataTypesFromJsonSchema(
    JSON.parse(readFileSync(path.join(FIXTURES, 'schema.json'), 'utf8')),
    'schema.json',
  );
  const text = doc('{"role":"owner","seats":"3","onboarding":{"completed":null}}');
  assert.deepEqual(brief(typed(text, schema)), [
    error(text, '"owner"', "'owner' is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'."),
    error(text, '"3"', "'seats' must be a number, not a string."),
    error(
      text,
      'null',
      "'onboarding.completed' is required by UserPublicMetadata; null would delete it.",
      'metadata-required-key',
    ),
  ]);
  assert.equal(metadataTypesFromJsonSchema({ type: 'object' }, 'x.json'), undefined);
});
