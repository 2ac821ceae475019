// What the editor's bulk runs take from the core and src/node:
// where a failed row is shown (exact ranges), how many rows a file holds, the files a run leaves
// next to its input, and a file's text as the engine's input.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bulkChecker } from '../../../src/core/bulk/format/checkFile';
import { encodeHeader } from '../../../src/core/bulk/journal/marks';
import { locateFailedRows } from '../../../src/core/bulk/format/locate';
import type { BulkFormat, BulkRow } from '../../../src/core/bulk/format/types';
import { fileInput, textInput } from '../../../src/node/bulkInput';
import { journalPathFor } from '../../../src/node/journalFile';
import {
  JsonLinesFile,
  prepareRunFolder,
  readJournalHeader,
  reportPathFor,
  runFilesFor,
  undoFilesFor,
} from '../../../src/node/runFiles';
import { readFile } from 'node:fs/promises';

const OPTIONS = { defaultApiVersion: '2026-05-12' } as const;

/** "line:character-line:character" of a range. */
const at = (
  r: { start: { line: number; character: number }; end: { line: number; character: number } } | undefined,
) => (r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : 'none');

/** The range of the `occurrence`-th `text` in `source`, as `at` writes it. */
function rangeOf(source: string, text: string, occurrence = 0): string {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) offset = source.indexOf(text, offset + 1);
  assert.ok(offset >= 0, `${text} in the source`);
  const before = source.slice(0, offset).split('\n');
  const line = before.length - 1;
  const character = before[line].length;
  return `${line}:${character}-${line}:${character + text.length}`;
}

describe('where a failed row is shown', () => {
  const jsonl = [
    '{"$user_id":"user_1","first_name":"Ada"}',
    '',
    '  {"$email":"b@example.com","username":"taken","first_name":"B"}  ',
    '{"$user_id":"user_3","last_name":"C"}',
    '',
  ].join('\n');

  it('JSONL: the key of the field Clerk names, else the line without its surrounding whitespace', () => {
    const places = locateFailedRows(jsonl, 'jsonl', [
      { row: 3, target: '$email:b@example.com', param: 'username' },
      { row: 4, target: '$user_id:user_3', param: 'username' },
      { row: 1, target: '$user_id:user_1' },
      { row: 9, target: '$user_id:user_9' },
    ]);
    assert.equal(at(places.get(3)), rangeOf(jsonl, '"username"'));
    assert.equal(
      at(places.get(4)),
      rangeOf(jsonl, '{"$user_id":"user_3","last_name":"C"}'),
      'a field the line does not have: the line',
    );
    assert.equal(at(places.get(1)), rangeOf(jsonl, '{"$user_id":"user_1","first_name":"Ada"}'));
    assert.equal(places.has(9), false, 'a row that is not in the file');
  });

  const csv = [
    '$email,username,first_name,$user_id',
    'a@example.com,taken,Ada,',
    ',"x ""y""",B,user_2',
    'c@example.com,,"multi',
    'line",',
    '',
  ].join('\n');

  it("CSV: the cell of the field Clerk names, else the row's target cell; quoted cells with their quotes", () => {
    const places = locateFailedRows(csv, 'csv', [
      { row: 2, target: '$email:a@example.com', param: 'username' },
      { row: 3, target: '$user_id:user_2', param: 'username' },
      { row: 4, target: '$email:c@example.com', param: 'username' },
    ]);
    assert.equal(at(places.get(2)), rangeOf(csv, 'taken'));
    assert.equal(at(places.get(3)), rangeOf(csv, '"x ""y"""'));
    assert.equal(
      at(places.get(4)),
      rangeOf(csv, 'c@example.com'),
      'an empty cell of the field: the target cell',
    );
    const target = locateFailedRows(csv, 'csv', [{ row: 3, target: '$user_id:user_2' }]);
    assert.equal(at(target.get(3)), rangeOf(csv, 'user_2'), 'no field named: the target cell');
  });
});

describe('rows of a bulk file', () => {
  const count = (text: string, format: BulkFormat) => {
    const checker = bulkChecker(format, OPTIONS, { diagnostic: () => undefined });
    checker.push(text);
    checker.end();
    return checker.rows();
  };

  it('counts non-blank lines or records, those with errors too, and no CSV header', () => {
    assert.equal(
      count('{"$user_id":"user_1","first_name":"A"}\n\n{"first_name": 42}\nnot json\n', 'jsonl'),
      3,
    );
    assert.equal(count('$user_id,first_name\nuser_1,A\n,\nuser_2,"B\nC"\n', 'csv'), 2);
    assert.equal(count('$user_id,first_name\n', 'csv'), 0);
  });
});

