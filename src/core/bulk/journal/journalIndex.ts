import { utf8Length } from '../../text/utf8';
import {
  JOURNAL_FORMAT,
  type JournalHeader,
  type JournalMark,
  type OutcomeMark,
  type RowState,
  STATE_CODES,
  type SentMark,
  parseHeader,
  parseMark,
  peekMarkAt,
  sentTimeAt,
} from './marks';

/**
 * A block of a stored journal: whole lines, each ending with a line break, except that the last block may end
 * with a line cut short.
 */
export interface JournalBlock {
  text: string;
  /** Byte offset of `text` in the journal. */
  start: number;
}

/** Where a journal is kept (the Node adapter: a file next to the input, fsync'd). */
export interface JournalStore {
  /** The journal's path, for messages. */
  readonly name: string;
  /** The stored journal in blocks, in order; nothing when there is no journal yet. */
  read(): AsyncIterable<JournalBlock>;
  /** Cut the journal to its first `bytes` bytes (drops a torn last line before appending). */
  truncate(bytes: number): Promise<void>;
  /** Append the lines (each followed by a line break) and flush them to disk before resolving. */
  append(lines: readonly string[]): Promise<void>;
  /** Move the journal aside (a restart keeps the old one); resolves with its new name. */
  moveAside(): Promise<string>;
}

/** One line of a block: text[from, to); `complete` is false for a last line without its line break. */
export interface LineAt {
  block: JournalBlock;
  from: number;
  to: number;
  complete: boolean;
}

/**
 * The lines of a block (the `LineAt` is reused: copy what you keep). Synchronous: a journal has 100,000s of
 * lines.
 */
export function* linesOf(block: JournalBlock): Generator<LineAt> {
  const text = block.text;
  const line: LineAt = { block, from: 0, to: 0, complete: true };
  for (let from = 0; from < text.length;) {
    const end = text.indexOf('\n', from);
    line.from = from;
    line.to = end < 0 ? text.length : end;
    line.complete = end >= 0;
    yield line;
    from = line.to + 1;
  }
}

/** Request times kept for a resume: a window of the largest documented limit (1,000 per 10 s) and more. */
const REQUEST_TIMES = 4000;

/** Requests a row with these fields makes: a PATCH, and a PUT of its metadata when it sends metadata. */
function requestsOf(fields: readonly string[] | string): number {
  return typeof fields === 'string'
    ? fields.includes('_metadata"')
      ? 2
      : 1
    : fields.some((f) => f.endsWith('_metadata'))
      ? 2
      : 1;
}

const CODE: Readonly<Record<RowState, number>> = Object.fromEntries(
  STATE_CODES.map((s, i) => [s, i]),
) as Record<RowState, number>;

/**
 * Where every row of a journal stands, in little memory: a byte of state and a count of outcome
 * marks per row (typed arrays indexed by row), plus the `sent` marks of rows whose requests may
 * have been applied without an answer (`sent`, or `failed` with `applied` maybe/partly), which a
 * resume reconciles. Marks read from a file are kept as their line and parsed when asked for.
 */
export class JournalIndex {
  #states = new Uint8Array(1024);
  #outcomes = new Uint8Array(1024);
  readonly #sent = new Map<number, SentMark | string>();
  /** The `at` of the last `REQUEST_TIMES` sent marks, and whether each row's requests were two. */
  readonly #times: number[] = [];

