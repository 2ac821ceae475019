import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBulkText } from '../../../src/core/bulk/format/checkFile';
import { GenerationalRowCache } from '../../../src/core/bulk/format/rowCache';
import type { BulkFormat, BulkOptions } from '../../../src/core/bulk/format/types';
import { fixture, OPTIONS } from './helpers';

function checkWith(
  cache: GenerationalRowCache,
  text: string,
  format: BulkFormat,
  options: BulkOptions = OPTIONS,
) {
  cache.begin(options);
  try {
    return checkBulkText(text, format, options, cache);
  } finally {
    cache.end();
  }
}

test("the editor's row cache: a keystroke checks only the rows it changed, with the same result as a fresh check", () => {
  for (const [format, name] of [
    ['jsonl', 'several.userupdates.jsonl'],
    ['csv', 'several.userupdates.csv'],
  ] as const) {
    const cache = new GenerationalRowCache();
    const text = fixture(name);
    assert.deepEqual(checkWith(cache, text, format), checkBulkText(text, format, OPTIONS), format);
    const rows = cache.checked;
    assert.ok(rows >= 9, `${format}: ${rows} rows checked at first`);
    // Typing on one line, then a line inserted above all others (every row moves down).
    const edited = text.replace('Again', 'Agai').replace('"Lovelace"', '"Lovelac"');
    assert.deepEqual(checkWith(cache, edited, format), checkBulkText(edited, format, OPTIONS), format);
    assert.equal(cache.checked, 1, `${format}: one row checked after one edit`);
    const lines = edited.split('\n');
    const moved = [
      lines[0],
      format === 'jsonl' ? '{"$user_id": "user_0"}' : 'user_0,,,,,,',
      ...lines.slice(1),
    ].join('\n');
    const again = checkWith(cache, moved, format);
    assert.deepEqual(again, checkBulkText(moved, format, OPTIONS), format);
    assert.equal(cache.checked, 1, `${format}: only the new row checked`);
    // Another API version: everything again.
    checkWith(cache, moved, format, { defaultApiVersion: '2025-11-10' });
    assert.equal(cache.checked, rows + 1, format);
  }
});

test('the row cache: a changed CSV header checks every row again', () => {
  const cache = new GenerationalRowCache();
  const text = '$user_id,first_name\nuser_1,Ada\nuser_2,42\n';
  checkWith(cache, text, 'csv');
  const renamed = checkWith(cache, text.replace('first_name', 'last_name'), 'csv');
  assert.equal(cache.checked, 2);
  assert.deepEqual(
    renamed.rows.map((r) => r.text),
    ['{"$user_id":"user_1","last_name":"Ada"}', '{"$user_id":"user_2","last_name":"42"}'],
  );
});

test('the row cache: an edit that breaks the CSV quoting gives what a fresh check gives', () => {
  const cache = new GenerationalRowCache();
  const text = fixture('several.userupdates.csv');
  checkWith(cache, text, 'csv');
  for (const edited of [
    text.replace('Again', 'Ag"ain'),
    text.replace('"Multi', 'Multi'),
    text.replace('user_3', '"user_3'),
    '\ufeff' + text,
  ]) {
    assert.deepEqual(checkWith(cache, edited, 'csv'), checkBulkText(edited, 'csv', OPTIONS));
    assert.deepEqual(checkWith(cache, text, 'csv'), checkBulkText(text, 'csv', OPTIONS));
  }
});
