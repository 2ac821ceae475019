// The history's files (the core's HistoryPort): one JSON Lines file per environment in a folder.
// Appends are one O_APPEND write each, so lines from two windows never interleave; a compaction
// replaces the file by its newest lines and carries over what was appended meanwhile (see compact).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { type FileHandle, mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { HistoryPort } from '../core/history/store';

const SUFFIX = '.history.jsonl';
/** A compaction lock older than this was left by a process that died: it is taken over. */
const STALE_LOCK_MS = 60_000;

/** Where the CLI keeps its history unless `--store PATH` says otherwise. */
export function defaultCliStore(): string {
  return join(homedir(), '.clerk-user-update', 'history');
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/**
 * The whole lines from `offset` on, and where they end. A line being appended meanwhile may show in part (a
 * write that crosses a page is seen a page at a time): what follows the last newline is left for later.
 */
async function wholeLinesFrom(handle: FileHandle, offset: number): Promise<{ text: string; end: number }> {
  const chunks: Buffer[] = [];
  let position = offset;
  for (;;) {
    const buffer = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  const all = Buffer.concat(chunks);
  const whole = all.lastIndexOf(0x0a) + 1;
  return { text: all.subarray(0, whole).toString('utf8'), end: offset + whole };
}

export class HistoryFiles implements HistoryPort {
  constructor(readonly folder: string) {}

  pathOf(key: string): string {
    return join(this.folder, `${key}${SUFFIX}`);
  }

  async keys(): Promise<string[]> {
    try {
      return (await readdir(this.folder))
        .filter((name) => name.endsWith(SUFFIX))
        .map((name) => name.slice(0, -SUFFIX.length))
        .sort();
    } catch (error) {
      if (isCode(error, 'ENOENT')) return [];
      throw error;
    }
  }

  async read(key: string): Promise<string> {
    try {
      return await readFile(this.pathOf(key), 'utf8');
    } catch (error) {
      if (isCode(error, 'ENOENT')) return '';
      throw error;
    }
  }

  async append(key: string, line: string): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const path = this.pathOf(key);
    // A compaction may replace the file between our open and our write: then the line is in the
    // old file, and goes again into the new one (a line twice is read once: entries have ids).
    for (;;) {
      const handle = await open(path, 'a+', 0o600);
      try {
        const before = await handle.stat();
        let prefix = '';
        if (before.size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, before.size - 1);
          // A torn last line (a crash mid-write) stays alone on its line: only it is lost.
          if (last[0] !== 0x0a) prefix = '\n';
        }
        const data = Buffer.from(`${prefix}${line}\n`, 'utf8');
        let done = 0;
        while (done < data.length) done += (await handle.write(data, done, data.length - done)).bytesWritten;
        await handle.datasync();
        // Compared while the file is still open: once closed, a replaced file's inode number is free, and the
        // next compaction's file may get it, so a line left in the replaced file would pass for one in the
        // file that is there.
        const now = await stat(path).catch(() => undefined);
        if (now && now.ino === before.ino && now.dev === before.dev) return;
      } finally {
        await handle.close();
      }
    }
  }

  async compact(key: string, keep: (text: string) => string[]): Promise<void> {
    const path = this.pathOf(key);
    const lock = `${path}.lock`;
    if (!(await this.lock(lock))) return; // another window is compacting it
    try {
      let old: FileHandle;
      try {
        old = await open(path, 'r');
      } catch (error) {
        if (isCode(error, 'ENOENT')) return;
        throw error;
      }
      try {
        const { text, end } = await wholeLinesFrom(old, 0);
        const kept = keep(text);
        const temp = `${path}.${process.pid}.tmp`;
        const out = await open(temp, 'w', 0o600);
        try {
          if (kept.length) await out.write(`${kept.join('\n')}\n`);
          await out.sync();
        } finally {
          await out.close();
        }
        await rename(temp, path);
        // Lines appended to the old file after it was read: into the new one. A line still being written
        // now is written again by its writer, which finds the file replaced once it is done.
        const rest = (await wholeLinesFrom(old, end)).text;
        for (const line of rest.split('\n')) if (line.trim()) await this.append(key, line);
      } finally {
        await old.close();
      }
    } finally {
      await unlink(lock).catch(() => undefined);
    }
  }

  async clear(key?: string): Promise<void> {
    for (const k of key === undefined ? await this.keys() : [key])
      await unlink(this.pathOf(k)).catch((error: unknown) =>
        isCode(error, 'ENOENT') ? undefined : Promise.reject(error),
      );
  }

  private async lock(path: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await (await open(path, 'wx', 0o600)).close();
        return true;
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
        const info = await stat(path).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs < STALE_LOCK_MS) return false;
        await unlink(path).catch(() => undefined);
      }
    }
    return false;
  }
}
