// The history's logic over a port (the files are src/node/historyFiles.ts): one JSON Lines file
// per environment, read tolerantly (a torn last line, a line written twice), bounded.
import { concernsUser } from './diff';
import type { HistoryEntry, HistoryEnvironment } from './entry';

export const DEFAULT_MAX_ENTRIES = 10_000;

/** Where the history's lines live: one file (a key) per environment. */
export interface HistoryPort {
  /** The keys that have a file. */
  keys(): Promise<string[]>;
  /** The file's text ('' when there is none). */
  read(key: string): Promise<string>;
  /** Appends one line atomically; a torn last line before it stays on a line of its own. */
  append(key: string, line: string): Promise<void>;
  /**
   * Replaces the file by the lines `keep` picks from its text. Lines appended while it runs
   * (by this or another process) are kept too. May do nothing when another compaction is running.
   */
  compact(key: string, keep: (text: string) => string[]): Promise<void>;
  /** Removes the file of `key`, or every file. */
  clear(key?: string): Promise<void>;
}

/** The file of an environment: its name and a hash of its API URL, so two URLs never share one. */
export function environmentKey(environment: HistoryEnvironment): string {
  const slug =
    environment.name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'environment';
  return `${slug}-${fnv1a(environment.api_url)}`;
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function isEntry(value: unknown): value is HistoryEntry {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<HistoryEntry>;
  return (
    typeof v.id === 'string' &&
    typeof v.time === 'string' &&
    typeof v.kind === 'string' &&
    typeof v.environment === 'object' &&
    typeof v.fields === 'object'
  );
}

/** The lines of a history file that hold an entry, oldest first: blank, torn and repeated lines skipped. */
export function entryLines(text: string): Array<{ line: string; entry: HistoryEntry }> {
  const seen = new Set<string>();
  const out: Array<{ line: string; entry: HistoryEntry }> = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue; // a torn line (a crash mid-write) is all that is lost
    }
    if (!isEntry(value) || seen.has(value.id)) continue;
    seen.add(value.id);
    out.push({ line, entry: value });
  }
  return out;
}

export function parseHistory(text: string): HistoryEntry[] {
  return entryLines(text).map((e) => e.entry);
}

/**
 * How many entries over the bound a file may grow before it is compacted (so that a full history is not
 * rewritten on every append).
 */
export function slackOf(maxEntries: number): number {
  return Math.max(10, Math.ceil(maxEntries / 10));
}

export interface HistoryQuery {
  userId?: string;
  /** Milliseconds since the epoch: entries at or after it. */
  since?: number;
  /** Entries one of whose filters matches (see matchesFilter). */
  match?: (entry: HistoryEntry) => boolean;
}

/** The history of every environment, over a port. */
export class HistoryStore {
  /** Lines per key as last counted (read or appended here). */
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly port: HistoryPort,
    private readonly maxEntries: () => number = () => DEFAULT_MAX_ENTRIES,
  ) {}

  async append(entry: HistoryEntry): Promise<void> {
    const key = environmentKey(entry.environment);
    await this.port.append(key, JSON.stringify(entry));
    let count = this.counts.get(key);
    if (count === undefined) count = (await this.port.read(key)).split('\n').filter((l) => l.trim()).length;
    else count++;
    this.counts.set(key, count);
    const max = this.maxEntries();
    if (count > max + slackOf(max)) await this.compact(key, max);
  }

  /** Keeps the newest `max` entries of a file. */
  async compact(key: string, max = this.maxEntries()): Promise<void> {
    await this.port.compact(key, (text) =>
      entryLines(text)
        .slice(-max)
        .map((e) => e.line),
    );
    this.counts.delete(key);
  }

  /** Every environment's entries, newest first, each file bounded to its newest entries. */
  async entries(query: HistoryQuery = {}): Promise<HistoryEntry[]> {
    const max = this.maxEntries();
    const all: HistoryEntry[] = [];
    for (const key of await this.port.keys()) {
      const entries = parseHistory(await this.port.read(key));
      this.counts.set(key, entries.length);
      all.push(...entries.slice(-max));
    }
    return all
      .filter((e) => query.since === undefined || Date.parse(e.time) >= query.since)
      .filter((e) => query.userId === undefined || concernsUser(e, query.userId))
      .filter((e) => !query.match || query.match(e))
      .sort((a, b) => (a.time === b.time ? b.id.localeCompare(a.id) : b.time.localeCompare(a.time)));
  }

  async find(id: string): Promise<HistoryEntry | undefined> {
    return (await this.entries()).find((e) => e.id === id);
  }

  async clear(): Promise<void> {
    await this.port.clear();
    this.counts.clear();
  }
}
