import { type UndoPlan, undoOfValues } from '../users/undo';
import type { HistoryEntry } from './entry';

/** The undo of a single send's (or an undo's) entry, or why there is none. */
export function undoOfEntry(entry: HistoryEntry): UndoPlan | { problem: string } {
  if (entry.run) return { problem: 'A bulk run is undone from its journal (Clerk: Undo Run).' };
  if (!entry.ok || !entry.user_id || entry.updated_at === null) return { problem: 'This change was not applied, so there is nothing to undo.' };
  const changes = Object.entries(entry.fields).map(([field, v]) => ({ field, before: v.before, after: v.after }));
  return undoOfValues(entry.user_id, changes, entry.updated_at, entry.api_version);
}
