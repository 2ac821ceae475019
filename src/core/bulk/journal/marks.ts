/**
 * The journal of a run (`FILE.journal.jsonl`) or of its undo (`FILE.undo.journal.jsonl`): one
 * JSON object per line, a header first, then one mark per row state change. It is what makes a
 * run resumable and every row applied exactly once. See src/core/bulk/README.md.
 */
import type { ApiVersion } from '../../versions';

export const JOURNAL_FORMAT = 'clerk-user-update/journal';
export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  journal: typeof JOURNAL_FORMAT;
  version: typeof JOURNAL_VERSION;
  /** `run`: the rows of a bulk file; `undo`: the undo of a run (rows are the run's rows). */
  kind: 'run' | 'undo';
  /** The file name of the input (undo: of the run's journal). */
  input: string;
  /** SHA-256 (hex) of the input as it was when the journal began; resuming needs the same. */
  input_sha256: string;
  api_url: string;
  /** The instance's name as the adapter knows it (never the key). */
  instance: string;
  production: boolean;
  api_version: ApiVersion;
  started_at: string;
  /**
   * A truncated SHA-256 of the key the journal began with (never the key): resuming and undoing need the
   * same key.
   */
  key_sha256?: string;
}

/**
 * What a row went through. `pending` is also the state of a row without any mark: it has not been
 * sent. `sent` is written (and flushed to disk) before the row's first request leaves; `done`,
 * `unchanged`, `failed` and `skipped` after its answer.
 */
export type RowState = 'pending' | 'sent' | 'done' | 'unchanged' | 'failed' | 'skipped';

/** Written before a row's first request leaves. */
export interface SentMark {
  row: number;
  state: 'sent';
  target: string;
  user_id: string;
  /** The fields the row sends, in file order (options included). */
  fields: string[];
  /** The values the row changes, as read just before (body spelling: timestamps RFC 3339). Never secrets. */
  before: Record<string, unknown>;
  /** Secret fields the row sends (names only): they cannot be read back or restored. */
  secret_fields?: string[];
  /**
   * The value the row sets on each field and metadata key path of `before` (null: cleared or deleted),
   * for the history; the undo of a merge restores a key only while it still holds this value. Never secrets.
   */
  after?: Record<string, unknown>;
  /** The user as people name them ("Ada Lovelace", else the username or email), for the history. */
  who?: string;
  /** `updated_at` of the user as read just before. */
  before_updated_at: number;
  /**
   * When the row's first request left (ms since the epoch): a resume rebuilds the pacer's window from these.
   */
  at?: number;
}

/**
 * A row that was marked `sent` and certainly not applied (a 429, or a cancel before it left): back to unsent.
 */
export interface PendingMark {
  row: number;
  state: 'pending';
}

/** How a row ended; the fields of its report line. */
export interface OutcomeMark {
  row: number;
  state: 'done' | 'unchanged' | 'failed' | 'skipped';
  target: string;
  user_id: string | null;
  http_status: number | null;
  code: string | null;
  message: string | null;
  trace_id: string | null;
  /** `done`: the user's `updated_at` as Clerk returned it after the row's last write (undo checks it). */
  updated_at?: number;
  /**
   * `failed` after requests left: `no` (certainly not applied), `maybe` (timeout, 5xx…), `partly` (a first
   * request was).
   */
  applied?: 'no' | 'maybe' | 'partly';
  /**
   * `failed`: the field Clerk's first error names (`meta.param_name`), when it names one (the editor marks
   * that cell).
   */
  param?: string;
  /**
   * `done` without a second request: the values were found at Clerk after a crash or a maybe-applied failure.
   */
  reconciled?: boolean;
  /**
   * Undo `done`: the `updated_at` the user had before the run's write that this restored (links undos of
   * several rows on one user).
   */
  restored_to?: number;
}

export type JournalMark = SentMark | PendingMark | OutcomeMark;

const STATES: ReadonlySet<string> = new Set(['pending', 'sent', 'done', 'unchanged', 'failed', 'skipped']);

