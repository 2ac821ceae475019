// `node dist/cli.js validate` in a folder with types/globals.d.ts and no TypeScript installed: the bundle
// reads the
// declarations itself (dist/metadataTypes.js) and reports wrong metadata at exact ranges.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { bundle } from '../../support/dist';
import { FIXTURES } from './helpers';

const run = promisify(execFile);
let dir = '';

before(() => {
  // A copy outside the repository: no node_modules anywhere above it, so no TypeScript to find.
  dir = mkdtempSync(path.join(tmpdir(), 'cuu-typed-'));
  mkdirSync(path.join(dir, 'types'));
  cpSync(path.join(FIXTURES, 'globals.d.ts.txt'), path.join(dir, 'types', 'globals.d.ts'));
  cpSync(path.join(FIXTURES, 'team.userupdate.json'), path.join(dir, 'team.userupdate.json'));
  writeFileSync(
    path.join(dir, 'wrong.userupdate.json'),
    '{\n  "$user_id": "user_2abc",\n  "public_metadata": {\n    "role": "owner",\n    "seats": "3",\n    "onboarding": { "completed": null }\n  }\n}\n',
  );
  writeFileSync(
    path.join(dir, 'rows.userupdates.jsonl'),
    '{"$user_id":"user_1","public_metadata":{"seats":2}}\n{"$user_id":"user_2","public_metadata":{"rol":"admin"}}\n',
  );
  writeFileSync(
    path.join(dir, 'seats.userupdates.csv'),
    '$user_id,public_metadata.seats,private_metadata.stripeCustomerId\nuser_1,3,42\nuser_2,three,cus_2\n',
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

const validate = async (...args: string[]) => {
  try {
    const r = await run(
      process.execPath,
      [bundle('cli.js'), 'validate', '--api-version', '2025-11-10', ...args],
      { cwd: dir },
    );
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

test('validate names the allowed literals and the declared type at the values, line:column', async () => {
  const r = await validate('team.userupdate.json', 'wrong.userupdate.json', 'rows.userupdates.jsonl');
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    "team.userupdate.json:3:3 information metadata-mode 'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    "wrong.userupdate.json:3:3 information metadata-mode 'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    "wrong.userupdate.json:4:13 error metadata-type-mismatch 'owner' is not a valid 'role': UserPublicMetadata allows 'admin' or 'member'.",
    "wrong.userupdate.json:5:14 error metadata-type-mismatch 'seats' must be a number, not a string.",
    "wrong.userupdate.json:6:34 error metadata-required-key 'onboarding.completed' is required by UserPublicMetadata; null would delete it.",
    "rows.userupdates.jsonl:1:22 information metadata-mode 'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    "rows.userupdates.jsonl:2:41 warning metadata-key-typo 'rol' is not declared in UserPublicMetadata; did you mean 'role'?",
  ]);
  assert.match(r.stderr, /3 files checked: 3 errors, 1 warning, 3 information/);
});

test('--metadata-types names a JSON Schema instead; a file that declares nothing is a usage error', async () => {
  cpSync(path.join(FIXTURES, 'schema.json'), path.join(dir, 'schema.json'));
  const r = await validate('--format', 'json', '--metadata-types', 'schema.json', 'wrong.userupdate.json');
  assert.equal(r.code, 1);
  const [file] = JSON.parse(r.stdout) as { diagnostics: { code: string; range: unknown }[] }[];
  // Each metadata key also says how it is sent (metadata-mode): not what this test is about.
  const typed = file.diagnostics.filter((d) => d.code !== 'metadata-mode');
  assert.deepEqual(
    typed.map((d) => [d.code, d.range]),
    [
      ['metadata-type-mismatch', { start: { line: 3, character: 12 }, end: { line: 3, character: 19 } }],
      ['metadata-type-mismatch', { start: { line: 4, character: 13 }, end: { line: 4, character: 16 } }],
      ['metadata-required-key', { start: { line: 5, character: 33 }, end: { line: 5, character: 37 } }],
    ],
  );
  writeFileSync(path.join(dir, 'other.d.ts'), 'export interface Unrelated { a: string }\n');
  const none = await validate('--metadata-types', 'other.d.ts', 'wrong.userupdate.json');
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--metadata-types: 'other.d.ts' declares no global UserPublicMetadata/);
});

test('validate reads a CSV dotted column by its declared type: a cell that is not a number at line:column', async () => {
  const r = await validate('seats.userupdates.csv');
  assert.equal(r.code, 1);
  assert.deepEqual(r.stdout.trimEnd().split('\n'), [
    "seats.userupdates.csv:1:10 information metadata-mode 'public_metadata' is merged into the user's public_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    "seats.userupdates.csv:1:32 information metadata-mode 'private_metadata' is merged into the user's private_metadata (PATCH /v1/users/{id}/metadata); null deletes a key, keys not given are kept.",
    "seats.userupdates.csv:3:8 error metadata-type-mismatch 'three' is not a number: UserPublicMetadata declares 'seats' as number.",
  ]);
  assert.match(r.stderr, /1 file checked: 1 error, 0 warnings, 2 information/);
});