describe('the files of a run', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cuu-run-files-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('sit in .clerk-runs/ next to the input: journal, report, plan, and the undo journal and its report', async () => {
    const input = join(dir, 'team.userupdates.csv');
    const journal = journalPathFor(input);
    const folder = join(dir, '.clerk-runs', 'team.userupdates.csv');
    assert.equal(journal, `${folder}.journal.jsonl`);
    assert.deepEqual(runFilesFor(input), {
      journal,
      report: `${folder}.report.jsonl`,
      plan: `${folder}.plan.jsonl`,
    });
    assert.equal(reportPathFor(journal), `${folder}.report.jsonl`);
    assert.deepEqual(undoFilesFor(journal), {
      journal: journalPathFor(input, 'undo'),
      report: `${folder}.undo.report.jsonl`,
      plan: `${folder}.undo.plan.jsonl`,
    });
    assert.equal(reportPathFor(undoFilesFor(journal).journal), `${folder}.undo.report.jsonl`);
    // A journal of an earlier version, next to the input: still the run's journal; its undo goes into the
    // folder.
    await writeFile(`${input}.journal.jsonl`, '');
    assert.deepEqual(runFilesFor(input), {
      journal: `${input}.journal.jsonl`,
      report: `${input}.report.jsonl`,
      plan: `${folder}.plan.jsonl`,
    });
    assert.deepEqual(undoFilesFor(`${input}.journal.jsonl`), {
      journal: `${folder}.undo.journal.jsonl`,
      report: `${folder}.undo.report.jsonl`,
      plan: `${folder}.undo.plan.jsonl`,
    });
    await rm(`${input}.journal.jsonl`);
    await prepareRunFolder(journal);
    assert.equal(await readFile(join(dir, '.clerk-runs', '.gitignore'), 'utf8'), '*\n');
    const movedAside = `${folder}.journal.2026-01-02T03-04-05-678Z.jsonl`;
    const aside = `${folder}.journal.2026-01-02T03-04-05-678Z`;
    assert.deepEqual(undoFilesFor(movedAside), {
      journal: `${aside}.undo.journal.jsonl`,
      report: `${aside}.undo.report.jsonl`,
      plan: `${aside}.undo.plan.jsonl`,
    });
    assert.equal(reportPathFor(undoFilesFor(movedAside).journal), `${aside}.undo.report.jsonl`);
  });

  it('a journal header is read from the first line only; a file that is no journal has none', async () => {
    const path = join(dir, 'a.journal.jsonl');
    const header = {
      journal: 'clerk-user-update/journal',
      version: 1,
      kind: 'run',
      input: 'a',
      input_sha256: 'ab',
      api_url: 'http://127.0.0.1:1',
      instance: 'Dev',
      production: false,
      api_version: '2026-05-12',
      started_at: '2026-01-01T00:00:00.000Z',
    } as const;
    await writeFile(path, `${encodeHeader(header)}\n{"row":1,"state":"pending"}\n`);
    assert.deepEqual(await readJournalHeader(path), header);
    await writeFile(join(dir, 'b.jsonl'), '{"row":1}\n');
    assert.equal(await readJournalHeader(join(dir, 'b.jsonl')), undefined);
    assert.equal(await readJournalHeader(join(dir, 'missing.jsonl')), undefined);
  });

  it('a JSON Lines file is created by its first line: nothing written, the old file stays', async () => {
    const path = join(dir, 'r.report.jsonl');
    await writeFile(path, 'old\n');
    const empty = new JsonLinesFile(path);
    await empty.close();
    assert.equal(await readFile(path, 'utf8'), 'old\n');
    const file = new JsonLinesFile(path);
    for (let i = 0; i < 5000; i++) await file.write({ row: i, message: 'x'.repeat(20) });
    await file.close();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(lines.length, 5000);
    assert.deepEqual(JSON.parse(lines[4999]), { row: 4999, message: 'x'.repeat(20) });
    assert.equal(file.lines, 5000);
  });

  it("a file's text read once gives the engine the same rows and problems as the file streamed", async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i === 7
        ? '{"$user_id":"user_x","first_name":42}'
        : JSON.stringify({ $user_id: `user_${i}`, first_name: `Ä${'é'.repeat(i % 40)}` }),
    );
    const text = `\ufeff${lines.join('\r\n')}\n`;
    const path = join(dir, 'big.userupdates.jsonl');
    await writeFile(path, text);
    const read = async (input: ReturnType<typeof fileInput>) => {
      const rows: BulkRow[] = [];
      for await (const chunk of input.rows()) rows.push(...chunk);
      return { rows, problems: input.problems() };
    };
    const streamed = await read(fileInput(path, 'jsonl', OPTIONS));
    const once = await read(textInput(await readFile(path, 'utf8'), 'jsonl', OPTIONS));
    assert.equal(once.rows.length, 2999);
    assert.deepEqual(once, streamed);
    assert.equal(once.problems.errorCount, 1);
  });
});
