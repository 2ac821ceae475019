// The journal of a bulk run as a file (the core's JournalStore port): appended, fsync'd.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { type FileHandle, open, rename, stat, truncate } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JournalBlock, JournalStore } from '../core/bulk/journal/journalIndex';
import { openPrivate } from './privateFile';

/**
 * The folder next to an input that holds its runs' files (with its own `.gitignore`: they hold personal
 * data).
 */
export const RUN_FOLDER = '.clerk-runs';

/**
 * `.clerk-runs/FILE.journal.jsonl` next to the input (`.clerk-runs/FILE.undo.journal.jsonl` for its undo).
 */
export function journalPathFor(inputPath: string, kind: 'run' | 'undo' = 'run'): string {
  return join(
    dirname(inputPath),
    RUN_FOLDER,
    `${basename(inputPath)}${kind === 'undo' ? '.undo' : ''}.journal.jsonl`,
  );
}

/** Where earlier versions kept the journal: `FILE.journal.jsonl` right next to the input. */
export function legacyJournalPathFor(inputPath: string): string {
  return `${inputPath}.journal.jsonl`;
}

/** SHA-256 (hex) of a file, read as a stream. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

/** fsync a folder, so that a file created or renamed in it survives a power loss. */
async function syncFolder(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // some file systems cannot sync a folder; the file's own fsync still holds
  } finally {
    await handle.close();
  }
}

/**
 * A journal file. It is read as a stream in blocks of whole lines (the file can be large); appends go to the
 * end and are flushed to disk (`fdatasync`) before
 * `append` resolves, so a mark that was acted on is on disk. One file per run: the handle stays
 * open until `close`.
 */
export class JournalFile implements JournalStore {
  readonly name: string;
  #handle: FileHandle | undefined;

  constructor(readonly path: string) {
    this.name = path;
  }

  async *read(): AsyncGenerator<JournalBlock> {
    let stream;
    try {
      await stat(this.path);
      stream = createReadStream(this.path, { highWaterMark: 1024 * 1024 });
    } catch (error) {
      if (isMissing(error)) return;
      throw error;
    }
    let carry: Buffer = Buffer.alloc(0);
    let offset = 0;
    for await (const chunk of stream) {
      const data = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const end = data.lastIndexOf(0x0a) + 1;
      carry = data.subarray(end);
      if (end === 0) continue;
      yield { text: data.toString('utf8', 0, end), start: offset };
      offset += end;
    }
    if (carry.length > 0) yield { text: carry.toString('utf8'), start: offset };
  }

  async truncate(bytes: number): Promise<void> {
    await this.close();
    await truncate(this.path, bytes);
  }

  async append(lines: readonly string[]): Promise<void> {
    if (!this.#handle) {
      const existed = await stat(this.path).then(
        () => true,
        () => false,
      );
      this.#handle = await openPrivate(this.path, 'a');
      if (!existed) await syncFolder(dirname(this.path));
    }
    await this.#handle.write(`${lines.join('\n')}\n`);
    await this.#handle.datasync();
  }

  /** Renames the journal to `FILE.journal.<time>.jsonl` (never over another file). */
  async moveAside(): Promise<string> {
    await this.close();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = this.path.replace(/\.jsonl$/, '');
    for (let i = 0; ; i++) {
      const target = `${base}.${stamp}${i ? `-${i}` : ''}.jsonl`;
      const taken = await stat(target).then(
        () => true,
        () => false,
      );
      if (taken) continue;
      try {
        await rename(this.path, target);
      } catch (error) {
        if (isMissing(error)) return target;
        throw error;
      }
      await syncFolder(dirname(this.path));
      return target;
    }
  }

  async close(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    await handle?.close();
  }
}
