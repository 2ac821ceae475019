import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Range } from '../../../src/core/diagnostics';
import { API_VERSIONS } from '../../../src/core/versions';
import { analyze, applyEdits, FIXTURES, rangeOf, rangeWithin, summary } from './helpers';

const load = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

test('a valid fixture per API version', () => {
  for (const version of API_VERSIONS) {
    const text = load(`v${version}.userupdate.json`);
    // The file's own $api_version wins over the setting.
    const other = version === '2021-02-05' ? '2026-05-12' : '2021-02-05';
    const a = analyze(text, other);
    assert.equal(a.apiVersion, version);
    assert.equal(a.userId, 'user_2xhFjEI5X2qWRvtV13BzSj8H6Dk');
    assert.equal(a.hasErrors, false, version);
    // Only the information on each metadata key (merged, the default).
    const expected = ['public_metadata', 'private_metadata', 'unsafe_metadata']
      .filter((field) => text.includes(`"${field}"`))
      .map((field) => ({ code: 'metadata-mode', range: rangeOf(text, `"${field}"`) }));
    assert.deepEqual(summary(a.diagnostics), expected, version);
  }
});

test('several-errors fixture: each problem once, at its exact range', () => {
  const text = load('several-errors.userupdate.json');
  const a = analyze(text);
  const expected: Array<{ code: string; range: Range }> = [
    { code: 'unknown-property', range: rangeOf(text, '"firstName"') },
    { code: 'wrong-type', range: rangeOf(text, '42') },
    { code: 'invalid-locale', range: rangeOf(text, '"en_US"') },
    { code: 'username-deletion', range: rangeOf(text, '""') },
    { code: 'password-required', range: rangeOf(text, '"skip_password_checks"') },
    { code: 'comment', range: rangeOf(text, '// a comment') },
    { code: 'duplicate-key', range: rangeOf(text, '"delete_self_enabled"', 2) },
    { code: 'trailing-comma', range: rangeWithin(text, 'false,', 5, 1) },
  ];
  assert.deepEqual(summary(a.diagnostics), expected);
  const payload = a.diagnostics.filter((d) => d.owner === 'payload').map((d) => d.code);
  assert.deepEqual(payload, [
    'unknown-property',
    'wrong-type',
    'invalid-locale',
    'username-deletion',
    'password-required',
  ]);
  const fix = a.diagnostics[0].fixes![0];
  assert.equal(fix.title, "Rename to 'first_name'");
  assert.ok(applyEdits(text, fix.edits).includes('"first_name": "Ada"'));
});

test('bad-input fixtures', () => {
  const cases: Array<[string, string[]]> = [
    ['empty.userupdate.json', ['empty-file']],
    ['bom.userupdate.json', ['bom']],
    ['bad-root-array.userupdate.json', ['root-not-object']],
    ['binary.userupdate.json', ['invalid-json']],
  ];
  for (const [file, codes] of cases) {
    assert.deepEqual(
      analyze(load(file)).diagnostics.map((d) => d.code),
      codes,
      file,
    );
  }
});
