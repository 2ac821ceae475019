import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JournalMark, encodeMark, parseMark, peekMark } from '../../../src/core/bulk/journal/marks';
import { JournalIndex, finalOutcomes, loadJournal } from '../../../src/core/bulk/journal/journalIndex';
import { JournalWriter } from '../../../src/core/bulk/journal/journalWriter';
import { JournalFile, fileSha256, journalPathFor } from '../../../src/node/journalFile';
import { MemoryJournal } from '../../support/bulk';

const HEADER = JSON.stringify({
  journal: 'clerk-user-update/journal',
  version: 1,
  kind: 'run',
  input: 'users.userupdates.jsonl',
  input_sha256: 'abc',
  api_url: 'http://127.0.0.1:1',
  instance: 'Fake',
  production: false,
  api_version: '2026-05-12',
  started_at: '2026-12-01T00:00:00.000Z',
});
const sent = (row: number): JournalMark => ({
  row,
  state: 'sent',
  target: `$user_id:user_${row}`,
  user_id: `user_${row}`,
  fields: ['first_name'],
  before: { first_name: 'Ünïcødé' },
  before_updated_at: 1000 + row,
});
const done = (row: number, extra: Partial<JournalMark> = {}): JournalMark =>
  ({
    row,
    state: 'done',
    target: `$user_id:user_${row}`,
    user_id: `user_${row}`,
    http_status: 200,
    code: null,
    message: null,
    trace_id: 't',
    updated_at: 2000 + row,
    ...extra,
  }) as JournalMark;
const failed = (row: number, applied: 'no' | 'maybe'): JournalMark => ({
  row,
  state: 'failed',
  target: `$user_id:user_${row}`,
  user_id: `user_${row}`,
  http_status: 500,
  code: 'internal_clerk_error',
  message: 'm',
  trace_id: null,
  applied,
});
const journalOf = (...marks: JournalMark[]): string => `${[HEADER, ...marks.map(encodeMark)].join('\n')}\n`;

describe('journal marks and states', () => {
  it('writes row and state first, reads them back fast or whole', () => {
    const line = encodeMark(done(7));
    assert.ok(line.startsWith('{"row":7,"state":"done",'));
    assert.deepEqual(peekMark(line), { row: 7, state: 'done' }, 'fast: row and state only');
    assert.deepEqual(parseMark(line), done(7));
    assert.deepEqual(parseMark(encodeMark(sent(3))), sent(3));
    assert.equal(parseMark('{"row":7,"state":"done","target":"$us'), undefined, 'a torn line is not a mark');
    assert.equal(peekMark('{"row":7,"state":"done","target":"$us'), undefined);
    assert.deepEqual(
      peekMark('{"row":7,"state":"sent","before":{}'),
      { row: 7, state: 'sent' },
      'peeking cannot tell every torn line: the last line is parsed whole',
    );
    assert.equal(
      parseMark('{"row":7,"state":"sent","user_id":"u"}'),
      undefined,
      'a sent mark without its before-read is not one',
    );
    assert.equal(parseMark('{"row":"7","state":"done"}'), undefined);
  });

  it('follows each row: pending → sent → done | failed, keeping sent marks that a resume must check', () => {
    const index = new JournalIndex();
    assert.equal(index.state(5), 'pending');
    index.note(sent(5));
    assert.equal(index.state(5), 'sent');
    assert.deepEqual(index.sentMark(5), sent(5));
    index.note(done(5));
    assert.deepEqual([index.state(5), index.sentMark(5), index.outcomes(5)], ['done', undefined, 1]);
    index.note(sent(6));
    index.note(failed(6, 'maybe'));
    assert.equal(index.state(6), 'failed');
    assert.deepEqual(index.sentMark(6), sent(6), 'maybe applied: kept to be checked on a retry');
    index.note(sent(7));
    index.note(failed(7, 'no'));
    assert.equal(index.sentMark(7), undefined);
    index.note(sent(8));
    index.note({ row: 8, state: 'pending' });
    assert.deepEqual([index.state(8), index.sentMark(8), index.outcomes(8)], ['pending', undefined, 0]);
    index.note(sent(100_000));
    assert.equal(index.state(100_000), 'sent', 'grows for large row numbers');
  });

  it('reports the last outcome of each row only', async () => {
    const store = new MemoryJournal(
      undefined,
      journalOf(sent(1), failed(1, 'maybe'), sent(2), done(2), sent(1), done(1, { reconciled: true })),
    );
    const loaded = await loadJournal(store);
    assert.equal(loaded.status, 'ok');
    if (loaded.status !== 'ok') return;
    const outcomes = [];
    for await (const { mark } of finalOutcomes(store, loaded.index)) outcomes.push(mark);
    assert.deepEqual(outcomes, [done(2), done(1, { reconciled: true })]);
  });
});

