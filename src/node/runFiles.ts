// The files a bulk run leaves next to its input, besides the journal (journalFile.ts): the report,
// the dry run's plan, the undo's journal; and a writer of JSON lines for them.
import { type FileHandle, open } from 'node:fs/promises';
import { type JournalHeader, parseHeader } from '../core/bulk/journal/marks';

/** `FILE.report.jsonl` for `FILE.journal.jsonl` (`FILE.undo.report.jsonl` for `FILE.undo.journal.jsonl`). */
export function reportPathFor(journalPath: string): string {
  return journalPath.endsWith('.journal.jsonl') ? `${journalPath.slice(0, -'.journal.jsonl'.length)}.report.jsonl` : journalPath.replace(/(\.jsonl)?$/, '.report.jsonl');
}

/** `FILE.plan.jsonl`: a dry run's plan, one line per row. */
export function planPathFor(inputPath: string): string {
  return `${inputPath}.plan.jsonl`;
}

/**
 * The undo's journal of a run's journal: `FILE.undo.journal.jsonl` for `FILE.journal.jsonl` (what
 * `journalPathFor(FILE, 'undo')` says), `X.undo.jsonl` for a journal moved aside (`X.jsonl`).
 */
export function undoJournalPathFor(runJournalPath: string): string {
  return runJournalPath.endsWith('.journal.jsonl') ? `${runJournalPath.slice(0, -'.journal.jsonl'.length)}.undo.journal.jsonl` : runJournalPath.replace(/(\.jsonl)?$/, '.undo.jsonl');
}

/** The header of a journal (its first line), or undefined when the file is missing or is no journal. */
export async function readJournalHeader(path: string): Promise<JournalHeader | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(16 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.toString('utf8', 0, bytesRead);
    const end = text.indexOf('\n');
    return end < 0 ? undefined : parseHeader(text.slice(0, end));
  } finally {
    await handle.close();
  }
}

/**
 * A JSON Lines file written from its start (a report, a plan): created on the first line, so a run
 * that reports nothing leaves the previous file as it was; written in pieces of 64 KB.
 */
export class JsonLinesFile {
  #handle: Promise<FileHandle> | undefined;
  #pending = '';
  #lines = 0;

  constructor(readonly path: string) {}

  get lines(): number {
    return this.#lines;
  }

  async write(value: unknown): Promise<void> {
    this.#handle ??= open(this.path, 'w');
    this.#pending += `${JSON.stringify(value)}\n`;
    this.#lines++;
    if (this.#pending.length >= 64 * 1024) await this.#flush();
  }

  async close(): Promise<void> {
    if (!this.#handle) return;
    await this.#flush();
    await (await this.#handle).close();
    this.#handle = undefined;
  }

  async #flush(): Promise<void> {
    const text = this.#pending;
    this.#pending = '';
    if (text) await (await this.#handle!).write(text);
  }
}
