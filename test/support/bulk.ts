// Helpers for the bulk engine's tests: rows in memory, a journal in memory (that can crash), a
// fake clock, and a connection to the fake Clerk.
import type { Clock } from '../../src/core/pacing/clock';
import type { JournalBlock, JournalStore } from '../../src/core/bulk/journal/journalIndex';
import type { BulkInput, BulkRow, RowTarget } from '../../src/core/bulk/format/types';
import { ClerkClient } from '../../src/core/clerk/client';
import type { Connection } from '../../src/core/clerk/instance';
import type { ApiVersion } from '../../src/core/versions';
import { FAKE_LIVE_KEY, FAKE_TEST_KEY, type FakeClerk } from './fake-clerk';

/** A row of a JSONL file: `$` target key first, then the fields. */
export function row(
  n: number,
  target: RowTarget,
  fields: Record<string, unknown>,
  extra: Partial<BulkRow> = {},
): BulkRow {
  const key = target.kind === 'user_id' ? '$user_id' : target.kind === 'email' ? '$email' : '$external_id';
  return { row: n, text: JSON.stringify({ [key]: target.value, ...fields }), target, ...extra };
}

/** The rows as a bulk input, in chunks of `chunk` (read again from the start on each call). */
export function input(
  rows: readonly BulkRow[],
  chunk = 7,
  problems?: { errors: string[]; warnings: string[] },
): BulkInput & { reads: number } {
  const out = {
    reads: 0,
    async *rows() {
      out.reads++;
      for (let i = 0; i < rows.length; i += chunk) yield rows.slice(i, i + chunk);
    },
    problems: problems ? () => problems : undefined,
  };
  return out;
}

/**
 * A journal in memory. `crashAfter(n)`: the store keeps the first `n` lines it is given and then
 * fails every append, as a process killed mid-write would leave it (the group being written
 * when it died is on disk only as far as `n`).
 */
export class MemoryJournal implements JournalStore {
  readonly name: string;
  text = '';
  appends = 0;
  moved: string[] = [];
  #limit = Infinity;
  #written = 0;

  constructor(name = 'users.userupdates.jsonl.journal.jsonl', text = '') {
    this.name = name;
    this.text = text;
  }

  crashAfter(lines: number): this {
    this.#limit = lines;
    this.#written = this.lines().length;
    return this;
  }

  lines(): string[] {
    return this.text.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');
  }

  /** Blocks of 3 lines at most, so that readers meet many blocks. */
  async *read(): AsyncGenerator<JournalBlock> {
    const text = this.text;
    let start = 0;
    let bytes = 0;
    for (;;) {
      let end = start;
      for (let n = 0; n < 3; n++) {
        const i = text.indexOf('\n', end);
        if (i < 0) {
          end = n === 0 ? text.length : end;
          break;
        }
        end = i + 1;
      }
      if (end <= start) return;
      const block = text.slice(start, end);
      yield { text: block, start: bytes };
      bytes += Buffer.byteLength(block);
      start = end;
    }
  }

  async truncate(bytes: number): Promise<void> {
    this.text = Buffer.from(this.text).subarray(0, bytes).toString();
  }

  async append(lines: readonly string[]): Promise<void> {
    this.appends++;
    const room = this.#limit - this.#written;
    if (room < lines.length) {
      for (const l of lines.slice(0, Math.max(0, room))) this.text += `${l}\n`;
      this.#written = this.#limit;
      throw new Error('the process was killed');
    }
    for (const l of lines) this.text += `${l}\n`;
    this.#written += lines.length;
  }

  async moveAside(): Promise<string> {
    this.moved.push(this.text);
    this.text = '';
    return `${this.name.replace(/\.jsonl$/, '')}.aside.jsonl`;
  }
}

interface FakeTimer {
  at: number;
  id: number;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when the test says: timers fire in order as `advance` passes them. */
export class FakeClock implements Clock {
  #now = 0;
  #id = 0;
  /** A binary min-heap on (at, id). */
  #heap: FakeTimer[] = [];

  now(): number {
    return this.#now;
  }

  timer(ms: number, fn: () => void): () => void {
    const t: FakeTimer = { at: this.#now + Math.max(0, ms), id: ++this.#id, fn, cancelled: false };
    this.#push(t);
    return () => {
      t.cancelled = true;
    };
  }

  /** The next timer's time, if any. */
  next(): number | undefined {
    while (this.#heap.length && this.#heap[0].cancelled) this.#pop();
    return this.#heap[0]?.at;
  }

  /**
   * A blocked event loop: time moves on by `ms` and no timer fires meanwhile (those due fire late, at the
   * next `advance`).
   */
  stall(ms: number): void {
    this.#now += ms;
  }

  /** Move to `now + ms`, firing due timers in order (and letting promises settle after each). */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const at = this.next();
      if (at === undefined || at > end) break;
      const due = this.#pop();
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = end;
    await settle();
  }

  #less(a: FakeTimer, b: FakeTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.id < b.id);
  }

  #push(t: FakeTimer): void {
    const h = this.#heap;
    h.push(t);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  #pop(): FakeTimer {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l], h[m])) m = l;
        if (r < h.length && this.#less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** Let every pending promise callback run: one turn of the event loop (not a wait for time). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A connection to the fake (its test key unless `live`), as adapters give it to the engine. */
export function connectTo(
  fake: FakeClerk,
  options: { live?: boolean; name?: string } = {},
): (apiVersion: ApiVersion) => Promise<Connection> {
  const key = options.live ? FAKE_LIVE_KEY : FAKE_TEST_KEY;
  return async (apiVersion) => ({
    ok: true,
    client: new ClerkClient({
      apiUrl: fake.url,
      secretKey: key,
      apiVersion,
      userAgent: 'clerk-user-update-tests/0.0.0',
      timeoutMs: 5000,
    }),
    instance: { name: options.name ?? 'Fake', apiUrl: fake.url, production: options.live === true },
    secrets: [key],
  });
}

/** Writes the fake applied, by user id (PATCH and PUT …/metadata that succeeded). */
export function appliedWrites(fake: FakeClerk): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of fake.requests) {
    if (!r.applied || r.method === 'GET') continue;
    const id = decodeURIComponent(r.path.split('/')[3]);
    out.set(id, [
      ...(out.get(id) ?? []),
      `${r.method} ${r.path.endsWith('/metadata') ? 'metadata' : 'user'}`,
    ]);
  }
  return out;
}
