import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { environmentKey, HistoryStore, parseHistory, slackOf } from '../../../src/core/history/store';
import { HistoryFiles } from '../../../src/node/historyFiles';
import { entry } from './helpers';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'history-'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});
let n = 0;
const folder = (): string => join(root, `store-${++n}`);
const KEY = environmentKey({ name: 'Fake', api_url: 'http://127.0.0.1:1' });

describe('history store', () => {
  it('appends entries as JSON Lines, one file per environment, and lists them newest first', async () => {
    const files = new HistoryFiles(folder());
    const store = new HistoryStore(files);
    const a = entry();
    const b = entry({ environment: { name: 'Production', api_url: 'https://api.clerk.com' } });
    const c = entry();
    for (const e of [a, b, c]) await store.append(e);
    assert.deepEqual(
      (await store.entries()).map((e) => e.id),
      [c.id, b.id, a.id],
    );
    assert.equal((await files.keys()).length, 2);
    const text = await readFile(files.pathOf(KEY), 'utf8');
    assert.deepEqual(text.split('\n'), [JSON.stringify(a), JSON.stringify(c), '']);
  });

  it('names an environment file by its name and API URL: the same name at two URLs gets two files', () => {
    assert.notEqual(
      environmentKey({ name: 'Dev', api_url: 'http://a' }),
      environmentKey({ name: 'Dev', api_url: 'http://b' }),
    );
    assert.match(environmentKey({ name: 'My env / x', api_url: 'http://a' }), /^My-env-x-[0-9a-f]{8}$/);
  });

  it('tolerates a torn last line, and an append after it starts on a new line: only the torn line is lost', async () => {
    const files = new HistoryFiles(folder());
    const store = new HistoryStore(files);
    const a = entry();
    await store.append(a);
    const torn = JSON.stringify(entry()).slice(0, 40);
    await appendFile(files.pathOf(KEY), torn);
    assert.deepEqual(
      (await store.entries()).map((e) => e.id),
      [a.id],
    );
    const c = entry();
    await store.append(c);
    assert.deepEqual(
      (await store.entries()).map((e) => e.id),
      [c.id, a.id],
    );
    assert.deepEqual((await readFile(files.pathOf(KEY), 'utf8')).split('\n'), [
      JSON.stringify(a),
      torn,
      JSON.stringify(c),
      '',
    ]);
  });

  it('skips blank lines, lines that are not entries, and an entry written twice', () => {
    const a = entry();
    const text = `${JSON.stringify(a)}\n\n{"x":1}\nnot json\n${JSON.stringify(a)}\n`;
    assert.deepEqual(
      parseHistory(text).map((e) => e.id),
      [a.id],
    );
  });

  it('is bounded by maxEntries: the oldest entries are dropped, from the list at once and from the file when it compacts', async () => {
    const files = new HistoryFiles(folder());
    let max = 20;
    const store = new HistoryStore(files, () => max);
    const all = Array.from({ length: 20 + slackOf(20) + 1 }, () => entry());
    for (const e of all.slice(0, 25)) await store.append(e);
    assert.deepEqual(
      (await store.entries()).map((e) => e.id),
      all
        .slice(5, 25)
        .map((e) => e.id)
        .reverse(),
      'the newest 20, newest first',
    );
    for (const e of all.slice(25)) await store.append(e);
    const lines = (await readFile(files.pathOf(KEY), 'utf8')).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { id: string }).id),
      all.slice(-20).map((e) => e.id),
      'the file was compacted to the newest 20',
    );
    max = 5;
    assert.equal((await store.entries()).length, 5, 'a lower setting applies at once');
  });

  it('filters by user, time and a predicate, and clears', async () => {
    const store = new HistoryStore(new HistoryFiles(folder()));
    const a = entry({ user_id: 'user_a' });
    const b = entry({ user_id: 'user_b' });
    const run = entry({
      user_id: null,
      kind: 'run',
      run: {
        journal: 'j',
        summary: {},
        fields: ['first_name'],
        rows: [{ row: 1, user_id: 'user_a', status: 'updated', http_status: 200, trace_id: null }],
      },
    });
    for (const e of [a, b, run]) await store.append(e);
    assert.deepEqual(
      (await store.entries({ userId: 'user_a' })).map((e) => e.id),
      [run.id, a.id],
    );
    assert.deepEqual(
      (await store.entries({ since: Date.parse(b.time) })).map((e) => e.id),
      [run.id, b.id],
    );
    assert.deepEqual(
      (await store.entries({ match: (e) => e.kind === 'run' })).map((e) => e.id),
      [run.id],
    );
    await store.clear();
    assert.deepEqual(await store.entries(), []);
  });

  it('loses no entry when two windows append at once', async () => {
    const dir = folder();
    const count = 150;
    await runWorkers([
      [dir, 'left', String(count), 'append'],
      [dir, 'right', String(count), 'append'],
    ]);
    const ids = new Set((await new HistoryStore(new HistoryFiles(dir)).entries()).map((e) => e.id));
    assert.equal(ids.size, 2 * count);
    for (let i = 0; i < count; i++)
      assert.ok(ids.has(`left_${i}`) && ids.has(`right_${i}`), `entry ${i} of both windows`);
  });

  it('a line another window is still writing while the file is compacted is carried over whole', async () => {
    const dir = folder();
    const files = new HistoryFiles(dir);
    const first = entry({ id: 'first' });
    const lateLine = JSON.stringify(entry({ id: 'late' }));
    await new HistoryStore(files).append(first);
    // The other window's write has reached the file in part (a write that crosses a page shows a page at a
    // time) when the compaction reads it, and ends while the compaction runs.
    await appendFile(files.pathOf(KEY), lateLine.slice(0, 10));
    await files.compact(KEY, (text) => {
      appendFileSync(files.pathOf(KEY), `${lateLine.slice(10)}\n`);
      return text.split('\n').filter(Boolean);
    });
    assert.deepEqual((await readFile(files.pathOf(KEY), 'utf8')).split('\n'), [
      JSON.stringify(first),
      lateLine,
      '',
    ]);
  });

  it('loses no entry appended by one window while another compacts the file', async () => {
    const dir = folder();
    const files = new HistoryFiles(dir);
    await new HistoryStore(files).append(entry({ id: 'seed' }));
    await runWorkers([
      [dir, 'writer', '200', 'append'],
      [dir, 'compactor', '60', 'compact'],
    ]);
    const ids = new Set(parseHistory(await files.read(KEY)).map((e) => e.id));
    for (let i = 0; i < 200; i++) assert.ok(ids.has(`writer_${i}`), `writer_${i} survived the compactions`);
  });
});

/** Starts the workers, tells them all to go once all are ready, and resolves when all are done. */
async function runWorkers(argsList: string[][]): Promise<void> {
  const script = join(__dirname, 'appender.js');
  const children = argsList.map((args) => fork(script, args, { stdio: 'inherit' }));
  const when = (child: ReturnType<typeof fork>, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      child.on('message', (m) => m === what && resolve());
      child.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`)),
      );
    });
  await Promise.all(children.map((c) => when(c, 'ready')));
  const done = children.map((c) => when(c, 'done'));
  for (const c of children) c.send('go');
  await Promise.all(done);
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)),
  );
}
