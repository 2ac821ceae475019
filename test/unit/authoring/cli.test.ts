import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { runInProcess } from '../../support/cli';
import { bundle } from '../../support/dist';
import { FIXTURES } from './helpers';

const run = promisify(execFile);

const cli = (args: string[], cwd = FIXTURES) => runInProcess(['validate', ...args], cwd);

let tmp = '';
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'cuu-validate-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

test('text output: file:line:col severity code message, 1-based; exit 1 on errors', async () => {
  const r = await cli(['several-errors.userupdate.json']);
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  assert.deepEqual(
    lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
    [
      'several-errors.userupdate.json:4:3 error unknown-property',
      'several-errors.userupdate.json:5:16 error wrong-type',
      'several-errors.userupdate.json:6:13 warning invalid-locale',
      'several-errors.userupdate.json:7:15 warning username-deletion',
      'several-errors.userupdate.json:8:3 error password-required',
      'several-errors.userupdate.json:9:32 error comment',
      'several-errors.userupdate.json:10:3 error duplicate-key',
      'several-errors.userupdate.json:10:31 error trailing-comma',
    ],
  );
  assert.equal(
    lines[1],
    "several-errors.userupdate.json:5:16 error wrong-type 'last_name' must be a string or null, not a number (42).",
  );
  assert.match(r.stderr, /1 file checked: 6 errors, 2 warnings, 0 information/);
});

test('json output: 0-based ranges, path, severity, code, message', async () => {
  const r = await cli(['--format', 'json', 'several-errors.userupdate.json', 'v2026-05-12.userupdate.json']);
  assert.equal(r.code, 1);
  const out = JSON.parse(r.stdout) as Array<{ file: string; diagnostics: Array<Record<string, unknown>> }>;
  assert.deepEqual(
    out.map((f) => f.file),
    ['several-errors.userupdate.json', 'v2026-05-12.userupdate.json'],
  );
  assert.deepEqual(out[0].diagnostics[1], {
    severity: 'error',
    code: 'wrong-type',
    message: "'last_name' must be a string or null, not a number (42).",
    path: '/last_name',
    range: { start: { line: 4, character: 15 }, end: { line: 4, character: 17 } },
  });
  assert.deepEqual(Object.keys(out[0].diagnostics[0]), ['severity', 'code', 'message', 'path', 'range']);
  assert.deepEqual(
    out[1].diagnostics.map((d) => [d.severity, d.code]),
    [
      ['information', 'metadata-mode'],
      ['information', 'metadata-mode'],
    ],
  );
  assert.equal(r.stderr, '');
});

test('exit 0 for valid files and for warnings only', async () => {
  const valid = await cli([
    'v2021-02-05.userupdate.json',
    'v2024-10-01.userupdate.json',
    'v2025-04-10.userupdate.json',
    'v2025-11-10.userupdate.json',
  ]);
  assert.equal(valid.code, 0);
  // Only the information on each metadata key: merged, the default.
  assert.ok(
    valid.stdout
      .split('\n')
      .filter(Boolean)
      .every((l) => / information metadata-mode '\w+' is merged into /.test(l)),
    valid.stdout,
  );
  const warnings = await cli(['bom.userupdate.json']);
  assert.equal(warnings.code, 0);
  assert.match(warnings.stdout, /^bom\.userupdate\.json:1:1 warning bom /);
});

test('bad input files: clear diagnostics, exit 1', async () => {
  for (const [file, code] of [
    ['empty.userupdate.json', 'empty-file'],
    ['binary.userupdate.json', 'invalid-json'],
    ['bad-root-array.userupdate.json', 'root-not-object'],
  ]) {
    const r = await cli([file]);
    assert.equal(r.code, 1, file);
    assert.match(r.stdout, new RegExp(`^${file.replace(/\./g, '\\.')}:1:1 error ${code} `), file);
  }
});

test("--api-version stands in for the setting; the file's own $api_version wins", async () => {
  const file = path.join(tmp, 'no-version.userupdate.json');
  writeFileSync(file, '{"$metadata": "replace", "public_metadata": {"a": 1}}');
  const older = await cli(['--api-version', '2025-11-10', file]);
  assert.equal(older.code, 0);
  assert.match(older.stdout, /:1:26 information metadata-mode .*in the PATCH \/v1\/users\/\{id\} body/);
  const newer = await cli(['--api-version=2026-05-12', file]);
  assert.match(newer.stdout, /:1:26 information metadata-mode .*with PUT/);
  const byDefault = await cli([file]);
  assert.match(byDefault.stdout, /metadata-mode .*with PUT/);
  const own = await cli(['--api-version', '2026-05-12', 'v2021-02-05.userupdate.json']);
  assert.doesNotMatch(own.stdout, /error|warning/);
});

test('usage errors and unreadable files exit 2 and say which', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /No file given/],
    [['--format', 'xml', 'a.json'], /--format must be text or json, not "xml"/],
    [['--api-version', '2020-01-01', 'a.json'], /Unknown API version "2020-01-01"/],
    [['--api-version'], /--api-version needs a value/],
    [['--frobnicate', 'a.json'], /Unknown option "--frobnicate"/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message);
    assert.match(r.stderr, /Usage: clerk-user-update validate/);
  }
  const missing = await cli(['v2021-02-05.userupdate.json', 'missing.userupdate.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read missing\.userupdate\.json: no such file/);
  const dir = await cli(['.']);
  assert.equal(dir.code, 2);
  assert.match(dir.stderr, /cannot read \.: it is a directory/);
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit status/);
});

test('node dist/cli.js validate (bundled, spawned)', { timeout: 120_000 }, async () => {
  const cliJs = bundle('cli.js');
  assert.match(readFileSync(cliJs, 'utf8').slice(0, 30), /^#!\/usr\/bin\/env node/);
  const ok = await run(process.execPath, [cliJs, 'validate', 'v2025-11-10.userupdate.json'], {
    cwd: FIXTURES,
  });
  assert.match(ok.stdout, /^v2025-11-10\.userupdate\.json:9:3 information metadata-mode /);
  await assert.rejects(
    run(process.execPath, [cliJs, 'validate', '--format', 'json', 'several-errors.userupdate.json'], {
      cwd: FIXTURES,
    }),
    (error: { code?: number; stdout?: string }) => {
      assert.equal(error.code, 1);
      const out = JSON.parse(error.stdout ?? '') as Array<{ diagnostics: unknown[] }>;
      assert.equal(out[0].diagnostics.length, 8);
      return true;
    },
  );
  await assert.rejects(
    run(process.execPath, [cliJs, 'validate']),
    (error: { code?: number; stderr?: string }) => {
      assert.equal(error.code, 2);
      assert.match(error.stderr ?? '', /No file given/);
      return true;
    },
  );
  // A 5 MB file through the real binary, well within a second of analysis.
  const big = path.join(tmp, 'big.userupdate.json');
  writeFileSync(
    big,
    JSON.stringify({ first_name: 'Ada', private_metadata: { blob: 'x'.repeat(5 * 1024 * 1024) } }),
  );
  await assert.rejects(
    run(process.execPath, [cliJs, 'validate', big]),
    (error: { code?: number; stdout?: string }) => {
      assert.equal(error.code, 1);
      assert.match(error.stdout ?? '', /metadata-too-large/);
      return true;
    },
  );
});
