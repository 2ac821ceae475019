// The files a bulk run leaves next to its input (the journal's own format is journalFile.ts): their
// names, read by the CLI and the editor alike, and a writer of JSON lines for them.
import { type FileHandle, open } from 'node:fs/promises';
import { openPrivate } from './privateFile';
import { type JournalHeader, parseHeader } from '../core/bulk/journal/marks';
import { journalPathFor } from './journalFile';

/** The files of one run (or of one undo): its journal, its report and a dry run's plan. */
export interface RunFiles {
  journal: string;
  report: string;
  plan: string;
}

/**
 * The one definition of the files a run leaves next to its input, for the CLI and the editor alike:
 * `FILE.journal.jsonl`, `FILE.report.jsonl`, and a dry run's `FILE.plan.jsonl`.
 */
export function runFilesFor(inputPath: string): RunFiles {
  return { journal: journalPathFor(inputPath), report: `${inputPath}.report.jsonl`, plan: `${inputPath}.plan.jsonl` };
}

/**
 * The files of the undo of the run journaled at `runJournalPath`: `FILE.undo.journal.jsonl`,
 * `FILE.undo.report.jsonl`, `FILE.undo.plan.jsonl` for `FILE.journal.jsonl`; for a journal moved
 * aside (`X.journal.<time>.jsonl`), the same names after `X.journal.<time>`.
 */
export function undoFilesFor(runJournalPath: string): RunFiles {
  const base = journalBase(runJournalPath);
  return { journal: journalPathFor(base, 'undo'), report: `${base}.undo.report.jsonl`, plan: `${base}.undo.plan.jsonl` };
}

/** The report of the run (or undo) journaled at `journalPath`. */
export function reportPathFor(journalPath: string): string {
  return `${journalBase(journalPath)}.report.jsonl`;
}

/** `FILE` of `FILE.journal.jsonl`; `X` of a journal moved aside as `X.jsonl`. */
function journalBase(journalPath: string): string {
  return /\.journal\.jsonl$/i.test(journalPath) ? journalPath.slice(0, -'.journal.jsonl'.length) : journalPath.replace(/\.jsonl$/i, '');
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
    this.#handle ??= openPrivate(this.path, 'w');
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
