// The quick check of common bulk rows (src/core/bulk/format/quickRow.ts) against the full pipeline: for every
// row, under every API version, with and without secrets allowed and metadata types, the result is the same
// (diagnostics with their ranges, messages and fixes, the target and where it is), whichever path took it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkJsonlLine } from '../../../src/core/bulk/format/jsonl';
import { quickRowChecks } from '../../../src/core/bulk/format/quickRow';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../../../src/core/versions';
import { quickOptionSets as optionSets } from './helpers';
import { seededRandom } from '../../../src/fake/random';

const row = (fields: Record<string, unknown>): string => JSON.stringify(fields);

/** Rows the quick path takes. */
const COMMON = [
  row({ $user_id: 'user_2x00000001e', external_id: 'crm-1', first_name: 'Ada 1' }),
  row({ $email: 'ada.1@example.com', public_metadata: { plan: 'pro', seats: 1 } }),
  row({ $email: 'ada.2@example.com', public_metadata: { plan: 'pro' } }),
  row({ $external_id: 'crm-7', last_name: 'Lovelace', username: 'ada', locale: 'fr-FR' }),
  row({ $user_id: 'user_1', created_at: '2012-10-20T07:15:20.902Z', legal_accepted_at: null }),
  row({
    $user_id: 'user_1',
    first_name: null,
    delete_self_enabled: false,
    create_organization_enabled: true,
  }),
  row({
    $user_id: 'user_1',
    private_metadata: {},
    unsafe_metadata: { a: [1, { b: null }], c: 'https://x.y/?a=b:c' },
  }),
  ' {"$user_id" : "user_1",\t"first_name":"José 🙂"}  ',
  row({ public_metadata: { role: 'admin' }, $user_id: 'user_9', private_metadata: { n: 1.5e3 } }),
  row({ $email: 'ada@example.com', bypass_client_trust: true, skip_legal_checks: false }),
  // 4,000 bytes of UTF-8: within the bound of a string field.
  row({ $user_id: 'user_1', first_name: 'é'.repeat(2000) }),
];

/** Rows the full pipeline has something to say about, or that the quick check leaves to it. */
const UNCOMMON = [
  '',
  '{}',
  '[]',
  'null',
  '{"$user_id": "user_1",}',
  '{"$user_id": "user_1", // a comment\n}',
  '\uFEFF{"$user_id": "user_1"}',
  row({ first_name: 'Nobody' }),
  row({ $user_id: '' }),
  row({ $user_id: 'usr_1' }),
  row({ $user_id: 'user 1' }),
  row({ $user_id: 'user_1/2' }),
  row({ $user_id: 42 }),
  row({ $email: 'not-an-address' }),
  row({ $email: 'ADA@Example.com', $user_id: 'user_1' }),
  row({ $external_id: '' }),
  row({ $external_id: null }),
  '{"$user_id": "user_1", "$user_id": "user_2"}',
  '{"$user_id": "user_1", "first_name": "A", "first_name": "B"}',
  '{"$user_id": "user_1", "public_metadata": {"a": 1, "a": 2}}',
  '{"$user_id": "user_1", "public_metadata": {"$user_id": "x"}}',
  '{"$user_id": "user_1", "public_metadata": {"public_metadata": {}}}',
  '{"$user_id": "user_1", "public_metadata": {"n": 1e400}}',
  '{"$user_id": "user_1", "public_metadata": {"n": -1e400}}',
  '{"$user_id": "user_1", "first_name": "say \\"hi\\""}',
  '{"$user_id": "user_1", "first_name": "\\u0041da"}',
  '{"$user_id": "user_1", "first_name": "\\ud800"}',
  `{"$user_id": "user_1", "first_name": "a\uD800b"}`,
  `{"$user_id": "user_1", "first_name": "a\uDC00b"}`,
  '{"$user_id": "user_1", "__proto__": {"x": 1}}',
  row({ $user_id: 'user_1', first_name: 7 }),
  row({ $user_id: 'user_1', first_name: ['Ada'] }),
  row({ $user_id: 'user_1', first_name: { a: 1 } }),
  row({ $user_id: 'user_1', firstName: 'Ada' }),
  row({ $user_id: 'user_1', username: '' }),
  row({ $user_id: 'user_1', username: null }),
  row({ $user_id: 'user_1', locale: 'fr_FR!' }),
  row({ $user_id: 'user_1', locale: 'en_US' }),
  row({ $user_id: 'user_1', created_at: 'yesterday' }),
  row({ $user_id: 'user_1', created_at: '2012-10-20' }),
  row({ $user_id: 'user_1', delete_self_enabled: 'yes' }),
  row({ $user_id: 'user_1', password: 'correct horse battery' }),
  row({ $user_id: 'user_1', password_digest: '$2a$10$abc', password_hasher: 'bcrypt' }),
  row({ $user_id: 'user_1', totp_secret: 'ABC' }),
  row({ $user_id: 'user_1', backup_codes: ['a'] }),
  row({ $user_id: 'user_1', skip_password_checks: true }),
  row({ $user_id: 'user_1', create_organizations_limit: -1 }),
  row({ $user_id: 'user_1', create_organizations_limit: 2.5 }),
  row({ $user_id: 'user_1', primary_email_address_id: 'user_1' }),
  row({ $user_id: 'user_1', $api_version: '2021-02-05' }),
  row({ $user_id: 'user_1', $api_version: 'latest' }),
  row({ $user_id: 'user_1', $metadata: 'replace', public_metadata: { a: 1 } }),
  row({ $user_id: 'user_1', $schema: 'x' }),
  row({ $user_id: 'user_1', public_metadata: null }),
  row({ $user_id: 'user_1', public_metadata: [] }),
  row({ $user_id: 'user_1', public_metadata: 'x' }),
  row({ $user_id: 'user_1', public_metadata: { big: 'x'.repeat(9000) } }),
  row({ $user_id: 'user_1', first_name: 'x'.repeat(2800) }),
  row({ $user_id: 'user_1', first_name: '€'.repeat(2800) }),
  row({ $user_id: 'user_1', public_metadata: JSON.parse('['.repeat(80) + ']'.repeat(80)) }),
  row({ $user_id: 'user_1', public_metadata: { deep: JSON.parse('['.repeat(600) + ']'.repeat(600)) } }),
];

