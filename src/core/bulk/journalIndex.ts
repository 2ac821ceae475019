import { JOURNAL_FORMAT, type JournalHeader, type JournalMark, type RowState, type SentMark, parseHeader, parseMark } from './journal';

/** One stored line of a journal. */
export interface JournalLine {
  /** The line without its line break. */
  text: string;
  /** Byte offset just after the line (and its line break). */
  end: number;
  /** False for a last line without a line break (a write cut short). */
  complete: boolean;
}

/** Where a journal is kept (the Node adapter: a file next to the input, fsync'd). */
export interface JournalStore {
  /** The journal's path, for messages. */
  readonly name: string;
  /** The stored lines in order; nothing when there is no journal yet. */
  read(): AsyncIterable<JournalLine>;
  /** Cut the journal to its first `bytes` bytes (drops a torn last line before appending). */
  truncate(bytes: number): Promise<void>;
  /** Append the lines (each followed by a line break) and flush them to disk before resolving. */
  append(lines: readonly string[]): Promise<void>;
  /** Move the journal aside (a restart keeps the old one); resolves with its new name. */
  moveAside(): Promise<string>;
}

const CODE: Readonly<Record<RowState, number>> = { pending: 0, sent: 1, done: 2, unchanged: 3, failed: 4, skipped: 5 };
const STATE: readonly RowState[] = ['pending', 'sent', 'done', 'unchanged', 'failed', 'skipped'];

/**
 * Where every row of a journal stands, in little memory: a byte of state and a count of outcome
 * marks per row (typed arrays indexed by row), plus the `sent` marks of rows whose requests may
 * have been applied without an answer (`sent`, or `failed` with `applied` maybe/partly), which a
 * resume reconciles.
 */
export class JournalIndex {
  #states = new Uint8Array(1024);
  #outcomes = new Uint8Array(1024);
  readonly #sent = new Map<number, SentMark>();
  note(mark: JournalMark): void {
    this.#grow(mark.row);
    this.#states[mark.row] = CODE[mark.state];
    if (mark.state === 'sent') this.#sent.set(mark.row, mark);
    else if (mark.state === 'failed' && mark.applied !== undefined && mark.applied !== 'no') {
      // keep the sent mark: a retry reconciles it
    } else this.#sent.delete(mark.row);
    if (mark.state !== 'sent' && mark.state !== 'pending') this.#outcomes[mark.row] = Math.min(255, this.#outcomes[mark.row] + 1);
  }

  state(row: number): RowState {
    return row < this.#states.length ? STATE[this.#states[row]] : 'pending';
  }

  /** The `sent` mark of a row that may have been applied without an answer. */
  sentMark(row: number): SentMark | undefined {
    return this.#sent.get(row);
  }

  /** How many outcome marks the row has (the last one is its outcome). */
  outcomes(row: number): number {
    return row < this.#outcomes.length ? this.#outcomes[row] : 0;
  }

  #grow(row: number): void {
    if (row < this.#states.length) return;
    let size = this.#states.length;
    while (size <= row) size *= 2;
    const states = new Uint8Array(size);
    states.set(this.#states);
    const outcomes = new Uint8Array(size);
    outcomes.set(this.#outcomes);
    this.#states = states;
    this.#outcomes = outcomes;
  }
}

export type LoadedJournal =
  | { status: 'none' }
  | { status: 'ok'; header: JournalHeader; index: JournalIndex; /** Bytes of a torn end that were cut off. */ tornBytes: number }
  | { status: 'corrupt'; message: string };

/**
 * Read a journal into an index. A torn end (lines that are cut short or unreadable after the
 * last good one: a crash mid-write) is cut off through `store.truncate` (when `repair`); an
 * unreadable line followed by good ones means the journal was damaged otherwise: refused.
 */
export async function loadJournal(store: JournalStore, repair = true): Promise<LoadedJournal> {
  let header: JournalHeader | undefined;
  const index = new JournalIndex();
  let goodEnd = 0;
  let badLine: number | undefined;
  let lineNo = 0;
  let total = 0;
  let tornHeader = false;
  for await (const line of store.read()) {
    lineNo++;
    total = line.end;
    if (!header && !line.complete) tornHeader = isHeaderStart(line.text);
    const blank = line.text.trim() === '';
    if (!header && line.complete && !blank) {
      const parsed = parseHeader(line.text);
      if (!parsed) return { status: 'corrupt', message: `${store.name} is not a journal of clerk-user-update (its first line is no journal header); it was left as it is.` };
      header = parsed;
      goodEnd = line.end;
      continue;
    }
    const mark = !line.complete || blank || !header ? undefined : parseMark(line.text);
    if (mark === undefined) {
      if (!blank || !line.complete) badLine ??= lineNo;
      continue;
    }
    if (badLine !== undefined) return { status: 'corrupt', message: `${store.name} is damaged: line ${badLine} cannot be read, yet lines after it can. Move it aside or start again with restart.` };
    index.note(mark);
    goodEnd = line.end;
  }
  if (!header) {
    if (total === 0) return { status: 'none' };
    if (!tornHeader) return { status: 'corrupt', message: `${store.name} is not a journal of clerk-user-update; it was left as it is.` };
    if (repair) await store.truncate(0);
    return { status: 'none' };
  }
  if (total > goodEnd && repair) await store.truncate(goodEnd);
  return { status: 'ok', header, index, tornBytes: total - goodEnd };
}

/** True for the start of a header line cut short (a crash while the journal was created). */
function isHeaderStart(text: string): boolean {
  const start = `{"journal":"${JOURNAL_FORMAT}"`;
  return text.startsWith(start) || start.startsWith(text);
}

/** The outcome marks of a journal, the last one of each row only (`index` counts them), in journal order. */
export async function* finalOutcomes(store: JournalStore, index: JournalIndex): AsyncGenerator<JournalMark & { state: 'done' | 'unchanged' | 'failed' | 'skipped' }> {
  const seen = new Map<number, number>();
  let first = true;
  for await (const line of store.read()) {
    if (first) {
      first = false;
      continue;
    }
    if (!line.complete) continue;
    const fast = parseMark(line.text);
    if (!fast || fast.state === 'sent' || fast.state === 'pending') continue;
    const count = (seen.get(fast.row) ?? 0) + 1;
    if (count < index.outcomes(fast.row)) {
      seen.set(fast.row, count);
      continue;
    }
    seen.delete(fast.row);
    const mark = parseMark(line.text, true);
    if (mark && mark.state !== 'sent' && mark.state !== 'pending') yield mark;
  }
}
