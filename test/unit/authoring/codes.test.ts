import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_DESCRIPTIONS } from '../../../src/core/validate/codeDescriptions';
import { CODE_INFO, DiagnosticCode } from '../../../src/core/codes';
import { isBcp47, isRfc3339, suggestLocale } from '../../../src/core/validate/formats';
import { editDistance, suggestField, suggestValue, toSnakeCase } from '../../../src/core/validate/suggest';

// That every code has an entry in CODE_INFO and CODE_DESCRIPTIONS is the compiler's job
// (Record<DiagnosticCode, …>); what it cannot see is checked here.
test('every code is unique, kebab-case, with a one-line description; the JSON syntax ones are left to VS Code', () => {
  const codes = Object.values(DiagnosticCode);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) {
    assert.match(code, /^[a-z]+(-[a-z]+)*$/);
    assert.ok(!CODE_DESCRIPTIONS[code].includes('\n') && CODE_DESCRIPTIONS[code].length > 10, code);
  }
  // README "Diagnostics": in the editor, VS Code's JSON service owns parse errors, comments, trailing
  // commas and duplicate keys (so we do not show them a second time).
  const syntax = codes.filter((c) => CODE_INFO[c].owner === 'syntax').sort();
  assert.deepEqual(syntax, [
    'bom',
    'comment',
    'duplicate-key',
    'invalid-json',
    'invalid-number',
    'invalid-string',
    'missing-comma',
    'trailing-comma',
  ]);
});

test('suggestField: camelCase to snake_case, typos, reserved keys', () => {
  assert.deepEqual(suggestField('firstName', '2026-05-12'), { field: 'first_name', kind: 'camelCase' });
  assert.deepEqual(suggestField('primaryEmailAddressID', '2026-05-12'), {
    field: 'primary_email_address_id',
    kind: 'camelCase',
  });
  assert.deepEqual(suggestField('publicMetadata', '2026-05-12'), {
    field: 'public_metadata',
    kind: 'camelCase',
  });
  assert.deepEqual(suggestField('lastname', '2021-02-05'), { field: 'last_name', kind: 'typo' });
  assert.deepEqual(suggestField('pasword', '2021-02-05'), { field: 'password', kind: 'typo' });
  assert.deepEqual(suggestField('user_id', '2021-02-05'), { field: '$user_id', kind: 'typo' });
  assert.deepEqual(suggestField('$apiVersion', '2021-02-05'), { field: '$api_version', kind: 'camelCase' });
  assert.equal(suggestField('email', '2021-02-05'), undefined);
  assert.equal(suggestField('zzzzzzzz', '2021-02-05'), undefined);
  assert.equal(toSnakeCase('createOrganizationsLimit'), 'create_organizations_limit');
  assert.equal(editDistance('frist', 'first', 2), 1);
  assert.equal(editDistance('abc', 'xyz', 1), 2);
  assert.equal(
    suggestValue('bcrypt-sha256-django', ['bcrypt', 'bcrypt_sha256_django']),
    'bcrypt_sha256_django',
  );
  assert.equal(suggestValue('rot13', ['bcrypt', 'md5']), undefined);
});

test('RFC 3339 and BCP-47', () => {
  for (const ok of [
    '2012-10-20T07:15:20.902Z',
    '2012-10-20T07:15:20Z',
    '2000-02-29T00:00:00+23:59',
    '1999-12-31T23:59:59.123456789-08:00',
  ])
    assert.ok(isRfc3339(ok), ok);
  for (const bad of [
    '2012-10-20',
    '2012-10-20T07:15Z',
    '2012-10-20 07:15:20Z',
    '2012-13-01T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2012-10-20T24:00:00Z',
    '2012-10-20T07:15:20',
    '2012-10-20T07:15:20+0100',
    '1351718120',
  ])
    assert.ok(!isRfc3339(bad), bad);
  for (const ok of [
    'en',
    'en-US',
    'fr-FR',
    'zh-Hant-TW',
    'sr-Latn-RS',
    'de-CH-1901',
    'es-419',
    'en-US-u-ca-gregory',
    'x-whatever',
    'i-klingon',
  ])
    assert.ok(isBcp47(ok), ok);
  for (const bad of ['', 'en_US', 'english language', 'e', 'en-', 'de-1901-1901', 'en-a-x-a-b'])
    assert.ok(!isBcp47(bad), bad);
  assert.equal(suggestLocale('en_US'), 'en-US');
  assert.equal(suggestLocale('qq qq'), undefined);
});