/** Rows made of the parts above, at random (a fixed seed). */
function mixed(count: number): string[] {
  const random = seededRandom(20261207);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const targets = [
    ['$user_id', 'user_2x1'],
    ['$user_id', 'user_'],
    ['$external_id', 'crm-1'],
    ['$email', 'a@b.co'],
    ['$email', 'a@b'],
  ];
  const fields: Array<[string, unknown]> = [
    ['first_name', 'Ada'],
    ['first_name', null],
    ['first_name', 1],
    ['last_name', ''],
    ['username', 'ada'],
    ['username', ''],
    ['locale', 'en-GB'],
    ['locale', 'xx_yy'],
    ['created_at', '2020-01-01T00:00:00Z'],
    ['created_at', '2020-13-01T00:00:00Z'],
    ['external_id', 'e'],
    ['public_metadata', { plan: 'pro' }],
    ['public_metadata', { plan: { tier: [1, 2, { x: null }] } }],
    ['private_metadata', []],
    ['unsafe_metadata', { 'a b': true }],
    ['delete_self_enabled', true],
    ['profile_image_id', 'img_1'],
    ['notify_primary_email_address_changed', 'no'],
    ['password', 'hunter22hunter22'],
  ];
  return Array.from({ length: count }, () => {
    const parts: string[] = [];
    const n = Math.floor(random() * 4);
    for (let i = 0; i <= n; i++) {
      const [key, value] = random() < 0.3 ? pick(targets) : pick(fields);
      parts.push(`${JSON.stringify(key)}${pick(['', ' '])}:${pick(['', ' '])}${JSON.stringify(value)}`);
    }
    return `{${parts.join(pick([',', ', ']))}}`;
  });
}

function sameEitherWay(lines: readonly string[]): number {
  let quick = 0;
  for (const options of optionSets()) {
    for (const line of lines) {
      if (quickRowChecks(line, options)) quick++;
      assert.deepEqual(
        checkJsonlLine(line, options),
        checkJsonlLine(line, options, false),
        `${line.slice(0, 200)} under ${JSON.stringify(options).slice(0, 120)}`,
      );
    }
  }
  return quick;
}

test('quick rows: the common rows take the quick path, with what the full pipeline finds in them', () => {
  const versions = API_VERSIONS.length;
  // Every common row, under each version, with secrets allowed and with metadata types, but with the types
  // the one whose seats is a number, declared a string.
  assert.equal(sameEitherWay(COMMON), COMMON.length * (versions + 2) - 1);
  const info = checkJsonlLine(COMMON[1], { defaultApiVersion: DEFAULT_API_VERSION });
  assert.deepEqual(
    info.diagnostics.map((d) => [d.code, d.range.start.character, d.range.end.character, d.fixes?.length]),
    [['metadata-mode', 30, 47, 1]],
  );
  assert.deepEqual(info.targetSpan, { offset: 10, length: 19 });
});

test('quick rows: a row with anything to say, or one the quick check leaves to the full pipeline, gets the same result', () => {
  assert.equal(sameEitherWay(UNCOMMON), 0);
});

test('quick rows: 2,000 rows of random parts get the same result either way', () => {
  const lines = mixed(2000);
  const quick = sameEitherWay(lines);
  // Both paths are exercised.
  assert.ok(quick > 500 && quick < lines.length * optionSets().length - 500, `${quick} quick`);
});
