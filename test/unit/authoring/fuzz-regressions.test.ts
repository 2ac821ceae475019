// Every shrunk counterexample the property-based runs (test/fuzz, `npm run test:fuzz`) found, fixed and
// kept here, run through the same properties (test/fuzz/properties.ts) plus a check of the fix itself.
// #3, #5 and #6 were found over the 100 ms budget; a test asserts no duration (it would flake on a busy
// machine), so here they check the result only; speed is measured by `npm run bench`, not by tests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { ApiVersion } from '../../../src/core/versions';
import { checkDocument, checkValidateCli, newStats } from '../../fuzz/properties';
import { analyze } from './helpers';

let dir = '';
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cuu-fuzz-regressions-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function holds(text: string, version: ApiVersion): Promise<void> {
  checkDocument(text, version, newStats());
  await checkValidateCli(path.join(dir, 'case.userupdate.json'), text, version, newStats());
}

test('#1 (seed 20261127) a lone high surrogate as the whole text: the error range ran past the end', async () => {
  await holds('\udbff', '2021-02-05');
  const [d] = analyze('\udbff').diagnostics;
  assert.deepEqual([d.code, d.offset, d.length], ['invalid-json', 0, 1]);
  assert.deepEqual([analyze('😀').diagnostics[0].offset, analyze('😀').diagnostics[0].length], [0, 2]);
});

test('#2 (seed 20261127) a 2 M-character key: quoted whole in the message and snake-cased for a suggestion', async () => {
  const key = 'x'.repeat(1_965_118);
  const text = `{"${key}": 1}`;
  checkDocument(text, '2025-11-10', newStats());
  const [d] = analyze(text).diagnostics;
  assert.equal(d.code, 'unknown-property');
  assert.ok(d.message.length < 300, `${d.message.length} characters`);
  assert.match(d.message, /^'x+…' is not a field/);
  assert.equal(d.fixes, undefined);
});

test('#3 (seed 20261127) an unterminated string of 300,000 escapes: decoded escape by escape, over 100 ms in validate', async () => {
  const text = '{"first_name": "' + 'é\\n'.repeat(306_941);
  await holds(text, '2025-11-10');
  const [d] = analyze(text).diagnostics;
  assert.deepEqual(
    [d.code, d.offset, d.length],
    ['invalid-string', text.indexOf('"', 14), text.length - text.indexOf('"', 14)],
  );
});

test('#4 (seeds 4 and 5) an unpaired surrogate in $user_id of an otherwise clean file: planning the send threw "URI malformed"', async () => {
  const text =
    '{"$user_id":"\ud800user_ ","$api_version":"2021-02-05","last_name":"","public_metadata":{},"delete_self_enabled":null}';
  await holds(text, '2021-02-05');
  const a = analyze(text, '2021-02-05');
  assert.ok(a.hasErrors, 'the send is blocked');
  const d = a.diagnostics.find((x) => x.code === 'unpaired-surrogate')!;
  assert.deepEqual([d.offset, d.length, d.path], [text.indexOf('\ud800'), 1, '/$user_id']);
  assert.match(d.message, /^Unpaired surrogate U\+D800: not valid Unicode/);
  assert.deepEqual(d.fixes?.[0].edits, [{ offset: d.offset, length: 1, newText: '' }]);
  // Pairs are fine; unpaired units are reported in keys, values and metadata alike (a pair split by a quote
  // too).
  assert.deepEqual(analyze('{"first_name": "😀"}').diagnostics, []);
  const many = '{"\udc00": "\ud83d", "public_metadata": {"a": ["\ud800"]}}';
  assert.deepEqual(
    analyze(many)
      .diagnostics.filter((x) => x.code === 'unpaired-surrogate')
      .map((x) => x.path),
    ['', '/\udc00', '/public_metadata/a/0'],
  );
});

test('#5 (seed 4) 1 M characters of metadata: the scanning loop fell back to the interpreter after deoptimizations (118 ms)', async () => {
  await holds(
    '{"$api_version": "2026-05-12", "private_metadata": {"blob": "' + 'x'.repeat(999_262) + '"}}',
    '2024-10-01',
  );
});

test('#6 (seed 6) 730,000 characters of escapes in metadata: over 100 ms in validate', async () => {
  await holds(
    '{"$api_version": "2026-05-12", "private_metadata": {"blob": "' + ' \\n'.repeat(243_546) + '"}}',
    '2025-11-10',
  );
});