describe('loading a journal', () => {
  it('cuts off a torn last line (a crash mid-write) and keeps the rest', async () => {
    const good = journalOf(sent(1), done(1), sent(2));
    for (const tail of [
      encodeMark(done(2)).slice(0, 30),
      '{"row":2,"state":"done"',
      '\u0000\u0000\u0000\n',
      `${encodeMark(done(2)).slice(0, 40)}\n`,
      '{"row":3,"state":"sent","before":{}\n',
    ]) {
      const store = new MemoryJournal(undefined, good + tail);
      const loaded = await loadJournal(store);
      assert.equal(loaded.status, 'ok', JSON.stringify(tail));
      if (loaded.status !== 'ok') continue;
      assert.equal(loaded.tornBytes, Buffer.byteLength(tail));
      assert.equal(store.text, good, 'truncated to the last good line');
      assert.deepEqual([loaded.index.state(1), loaded.index.state(2)], ['done', 'sent']);
    }
  });

  it('refuses a journal damaged in the middle, and a file that is not a journal, leaving both as they are', async () => {
    const damaged = `${HEADER}\n${encodeMark(sent(1))}\ngarbage\n${encodeMark(done(1))}\n`;
    const store = new MemoryJournal(undefined, damaged);
    const loaded = await loadJournal(store);
    assert.deepEqual(loaded, {
      status: 'corrupt',
      message: `${store.name} is damaged: line 3 cannot be read, yet lines after it can. Move it aside or start again with --restart.`,
    });
    assert.equal(store.text, damaged);
    for (const text of ['first_name,last_name\nAda,Lovelace\n', 'a line without a break']) {
      const other = new MemoryJournal(undefined, text);
      assert.equal((await loadJournal(other)).status, 'corrupt');
      assert.equal(other.text, text);
    }
  });

  it('starts afresh over a header cut short, and over nothing', async () => {
    const store = new MemoryJournal(undefined, HEADER.slice(0, 20));
    assert.deepEqual(await loadJournal(store), { status: 'none' });
    assert.equal(store.text, '');
    assert.deepEqual(await loadJournal(new MemoryJournal()), { status: 'none' });
  });
});

describe('group commit', () => {
  it('marks written together go to disk in one append; marks written during a flush in the next', async () => {
    const store = new MemoryJournal();
    const writer = new JournalWriter(store);
    const first = Array.from({ length: 50 }, (_, i) => writer.write(sent(i + 1)));
    await Promise.all(first);
    assert.equal(store.appends, 1);
    const a = writer.write(done(1));
    await Promise.resolve();
    const b = writer.write(done(2));
    const c = writer.write(done(3));
    await Promise.all([a, b, c]);
    assert.equal(store.appends, 3, 'one flush under way, the two others in the next');
    assert.equal(store.lines().length, 53);
  });

  it('after a failed flush nothing more is written and every write rejects', async () => {
    const store = new MemoryJournal().crashAfter(2);
    const writer = new JournalWriter(store);
    const results = await Promise.allSettled([
      writer.write(sent(1)),
      writer.write(sent(2)),
      writer.write(sent(3)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
      'none of the group is acted on: the process would be dead',
    );
    await assert.rejects(writer.write(done(1)), /killed/);
    await assert.rejects(writer.drain(), /killed/);
    assert.equal(writer.failed, true);
  });
});

describe('journal file (src/node)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clerk-uu-journal-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('lives in .clerk-runs/ next to the input, appends and reads back lines with their byte offsets', async () => {
    const input = join(dir, 'users.userupdates.jsonl');
    assert.equal(journalPathFor(input), join(dir, '.clerk-runs', 'users.userupdates.jsonl.journal.jsonl'));
    assert.equal(
      journalPathFor(input, 'undo'),
      join(dir, '.clerk-runs', 'users.userupdates.jsonl.undo.journal.jsonl'),
    );
    await mkdir(join(dir, '.clerk-runs'));
    const file = new JournalFile(journalPathFor(input));
    assert.deepEqual(await loadJournal(file), { status: 'none' }, 'no file yet');
    await file.append([HEADER, encodeMark(sent(1))]);
    await file.append([encodeMark(done(1))]);
    await file.close();
    const text = await readFile(file.path, 'utf8');
    assert.equal(text, journalOf(sent(1), done(1)));
    const blocks = [];
    for await (const block of file.read()) blocks.push(block);
    assert.deepEqual(blocks, [{ text, start: 0 }], 'whole lines, with their byte offset');
    await writeFile(file.path, `${text}${encodeMark(done(2)).slice(0, 20)}`);
    const loaded = await loadJournal(file);
    assert.ok(loaded.status === 'ok');
    assert.equal(loaded.tornBytes, 20);
    assert.equal(
      await readFile(file.path, 'utf8'),
      text,
      'cut at the byte offset of the last good line, multi-byte characters counted as bytes',
    );
  });

  it('a torn last line on disk is cut off before appending; restart moves the journal aside', async () => {
    const path = join(dir, 'torn.journal.jsonl');
    await writeFile(path, journalOf(sent(1)) + encodeMark(done(1)).slice(0, 33));
    const file = new JournalFile(path);
    const loaded = await loadJournal(file);
    assert.equal(loaded.status, 'ok');
    await file.append([encodeMark(done(1))]);
    assert.equal(await readFile(path, 'utf8'), journalOf(sent(1), done(1)));
    const aside = await file.moveAside();
    assert.match(aside, /torn\.journal\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.jsonl$/);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith('torn')),
      [aside.slice(dir.length + 1)],
    );
    assert.equal(await readFile(aside, 'utf8'), journalOf(sent(1), done(1)));
  });

  it('hashes the input', async () => {
    const path = join(dir, 'hash.jsonl');
    await writeFile(path, 'abc');
    assert.equal(await fileSha256(path), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
