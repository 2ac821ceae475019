/**
 * The history of every change the extension makes (single sends, bulk runs, undos), one entry
 * per change. Entries are plain JSON, one per line, in one file per environment. They never hold
 * the key, and a secret field's value is never kept: its `after` is `SET`, its `before` null.
 */
import type { ApiVersion } from '../versions';

/** What a secret field became: it was set (its value is never kept). */
export const SET = '(set)';

export type HistoryKind = 'send' | 'run' | 'undo';

/** The environment an entry went to: its name and API URL, never the key. */
export interface HistoryEnvironment {
  name: string;
  api_url: string;
}

export interface HistoryStep {
  method: string;
  path: string;
  status: number | null;
  /** Clerk's `clerk_trace_id`, else the response's `cf-ray`, as the client reads it. */
  trace_id: string | null;
}

export interface FieldValues {
  before: unknown;
  after: unknown;
}

/** One row of a bulk run (its report line): the run's journal has the rest. */
export interface HistoryRow {
  row: number;
  user_id: string | null;
  status: string;
  http_status: number | null;
  trace_id: string | null;
  /** "Ada Lovelace" (else the username or email), when the run's journal has it. */
  who?: string;
}

export interface HistoryEntry {
  id: string;
  /** ISO 8601. */
  time: string;
  kind: HistoryKind;
  environment: HistoryEnvironment;
  instance: 'development' | 'production';
  /** The user changed; null for a bulk run (its rows name theirs). */
  user_id: string | null;
  user_name: string | null;
  email: string | null;
  /** Whether the change was applied (a run: it finished and no row failed). */
  ok: boolean;
  /** `sent`, `failed`, `cancelled` (a send); `finished`, `cancelled`, `stopped` (a run). */
  status: string;
  /** The sentence shown for it (redacted). */
  message: string;
  fields: Record<string, FieldValues>;
  steps: HistoryStep[];
  /** The file it came from. */
  source: string | null;
  api_version: ApiVersion;
  /** The user's `updated_at` after the change: undoing it is refused once it moved. */
  updated_at: number | null;
  /** An undo: the entry it undid. */
  undoes?: string;
  /** A bulk run: its journal and its rows. */
  run?: { journal: string; summary: Record<string, number>; fields: string[]; rows: HistoryRow[] };
}

/** The entries as `history --format json` prints them. */
export interface HistoryJson {
  id: string;
  time: string;
  environment: HistoryEnvironment;
  user_id: string | null;
  kind: HistoryKind;
  fields: Record<string, FieldValues>;
  steps: HistoryStep[];
  source: string | null;
}

export function toHistoryJson(entry: HistoryEntry): HistoryJson & { status: string; journal?: string } {
  const { id, time, environment, user_id, kind, fields, steps, source, status } = entry;
  return {
    id,
    time,
    environment,
    user_id,
    kind,
    fields,
    steps,
    source,
    status,
    ...(entry.run ? { journal: entry.run.journal } : {}),
  };
}

/** A short id that is unique enough across windows and processes: time, then randomness. */
export function newEntryId(now: number, random: () => number): string {
  const tail = Array.from({ length: 10 }, () => Math.floor(random() * 36).toString(36)).join('');
  return `h_${now.toString(36)}${tail}`;
}