/**
 * One line. `row` and `state` come first, so that loading can read them without parsing the
 * whole line (see `peekMark`).
 */
export function encodeMark(mark: JournalMark): string {
  // A `sent` mark's time comes third, so that loading reads it without parsing the line (`sentTimeAt`).
  if (mark.state === 'sent' && mark.at !== undefined) {
    const { row, state, at, ...rest } = mark;
    return JSON.stringify({ row, state, at, ...rest });
  }
  const { row, state, ...rest } = mark;
  return JSON.stringify({ row, state, ...rest });
}

const AT = ',"at":';

/**
 * The `at` of the `sent` mark on text[from, to), read without parsing the line (undefined when it has none).
 * Looked for in the line's first characters only: a mark without one (written before marks had times) must
 * not send the search through the rest of the block, once per line.
 */
export function sentTimeAt(text: string, from: number, to: number): number | undefined {
  const found = text.slice(from, Math.min(to, from + 40 + AT.length)).indexOf(AT);
  if (found < 0) return undefined;
  const i = from + found;
  let at = 0;
  let j = i + AT.length;
  const digits = j;
  for (let c = text.charCodeAt(j); c >= 48 && c <= 57 && j - digits < 16; c = text.charCodeAt(++j))
    at = at * 10 + (c - 48);
  return j > digits ? at : undefined;
}

export function encodeHeader(header: JournalHeader): string {
  return JSON.stringify(header);
}

const STATE_CODES: readonly RowState[] = ['pending', 'sent', 'done', 'unchanged', 'failed', 'skipped'];
const PREFIX = '{"row":';
const MIDDLE = ',"state":"';

/**
 * The row and state of the mark on text[from, to), read without parsing the rest and without
 * allocating (loading a journal of 100,000 rows must be fast): `row * 8 + state code` (the index
 * of the state in `STATE_CODES`), or -1 when the line does not start like a mark. A line that
 * does may still be torn, which `parseMark` tells.
 */
export function peekMarkAt(text: string, from: number, to: number): number {
  if (to - from < 24 || text.charCodeAt(to - 1) !== 125 || !text.startsWith(PREFIX, from)) return -1;
  let i = from + PREFIX.length;
  let row = 0;
  const digits = i;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57 && i - digits < 15; c = text.charCodeAt(++i))
    row = row * 10 + (c - 48);
  if (i === digits || !text.startsWith(MIDDLE, i)) return -1;
  i += MIDDLE.length;
  for (let code = 0; code < STATE_CODES.length; code++) {
    const name = STATE_CODES[code];
    if (text.startsWith(name, i) && text.charCodeAt(i + name.length) === 34) {
      const next = text.charCodeAt(i + name.length + 1);
      return next === 44 || next === 125 ? row * 8 + code : -1;
    }
  }
  return -1;
}

/** `peekMarkAt` of a whole line, as row and state. */
export function peekMark(text: string): { row: number; state: RowState } | undefined {
  const packed = peekMarkAt(text, 0, text.length);
  return packed < 0 ? undefined : { row: Math.floor(packed / 8), state: STATE_CODES[packed % 8] };
}

export { STATE_CODES };

/** A mark from its line, or undefined when the line is not a whole one. */
export function parseMark(text: string): JournalMark | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (!Number.isInteger(v.row) || typeof v.state !== 'string' || !STATES.has(v.state)) return undefined;
  if (
    v.state === 'sent' &&
    (typeof v.user_id !== 'string' || typeof v.before_updated_at !== 'number' || !Array.isArray(v.fields))
  )
    return undefined;
  return v as unknown as JournalMark;
}

export function parseHeader(text: string): JournalHeader | undefined {
  try {
    const v = JSON.parse(text) as Partial<JournalHeader>;
    if (
      v &&
      v.journal === JOURNAL_FORMAT &&
      v.version === JOURNAL_VERSION &&
      (v.kind === 'run' || v.kind === 'undo') &&
      typeof v.input_sha256 === 'string'
    )
      return v as JournalHeader;
  } catch {
    // not a header
  }
  return undefined;
}
