// A "$metadata": "replace" file warned about the keys it would drop from the user as last read: on the
// metadata field's key, naming the keys, with the quick fix that merges instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClerkUser } from '../../../src/core/clerk/types';
import { droppedKeysDiagnostics } from '../../../src/core/metadata/dropWarning';
import { analyze, applyEdits, rangeOf, summary } from './helpers';

const ID = 'user_2xhFjEI5X2qWRvtV13BzSj8H6Dk';
const user = {
  id: ID,
  public_metadata: { role: 'admin', plan: 'pro', team: 'engines' },
  private_metadata: { crm: { tier: 'gold', since: 2019 } },
  unsafe_metadata: {},
} as unknown as ClerkUser;

const drops = (text: string, known: ClerkUser = user) =>
  droppedKeysDiagnostics(text, analyze(text, '2026-05-12'), known);

test('a replace that would drop keys: a warning on each field key naming them, relative to the field', () => {
  const text = `{
  "$user_id": "${ID}",
  "$metadata": "replace",
  "public_metadata": { "role": "owner" },
  "private_metadata": { "crm": { "since": 2019 } },
  "unsafe_metadata": {}
}
`;
  const ds = drops(text);
  assert.deepEqual(summary(ds), [
    { code: 'metadata-keys-dropped', range: rangeOf(text, '"public_metadata"') },
    { code: 'metadata-keys-dropped', range: rangeOf(text, '"private_metadata"') },
  ]);
  assert.deepEqual(
    ds.map((d) => [d.severity, d.owner, d.path, d.message]),
    [
      [
        'warning',
        'payload',
        '/public_metadata',
        `'public_metadata' replaces the user's whole public_metadata: it would drop 'plan', 'team' (as of the last read of ${ID}).`,
      ],
      [
        'warning',
        'payload',
        '/private_metadata',
        `'private_metadata' replaces the user's whole private_metadata: it would drop 'crm.tier' (as of the last read of ${ID}).`,
      ],
    ],
  );
});

test('the quick fix switches the file to merge, and then nothing is dropped', () => {
  const text = `{\n  "$user_id": "${ID}",\n  "$metadata": "replace",\n  "public_metadata": { "role": "owner" }\n}\n`;
  const [d] = drops(text);
  assert.deepEqual(
    d.fixes?.map((f) => f.title),
    ['Merge the metadata keys instead ("$metadata": "merge")'],
  );
  const merged = applyEdits(text, d.fixes![0].edits);
  assert.equal(merged, text.replace('"replace"', '"merge"'));
  assert.deepEqual(drops(merged), []);
});

test('nothing without a replace, for another user, or when every key is kept', () => {
  const merge = `{"$user_id": "${ID}", "public_metadata": {"role": "owner"}}`;
  assert.deepEqual(drops(merge), []);
  const other = `{"$user_id": "user_other", "$metadata": "replace", "public_metadata": {}}`;
  assert.deepEqual(drops(other), []);
  const kept = `{"$user_id": "${ID}", "$metadata": "replace", "public_metadata": {"role": "x", "plan": "y", "team": "z", "new": 1}}`;
  assert.deepEqual(drops(kept), []);
  const noMetadata = `{"$user_id": "${ID}", "$metadata": "replace", "first_name": "Ada"}`;
  assert.deepEqual(drops(noMetadata), []);
  const wrongType = `{"$user_id": "${ID}", "$metadata": "replace", "public_metadata": "admin"}`;
  assert.deepEqual(drops(wrongType), []);
});

test('null and {} drop every key; the last occurrence of a field counts; long lists are counted', () => {
  const text = `{"$user_id": "${ID}", "$metadata": "replace", "public_metadata": {"role": "a", "plan": "b", "team": "c"}, "public_metadata": null}`;
  const ds = drops(text);
  assert.deepEqual(summary(ds), [
    { code: 'metadata-keys-dropped', range: rangeOf(text, '"public_metadata"', 2) },
  ]);
  assert.match(ds[0].message, /it would drop 'role', 'plan', 'team' \(/);
  const many = {
    ...user,
    public_metadata: Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h.i'].map((k) => [k, 1])),
  } as ClerkUser;
  const emptied = `{"$user_id": "${ID}", "$metadata": "replace", "public_metadata": {}}`;
  assert.match(drops(emptied, many)[0].message, /: it would drop 'a', 'b', 'c', 'd', 'e' and 3 more \(/);
});

test('the fix rewrites the $metadata value wherever it is, after the field too', () => {
  const text = `{"$user_id": "${ID}", "public_metadata": {}, "$metadata": "replace"}`;
  const [d] = drops(text);
  assert.equal(applyEdits(text, d.fixes![0].edits), text.replace('"replace"', '"merge"'));
  assert.deepEqual(d.range, rangeOf(text, '"public_metadata"'));
});