  /** A `sent` mark's time: its row's requests left then (`requests`: how many, as far as the mark tells). */
  noteRequestTime(at: number, requests = 1): void {
    for (let i = 0; i < requests; i++) this.#times.push(at);
    if (this.#times.length > 2 * REQUEST_TIMES) this.#times.splice(0, this.#times.length - REQUEST_TIMES);
  }

  /** The times of the last requests the journal knows of (ms since the epoch), oldest first. */
  requestTimes(): number[] {
    return this.#times.slice(-REQUEST_TIMES);
  }

  note(mark: JournalMark): void {
    if (mark.state === 'sent' && mark.at !== undefined)
      this.noteRequestTime(mark.at, requestsOf(mark.fields));
    const keep = mark.state === 'failed' && mark.applied !== undefined && mark.applied !== 'no';
    this.noteState(mark.row, CODE[mark.state], mark.state === 'sent' ? mark : undefined, keep);
  }

  /** The line of a row's `sent` mark (parsed when asked for). */
  noteSentLine(row: number, line: string): void {
    this.#sent.set(row, line);
  }

  /** A mark by its row and state code; `sent`: the mark or its line. */
  noteState(row: number, code: number, sent?: SentMark | string, keepSent = false): void {
    if (row >= this.#states.length) this.#grow(row);
    this.#states[row] = code;
    if (sent !== undefined) this.#sent.set(row, sent);
    else if (!keepSent) this.#sent.delete(row);
    if (code >= 2 && this.#outcomes[row] < 255) this.#outcomes[row]++;
  }

  state(row: number): RowState {
    return row < this.#states.length ? STATE_CODES[this.#states[row]] : 'pending';
  }

  /** The `sent` mark of a row that may have been applied without an answer. */
  sentMark(row: number): SentMark | undefined {
    const kept = this.#sent.get(row);
    if (typeof kept !== 'string') return kept;
    const mark = parseMark(kept);
    if (mark?.state !== 'sent') return undefined;
    this.#sent.set(row, mark);
    return mark;
  }

  /** How many outcome marks the row has (the last one is its outcome). */
  outcomes(row: number): number {
    return row < this.#outcomes.length ? this.#outcomes[row] : 0;
  }

  #grow(row: number): void {
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
  | {
      status: 'ok';
      header: JournalHeader;
      index: JournalIndex;
      /** Bytes of a torn end that were cut off. */ tornBytes: number;
    }
  | { status: 'corrupt'; message: string };

/** True for the start of a header line cut short (a crash while the journal was created). */
function isHeaderStart(text: string): boolean {
  const start = `{"journal":"${JOURNAL_FORMAT}"`;
  return text.startsWith(start) || start.startsWith(text);
}

const FAILED = CODE.failed;
const SENT = CODE.sent;

/**
 * The `fields` array of a `sent` line, as text (enough to tell whether metadata is sent). Searched in the
 * line alone: in the block, a line without it would send the search to the block's end.
 */
function fieldsText(text: string, from: number, to: number): string {
  const line = text.slice(from, to);
  const i = line.indexOf('"fields":[');
  if (i < 0) return '';
  const end = line.indexOf(']', i);
  return line.slice(i, end < 0 ? line.length : end);
}

/** `peekMarkAt`, else the line parsed whole (a mark written with its keys in another order). */
function peekOrParse(text: string, from: number, to: number): number {
  const packed = peekMarkAt(text, from, to);
  if (packed >= 0) return packed;
  const mark = parseMark(text.slice(from, to));
  return mark ? mark.row * 8 + CODE[mark.state] : -1;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * Read a journal into an index. A torn end (lines that are cut short or unreadable after the
 * last good one: a crash mid-write) is cut off through `store.truncate` (when `repair`); an
 * unreadable line followed by good ones means the journal was damaged otherwise: refused.
 * Lines are read only as far as their row and state, except failures (for their `applied`) and
 * the last line, the only one a crash can cut short, which is parsed whole.
 */
export async function loadJournal(store: JournalStore, repair = true): Promise<LoadedJournal> {
  let header: JournalHeader | undefined;
  const index = new JournalIndex();
  let badLine: number | undefined;
  let lineNo = 0;
  let tornHeader = false;
  let last: JournalBlock | undefined;
  // Where the last good line ends (its block, the character after its line break), and the last
  // readable line, held back: noted once another follows it, or at the end if it parses whole.
  // Scalars, not objects: this runs for every line.
  let goodBlock: JournalBlock | undefined;
  let goodAt = 0;
  let heldBlock: JournalBlock | undefined;
  let heldFrom = 0;
  let heldTo = 0;
  let heldPacked = -1;
  // `sent` marks of the block being read: most get their outcome within the same block, so only
  // the ones still `sent` when the block ends are cut out of it and kept.
  let sentRows: number[] = [];
  let sentFrom: number[] = [];
  let sentTo: number[] = [];
  const keepSent = (block: JournalBlock): void => {
    for (let i = 0; i < sentRows.length; i++) {
      if (index.state(sentRows[i]) === 'sent')
        index.noteSentLine(sentRows[i], block.text.slice(sentFrom[i], sentTo[i]));
    }
    sentRows = [];
    sentFrom = [];
    sentTo = [];
  };
  const commit = (
    block: JournalBlock,
    from: number,
    to: number,
    packed: number,
    current: JournalBlock | undefined,
  ): void => {
    const row = Math.floor(packed / 8);
    const code = packed % 8;
    if (code === SENT) {
      const at = sentTimeAt(block.text, from, to);
      if (at !== undefined) index.noteRequestTime(at, requestsOf(fieldsText(block.text, from, to)));
    }
    if (code === FAILED) {
      const mark = parseMark(block.text.slice(from, to));
      if (mark) index.note(mark);
    } else if (code === SENT && block === current) {
      index.noteState(row, code, undefined, true);
      sentRows.push(row);
      sentFrom.push(from);
      sentTo.push(to);
    } else index.noteState(row, code, code === SENT ? block.text.slice(from, to) : undefined);
    goodBlock = block;
    goodAt = to + 1;
  };
  for await (const block of store.read()) {
    const text = block.text;
    for (const { from, to, complete } of linesOf(block)) {
      lineNo++;
      const blank = isBlank(text, from, to);
      if (!header) {
        if (!complete) tornHeader = isHeaderStart(text.slice(from, to));
        else if (!blank) {
          const parsed = parseHeader(text.slice(from, to));
          if (!parsed)
            return {
              status: 'corrupt',
              message: `${store.name} is not a journal of clerk-user-update (its first line is no journal header); it was left as it is.`,
            };
          header = parsed;
          goodBlock = block;
          goodAt = to + 1;
        }
        continue;
      }
      const packed = complete && !blank ? peekOrParse(text, from, to) : -1;
      if (packed < 0) {
        if (!blank || !complete) badLine ??= lineNo;
        continue;
      }
      if (badLine !== undefined)
        return {
          status: 'corrupt',
          message: `${store.name} is damaged: line ${badLine} cannot be read, yet lines after it can. Move it aside or start again with --restart.`,
        };
      if (heldBlock) commit(heldBlock, heldFrom, heldTo, heldPacked, block);
      heldBlock = block;
      heldFrom = from;
      heldTo = to;
      heldPacked = packed;
    }
    keepSent(block);
    last = block;
  }
  if (!header) {
    if (!last) return { status: 'none' };
    if (!tornHeader)
      return {
        status: 'corrupt',
        message: `${store.name} is not a journal of clerk-user-update; it was left as it is.`,
      };
    if (repair) await store.truncate(0);
    return { status: 'none' };
  }
  if (heldBlock && parseMark(heldBlock.text.slice(heldFrom, heldTo)))
    commit(heldBlock, heldFrom, heldTo, heldPacked, undefined);
  const goodEnd = goodBlock ? goodBlock.start + utf8Length(goodBlock.text, 0, goodAt) : 0;
  const total = last ? last.start + utf8Length(last.text) : 0;
  if (total > goodEnd && repair) await store.truncate(goodEnd);
  return { status: 'ok', header, index, tornBytes: total - goodEnd };
}

/** A row's last outcome, with (when asked for) the last `sent` mark before it. */
export interface FinalOutcome {
  mark: OutcomeMark;
  sent?: SentMark;
}

/**
 * The outcome marks of a journal, the last one of each row only (`index` counts them), in
 * journal order; `withSent`: each with the row's `sent` mark (undo needs its before-values).
 */
export async function* finalOutcomes(
  store: JournalStore,
  index: JournalIndex,
  withSent = false,
): AsyncGenerator<FinalOutcome> {
  const seen = new Map<number, number>();
  const sent = new Map<number, string>();
  let first = true;
  for await (const block of store.read()) {
    for (const { from, to, complete } of linesOf(block)) {
      if (first || !complete) {
        first = false;
        continue;
      }
      const packed = peekOrParse(block.text, from, to);
      if (packed < 0) continue;
      const row = Math.floor(packed / 8);
      if (packed % 8 === SENT && withSent) sent.set(row, block.text.slice(from, to));
      if (packed % 8 < 2) continue;
      const count = (seen.get(row) ?? 0) + 1;
      if (count < index.outcomes(row)) {
        seen.set(row, count);
        continue;
      }
      seen.delete(row);
      const mark = parseMark(block.text.slice(from, to));
      if (!mark || mark.state === 'sent' || mark.state === 'pending') continue;
      const line = sent.get(row);
      sent.delete(row);
      const before = line === undefined ? undefined : parseMark(line);
      yield { mark, sent: before?.state === 'sent' ? before : undefined };
    }
  }
}
