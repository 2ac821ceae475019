// Hostile input files: bytes that are not UTF-8, __proto__, deep nesting, ids that can never be Clerk
// ids, oversized values. validate, send (single and bulk) and snippet give the same answer and send
// nothing. The real CLI (dist/cli.js) spawned against the fake Clerk.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MAX_DEPTH } from '../../../src/core/parse/parser';
import { spawnCli } from '../../support/cli';
import { bundle } from '../../support/dist';
import { FAKE_TEST_KEY, type FakeClerk, startFake } from '../../support/fake-clerk';

describe('hostile input files (CLI)', () => {
  let fake: FakeClerk;
  let dir = '';
  let store = '';
  before(async () => {
    fake = await startFake({ users: 'none' });
    fake.addUser({ id: 'user_1', first_name: 'Ada', emails: ['ada@example.com'] });
  });
  beforeEach(() => {
    fake.requests.length = 0;
    dir = mkdtempSync(join(tmpdir(), 'cuu-hostile-input-'));
    store = join(dir, 'history');
  });
  after(() => fake.stop());

  const cli = (args: string[]) =>
    spawnCli(bundle('cli.js'), args, { cwd: dir, env: { CLERK_SECRET_KEY: FAKE_TEST_KEY } });
  const validate = (file: string) => cli(['validate', file]);
  const send = (file: string) =>
    cli([
      'send',
      '--api-url',
      fake.url,
      ...(/\.userupdates\./.test(file) ? ['--rate', '100000/1s'] : []),
      '--yes',
      '--store',
      store,
      file,
    ]);
  const write = (name: string, content: string | Buffer): string => {
    writeFileSync(join(dir, name), content);
    return name;
  };

  /** validate exits 1 with `line` among its errors; send exits 1 and nothing is sent. */
  async function refusedEverywhere(file: string, line: RegExp): Promise<void> {
    fake.requests.length = 0;
    const v = await validate(file);
    assert.equal(v.code, 1, v.stdout + v.stderr);
    assert.match(v.stdout + v.stderr, line);
    const s = await send(file);
    assert.equal(s.code, 1, s.stdout + s.stderr);
    // A single file is refused before any request; a bulk run may look up its valid rows, never write.
    const bulk = /\.userupdates\./.test(file);
    const made = fake.requests.filter((r) => !bulk || r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(made, [], `nothing is sent for ${file}`);
  }

  it('bytes that are not UTF-8 (a Latin-1 é): an error at the line (and cell) of the first bad byte, nothing sent', async () => {
    const single = write(
      'latin.userupdate.json',
      Buffer.from('{\n  "$user_id": "user_1",\n  "first_name": "Jos\xe9"\n}\n', 'latin1'),
    );
    await refusedEverywhere(
      single,
      /^latin\.userupdate\.json:3:21 error invalid-encoding Byte 0xE9 \(line 3\) is not UTF-8/m,
    );
    const snippet = await cli(['snippet', '--lang', 'curl', single]);
    assert.equal(snippet.code, 1);
    assert.match(snippet.stderr, /invalid-encoding/);

    const jsonl = write(
      'latin.userupdates.jsonl',
      Buffer.concat([
        Buffer.from('{"$user_id":"user_1","first_name":"Ok"}\n'),
        Buffer.from('{"$user_id":"user_1","last_name":"M\xfcller"}\n', 'latin1'),
      ]),
    );
    await refusedEverywhere(
      jsonl,
      /^latin\.userupdates\.jsonl:2:36 error invalid-encoding Byte 0xFC \(line 2\) is not UTF-8/m,
    );
    const csv = write(
      'latin.userupdates.csv',
      Buffer.from('$user_id,first_name,last_name\nuser_1,Ren\xe9,X\n', 'latin1'),
    );
    await refusedEverywhere(
      csv,
      /^latin\.userupdates\.csv:2:11 error invalid-encoding Byte 0xE9 \(line 2, cell 2\) is not UTF-8/m,
    );
  });

  it("'__proto__' is an unknown property like any other key: in a single file, a JSONL row and a CSV header", async () => {
    const single = write(
      'proto.userupdate.json',
      '{"$user_id": "user_1", "__proto__": {"first_name": "Eve"}}\n',
    );
    await refusedEverywhere(
      single,
      /^proto\.userupdate\.json:1:24 error unknown-property '__proto__' is not a field/m,
    );
    const jsonl = write(
      'proto.userupdates.jsonl',
      '{"$user_id": "user_1", "__proto__": {"first_name": "Eve"}}\n',
    );
    await refusedEverywhere(jsonl, /^proto\.userupdates\.jsonl:1:24 error unknown-property '__proto__'/m);
    const csv = write('proto.userupdates.csv', '$user_id,__proto__\nuser_1,x\n');
    await refusedEverywhere(csv, /^proto\.userupdates\.csv:1:10 error unknown-property '__proto__'/m);
  });

  it('deep nesting: the limit is accepted by validate, send, a bulk run and snippet alike; one more level is an error in all', async () => {
    const nested = (depth: number): string =>
      `{"$user_id": "user_1", "public_metadata": {"a": ${'['.repeat(depth - 2)}${']'.repeat(depth - 2)}}}\n`;
    const ok = write('deep-ok.userupdate.json', nested(MAX_DEPTH));
    assert.equal((await validate(ok)).code, 0);
    for (const lang of ['curl', 'ts', 'rust']) {
      const s = await cli(['snippet', '--lang', lang, ok]);
      assert.equal(s.code, 0, s.stderr);
    }
    const sent = await send(ok);
    assert.equal(sent.code, 0, sent.stderr);
    const bulkOk = write('deep-ok.userupdates.jsonl', nested(MAX_DEPTH));
    const run = await send(bulkOk);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(sent.stderr + run.stderr, /Internal error/);

    // The file of the report: 4,000 levels in 8 KB.
    const deep = write(
      'deep.userupdate.json',
      `{"$user_id": "user_1", "public_metadata": {"a": ${'['.repeat(4000)}${']'.repeat(4000)}}}\n`,
    );
    await refusedEverywhere(
      deep,
      new RegExp(
        `error nesting-too-deep Objects and arrays are nested more than ${MAX_DEPTH} levels deep here`,
      ),
    );
    const snippet = await cli(['snippet', '--lang', 'ts', deep]);
    assert.equal(snippet.code, 1);
    assert.doesNotMatch(snippet.stderr, /Internal error/);
    assert.match(snippet.stderr, /No snippet: fix/);
    const bulk = write(
      'deep.userupdates.jsonl',
      `{"$user_id": "user_1", "public_metadata": {"a": ${'['.repeat(4000)}${']'.repeat(4000)}}}\n`,
    );
    await refusedEverywhere(bulk, /error nesting-too-deep/);
  });

  it('ids with / ? # whitespace or control characters are errors (single file and bulk rows): no GET goes out', async () => {
    const ids = [
      ['user_1/../x', "a '/'"],
      ['user_1?x=1', "a '?'"],
      ['user_1#x', "a '#'"],
      ['user_1 x', 'a space'],
      ['user_1\u0007', 'U+0007 (a control character)'],
    ] as const;
    for (const [id, what] of ids) {
      const file = write('id.userupdate.json', `${JSON.stringify({ $user_id: id, first_name: 'A' })}\n`);
      await refusedEverywhere(
        file,
        new RegExp(
          `error invalid-id '\\$user_id' cannot be a user id: .* holds ${what.replace(/[()?+]/g, '\\$&')}, which no Clerk id has`,
        ),
      );
    }
    const rows = write(
      'id.userupdates.jsonl',
      ids.map(([id]) => `${JSON.stringify({ $user_id: id, first_name: 'A' })}\n`).join(''),
    );
    const listed = await validate(rows);
    assert.deepEqual(
      listed.stdout
        .split('\n')
        .filter((l) => l.includes('invalid-id'))
        .map((l) => l.split(' ')[0]),
      ids.map((_, i) => `id.userupdates.jsonl:${i + 1}:13`),
    );
    await refusedEverywhere(rows, /error invalid-id/);
    const csv = write('id.userupdates.csv', '$user_id,first_name\nuser_1/x,A\n');
    await refusedEverywhere(csv, /^id\.userupdates\.csv:2:1 error invalid-id/m);
  });

  it('sizes: a string field over 8 KB and a body over 64 KB are errors before anything is uploaded; a failed send keeps a small history entry', async () => {
    const big = write(
      'big.userupdate.json',
      `${JSON.stringify({ $user_id: 'user_1', first_name: 'a'.repeat(1024 * 1024) })}\n`,
    );
    await refusedEverywhere(
      big,
      /error value-too-large 'first_name' is 1\.0 MB \(1048578 bytes\); a string field is at most 8 KB/,
    );
    const body = write(
      'body.userupdate.json',
      `${JSON.stringify({ $user_id: 'user_1', public_metadata: { a: 'x'.repeat(8000) }, private_metadata: { a: 'x'.repeat(8000) }, unsafe_metadata: { a: 'x'.repeat(8000) }, first_name: 'b'.repeat(8000), last_name: 'c'.repeat(8000), username: 'd'.repeat(8000), external_id: 'e'.repeat(8000), locale: 'f'.repeat(8000), backup_codes: ['g'.repeat(8000)] })}\n`,
    );
    const v = await validate(body);
    assert.match(
      v.stdout + v.stderr,
      /^body\.userupdate\.json:1:1 error value-too-large The update is \d+\.\d KB \(\d+ bytes\); at most 64 KB is sent/m,
    );
    const csv = write('big.userupdates.csv', `$user_id,first_name\nuser_1,${'a'.repeat(200 * 1024)}\n`);
    await refusedEverywhere(
      csv,
      /^big\.userupdates\.csv:2:8 error value-too-large 'first_name' is 200\.0 KB/m,
    );

    // A send Clerk refuses (its body limit, smaller in this fake): the history keeps a small entry.
    const small = await startFake({ users: 'none', maxBodyBytes: 1024 });
    try {
      small.addUser({ id: 'user_1', first_name: 'Ada' });
      const file = write(
        'refused.userupdate.json',
        `${JSON.stringify({ $user_id: 'user_1', first_name: 'z'.repeat(8000) })}\n`,
      );
      const r = await spawnCli(bundle('cli.js'), ['send', '--api-url', small.url, '--store', store, file], {
        cwd: dir,
        env: { CLERK_SECRET_KEY: FAKE_TEST_KEY },
      });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /413|too large/i);
    } finally {
      await small.stop();
    }
    const entries = readdirSync(store, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    assert.ok(entries.length > 0, 'the failed send is recorded');
    const recorded = entries.map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')).join('');
    assert.ok(recorded.length < 4096, `the history is ${recorded.length} characters`);
  });
});
