import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runInProcess } from '../../support/cli';
import { check, fixture, FIXTURES } from './helpers';

const validate = (args: string[]) => runInProcess(['validate', ...args], FIXTURES);

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cuu-bulk-validate-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('validate FILE.userupdates.jsonl: one line per problem, 1-based, exit 1 on errors', async () => {
  const r = await validate(['several.userupdates.jsonl']);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
    [
      'several.userupdates.jsonl:3:45 error wrong-type',
      'several.userupdates.jsonl:4:1 error missing-target',
      'several.userupdates.jsonl:5:24 error several-targets',
      'several.userupdates.jsonl:6:14 warning duplicate-target',
      'several.userupdates.jsonl:7:27 error secret-in-bulk-file',
      'several.userupdates.jsonl:8:43 error mixed-api-versions',
      'several.userupdates.jsonl:9:12 warning invalid-email',
      'several.userupdates.jsonl:9:30 error unknown-property',
      'several.userupdates.jsonl:10:43 error invalid-json',
    ],
  );
  assert.equal(
    lines[3],
    "several.userupdates.jsonl:6:14 warning duplicate-target Line 1 already targets '$user_id:user_1': both rows update the same user, so their order would matter.",
  );
  assert.equal(r.stderr, '1 file checked: 7 errors, 2 warnings, 0 information.\n');
});

test('validate FILE.userupdates.csv, and --format json in exactly the format of single files', async () => {
  const r = await validate([
    '--format',
    'json',
    'several.userupdates.csv',
    '../authoring/v2025-11-10.userupdate.json',
    'valid.userupdates.jsonl',
  ]);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<Record<string, unknown>> }>;
  assert.equal(r.stdout, JSON.stringify(out, null, 2) + '\n');
  assert.deepEqual(
    out.map((f) => [f.file, f.diagnostics.length]),
    [
      ['several.userupdates.csv', 11],
      ['../authoring/v2025-11-10.userupdate.json', 1],
      ['valid.userupdates.jsonl', 1],
    ],
  );
  const expected = check(fixture('several.userupdates.csv'), 'csv').diagnostics;
  assert.deepEqual(
    out[0].diagnostics,
    expected.map((d) => ({
      severity: d.severity,
      code: d.code,
      message: d.message,
      path: d.path,
      range: d.range,
    })),
  );
  assert.deepEqual(out[0].diagnostics[2], {
    severity: 'error',
    code: 'wrong-type',
    message: "'lots' in 'create_organizations_limit' is not a whole number (a number, or null to clear).",
    path: '/create_organizations_limit',
    range: { start: { line: 2, character: 14 }, end: { line: 2, character: 18 } },
  });
  assert.equal(r.stderr, '');
  const none = await validate(['--format', 'json', 'missing.userupdates.csv']);
  assert.equal(none.code, 2);
  assert.equal(none.stdout, '[]\n');
});

test('valid bulk files exit 0; --allow-secrets and --api-version apply to every row', async () => {
  const ok = await validate([
    'valid.userupdates.jsonl',
    'valid.userupdates.csv',
    '--api-version',
    '2025-11-10',
  ]);
  assert.equal(ok.code, 0);
  assert.match(
    ok.stdout,
    /^valid\.userupdates\.jsonl:3:33 information metadata-mode 'public_metadata' is merged into /,
  );
  assert.equal(ok.stderr, '2 files checked: 0 errors, 0 warnings, 2 information.\n');
  const file = path.join(tmp, 'secrets.userupdates.jsonl');
  writeFileSync(file, '{"$user_id": "user_1", "password": "hunter2hunter2"}\n');
  const refused = await validate([file]);
  assert.equal(refused.code, 1);
  assert.match(refused.stdout, /:1:24 error secret-in-bulk-file 'password' in a bulk file/);
  assert.ok(!refused.stdout.includes('hunter2'));
  const allowed = await validate(['--allow-secrets', file]);
  assert.equal(allowed.code, 0);
  assert.equal(allowed.stdout, '');
});

test('a bulk file that cannot be read exits 2 and says why; --help names the formats', async () => {
  const missing = await validate(['valid.userupdates.csv', 'missing.userupdates.jsonl']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read missing\.userupdates\.jsonl: no such file/);
  const dir = path.join(tmp, 'dir.userupdates.jsonl');
  mkdirSync(dir);
  const isDir = await validate([dir]);
  assert.equal(isDir.code, 2);
  assert.match(isDir.stderr, /it is a directory/);
  const help = await validate(['--help']);
  assert.match(help.stdout, /\*\.userupdates\.jsonl and \*\.userupdates\.csv/);
  assert.match(help.stdout, /--allow-secrets/);
});

test('validate streams a large JSONL file: 20,000 rows, one problem each, in file order', async () => {
  const file = path.join(tmp, 'large.userupdates.jsonl');
  let text = '';
  for (let i = 0; i < 20_000; i++) text += `{"$user_id": "user_${i}", "first_name": ${i}}\n`;
  writeFileSync(file, text);
  const r = await validate([file]);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 20_000);
  assert.ok(lines.every((l, i) => l.startsWith(`${file}:${i + 1}:`)));
  assert.equal(r.stderr, '1 file checked: 20000 errors, 0 warnings, 0 information.\n');
});
