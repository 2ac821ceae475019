// The files a bulk run leaves next to its input (the journal's own format is journalFile.ts): their
// names, read by the CLI and the editor alike, and a writer of JSON lines for them.
import { existsSync } from 'node:fs';
import { type FileHandle, mkdir, open, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openPrivate } from './privateFile';
import { type JournalHeader, parseHeader } from '../core/bulk/journal/marks';
import { RUN_FOLDER, journalPathFor, legacyJournalPathFor } from './journalFile';

/** The files of one run (or of one undo): its journal, its report and a dry run's plan. */
export interface RunFiles {
  journal: string;
  report: string;
  plan: string;
}

/**
 * The one definition of the files a run leaves next to its input, for the CLI and the editor alike,
 * in the folder `.clerk-runs/` next to it: `FILE.journal.jsonl`, `FILE.report.jsonl`, and a dry run's
 * `FILE.plan.jsonl`. A journal that an earlier version left next to the input (and no newer one in
 * the folder) is still the run's journal, with its report next to it, so that the run resumes.
 */
export function runFilesFor(inputPath: string): RunFiles {
  const folder = join(dirname(inputPath), RUN_FOLDER, basename(inputPath));
  const plan = `${folder}.plan.jsonl`;
  const legacy = legacyJournalPathFor(inputPath);
  if (!existsSync(journalPathFor(inputPath)) && existsSync(legacy))
    return { journal: legacy, report: `${inputPath}.report.jsonl`, plan };
  return { journal: journalPathFor(inputPath), report: `${folder}.report.jsonl`, plan };
}

/**
 * The files of the undo of the run journaled at `runJournalPath`, in the run folder:
 * `FILE.undo.journal.jsonl`, `FILE.undo.report.jsonl`, `FILE.undo.plan.jsonl` for
 * `FILE.journal.jsonl`; for a journal moved aside (`X.journal.<time>.jsonl`), the same names after
 * `X.journal.<time>`. The journal of an earlier version next to the input is undone into the run
 * folder too, unless an undo of it had begun next to it (which then resumes there).
 */
export function undoFilesFor(runJournalPath: string): RunFiles {
  const base = journalBase(runJournalPath);
  const inFolder = basename(dirname(runJournalPath)) === RUN_FOLDER;
  const next = `${base}.undo.journal.jsonl`;
  const at = inFolder || existsSync(next) ? base : join(dirname(base), RUN_FOLDER, basename(base));
  return {
    journal: `${at}.undo.journal.jsonl`,
    report: `${at}.undo.report.jsonl`,
    plan: `${at}.undo.plan.jsonl`,
  };
}

/**
 * Makes the run folder of these files, when they are in one (`.clerk-runs/`), with a `.gitignore`
 * of `*` in it, so that the files (personal data) are never committed. Paths elsewhere (`--journal`,
 * `--report`) are left as they are.
 */
export async function prepareRunFolder(...paths: string[]): Promise<void> {
  for (const folder of new Set(paths.map(dirname))) {
    if (basename(folder) !== RUN_FOLDER) continue;
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, '.gitignore'), '*\n', { flag: 'wx' }).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
}

/** The report of the run (or undo) journaled at `journalPath`. */
export function reportPathFor(journalPath: string): string {
  return `${journalBase(journalPath)}.report.jsonl`;
}

/** `FILE` of `FILE.journal.jsonl`; `X` of a journal moved aside as `X.jsonl`. */
function journalBase(journalPath: string): string {
  return /\.journal\.jsonl$/i.test(journalPath)
    ? journalPath.slice(0, -'.journal.jsonl'.length)
    : journalPath.replace(/\.jsonl$/i, '');
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
