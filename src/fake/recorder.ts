// The request log and its waiters: each API request is recorded when it arrives and finished when
// it is answered, reset or dropped; tests await either event instead of sleeping.
import type * as http from 'node:http';
import type { FakeRequestRecord } from './types';

type Waiter = {
  predicate: (r: FakeRequestRecord) => boolean;
  resolve: (r: FakeRequestRecord) => void;
  finished: boolean;
};

export interface RecorderOptions {
  /** Keep bodies and headers (default true). */
  recordBodies?: boolean;
  /** Keep at most this many records (default unbounded). */
  maxRecords?: number;
  /** A line per finished request. */
  log?: (line: string) => void;
}

export class Recorder {
  /** Live array, in arrival order; tests may empty it (`requests.length = 0`). */
  readonly requests: FakeRequestRecord[] = [];
  private seq = 0;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly options: RecorderOptions = {}) {}

  /** Record an arriving request and wake the arrival waiters. */
  arrive(method: string, url: URL, headers: http.IncomingHttpHeaders, body: string): FakeRequestRecord {
    const keep = this.options.recordBodies !== false;
    const record: FakeRequestRecord = {
      seq: ++this.seq,
      method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ''),
      headers: keep ? redactedHeaders(headers) : {},
      auth: { status: 'missing' },
      body: keep ? body : '',
      time: Date.now(),
      applied: false,
    };
    this.requests.push(record);
    const max = this.options.maxRecords;
    // Trim in batches so that a long run costs O(1) per request.
    if (max !== undefined && this.requests.length >= 2 * max)
      this.requests.splice(0, this.requests.length - max);
    this.notify(record, false);
    return record;
  }

  /** Mark a request answered (`status` 0: reset or dropped) and wake the finish waiters. */
  finish(record: FakeRequestRecord, status: number, startedAt: number): void {
    record.status = status;
    record.seqWhenFinished = this.seq;
    record.handlingMs = Math.round((performance.now() - startedAt) * 10) / 10;
    this.options.log?.(
      `${record.method} ${record.path}${record.query ? `?${record.query}` : ''} → ${status || 'reset'}${record.fault ? ` [fault ${record.fault}]` : ''} ${record.handlingMs} ms`,
    );
    this.notify(record, true);
  }

  /** The first recorded request matching `predicate` that has arrived (or finished), now or later. */
  waitFor(
    predicate: (r: FakeRequestRecord) => boolean,
    finished: boolean,
    timeoutMs: number,
  ): Promise<FakeRequestRecord> {
    const existing = this.requests.find(
      (r) => predicate(r) && (!finished || r.seqWhenFinished !== undefined),
    );
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        finished,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `fake Clerk: no matching request ${finished ? 'finished' : 'arrived'} within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private notify(record: FakeRequestRecord, finished: boolean): void {
    if (this.waiters.size === 0) return;
    for (const w of [...this.waiters]) {
      if (w.finished === finished && w.predicate(record)) {
        this.waiters.delete(w);
        w.resolve(record);
      }
    }
  }
}

/** Lower-cased header names; `authorization` replaced by `[redacted]`. */
function redactedHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = k === 'authorization' ? '[redacted]' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
