// What the history shows of an entry: its label, its fields side by side, the two sides of its diff.
import type { JournalRow } from '../bulk/journal/journalRows';
import { showValue } from '../users/preview';
import type { HistoryEntry } from './entry';

export interface FieldDiff {
  field: string;
  before: unknown;
  after: unknown;
  /** False when the value was sent unchanged. */
  changed: boolean;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The entry's fields in the order they were sent. */
export function fieldDiffs(entry: HistoryEntry): FieldDiff[] {
  return Object.entries(entry.fields).map(([field, v]) => ({
    field,
    before: v.before,
    after: v.after,
    changed: !same(v.before, v.after),
  }));
}

/**
 * The two documents of the entry's diff (before ↔ after): the same keys in the same order, one
 * field per key, so that the diff editor lines them up. A run lists its rows on both sides.
 */
export function diffSides(entry: HistoryEntry): { before: string; after: string } {
  if (entry.run) {
    const rows = [...entry.run.rows]
      .sort((a, b) => a.row - b.row)
      .map(
        (r) => `row ${r.row}: ${r.user_id ?? '-'} ${r.status}${r.http_status ? ` (${r.http_status})` : ''}`,
      )
      .join('\n');
    const head = `${entry.kind === 'undo' ? 'Undo of a run' : 'Bulk run'}: ${entry.run.journal}\nfields: ${entry.run.fields.join(', ')}\n`;
    return { before: `${head}\n(before-values are in the journal)\n`, after: `${head}\n${rows}\n` };
  }
  const side = (pick: 'before' | 'after'): string =>
    `${JSON.stringify(Object.fromEntries(Object.entries(entry.fields).map(([k, v]) => [k, v[pick]])), null, 2)}\n`;
  return { before: side('before'), after: side('after') };
}

/** Rows of a run shown in its diff; a filter (a user or a field) finds the others. */
export const DIFF_ROWS = 200;

/** A value in a run's diff: text as it is, nothing as "(empty)", anything else as JSON. */
function plain(value: unknown): string {
  if (value === undefined) return '(not in the journal)';
  if (value === null || value === '') return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "Ada Lovelace (user_1)", the target when the journal names no one, for a run's row. */
export function rowWho(row: { who?: string | null; user_id: string | null; target?: string }): string {
  const name =
    row.who ?? (row.target?.startsWith('$email:') ? row.target.slice('$email:'.length) : undefined);
  if (name && row.user_id) return `${name} (${row.user_id})`;
  return name ?? row.user_id ?? row.target ?? '-';
}

/** Whether a run's row matches the filter text: its user (id, name, email, target) or one of its fields. */
export function rowMatches(row: JournalRow, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  return [row.user_id, row.who, row.target, ...row.changes.map((c) => c.field)].some(
    (h) => typeof h === 'string' && h.toLowerCase().includes(needle),
  );
}

/**
 * The two sides of a run's diff from its journal, in file order: per row, who (name or email, then
 * id) and what became of it, then each field it changed, before on one side and after on the other,
 * line for line. At most DIFF_ROWS rows (those matching `filter`, when one is given), and a line
 * that says how to find the others.
 */
export function runDiffSides(
  entry: HistoryEntry,
  rows: readonly JournalRow[],
  filter = '',
): { before: string; after: string } {
  const title = `${entry.kind === 'undo' ? 'Undo of a run' : 'Bulk run'}: ${entry.source ?? entry.run?.journal ?? ''}`;
  const matching = rows.filter((r) => rowMatches(r, filter));
  const shown = matching.slice(0, DIFF_ROWS);
  const head = filter.trim()
    ? `${title}\nrows matching '${filter.trim()}': ${matching.length} of ${rows.length}\n`
    : `${title}\n${rows.length} rows\n`;
  const side = (pick: 'before' | 'after'): string => {
    const out = [head];
    for (const r of shown) {
      out.push(
        `row ${r.row}: ${rowWho(r)} · ${r.state === 'done' ? 'updated' : r.state}${r.message && r.state !== 'done' ? ` (${r.message})` : ''}`,
      );
      for (const c of r.changes) out.push(`  ${c.field}: ${plain(c[pick])}`);
    }
    if (matching.length > shown.length)
      out.push(
        '',
        `… and ${matching.length - shown.length} more: filter the Clerk view by a user or a field (Clerk: Filter History…) to find one.`,
      );
    return `${out.join('\n')}\n`;
  };
  return { before: side('before'), after: side('after') };
}

/** "Ada Lovelace (user_1)", or the run's file for a run. */
export function entryWho(entry: HistoryEntry): string {
  if (entry.run)
    return `${entry.kind === 'undo' ? 'Undo of run' : 'Run'} ${baseName(entry.source ?? entry.run.journal)}`;
  return entry.user_name && entry.user_name !== entry.user_id
    ? `${entry.user_name} (${entry.user_id})`
    : (entry.user_id ?? '-');
}

/** "Ada Lovelace" (the user id when there is no name), or the run's file: the view's label. */
export function entryName(entry: HistoryEntry): string {
  return entry.run ? entryWho(entry) : (entry.user_name ?? entry.user_id ?? '-');
}

/** "first_name, last_name", or the run's counts. */
export function entryWhat(entry: HistoryEntry): string {
  if (entry.run) {
    const s = entry.run.summary;
    return `${s.updated} updated, ${s.failed} failed, ${s.unchanged} unchanged${entry.run.fields.length ? ` (${entry.run.fields.join(', ')})` : ''}`;
  }
  return Object.keys(entry.fields).join(', ') || '(no fields)';
}

/** One line: time, kind, who, what, and whether it succeeded. */
export function describeEntry(entry: HistoryEntry): string {
  const kind = entry.kind === 'undo' && !entry.run ? 'undo of ' : '';
  return `${entry.time}  ${(entry.ok ? 'ok' : entry.status).padEnd(9)}  ${kind}${entryWho(entry)}: ${entryWhat(entry)}`;
}

/** "first_name: Ada → Grace" lines, secret fields as `(set)`. */
export function describeFields(entry: HistoryEntry): string[] {
  return fieldDiffs(entry).map((d) => `${d.field}: ${showValue(d.before)} → ${showValue(d.after)}`);
}

/** Whether an entry matches the filter text: its user id, email, name, a field, or a run row's user. */
export function matchesFilter(entry: HistoryEntry, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const hay = [
    entry.user_id,
    entry.email,
    entry.user_name,
    ...Object.keys(entry.fields),
    ...(entry.run?.fields ?? []),
    ...(entry.run?.rows.flatMap((r) => [r.user_id, r.who]) ?? []),
  ];
  return hay.some((h) => typeof h === 'string' && h.toLowerCase().includes(needle));
}

/** Whether the entry changed this user (a run: one of its rows did). */
export function concernsUser(entry: HistoryEntry, userId: string): boolean {
  return entry.user_id === userId || (entry.run?.rows.some((r) => r.user_id === userId) ?? false);
}

/** The local day of an entry, "2026-12-02" (for the view's days). */
export function dayOf(entry: HistoryEntry, offsetMinutes = 0): string {
  return new Date(Date.parse(entry.time) - offsetMinutes * 60_000).toISOString().slice(0, 10);
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
