import type { Result } from '../result';
import { type UndoPlan, undoOfValues } from '../users/undo';
import type { HistoryEntry } from './entry';

/** The undo of a single send's (or an undo's) entry, or why there is none. */
export function undoOfEntry(entry: HistoryEntry): Result<{ plan: UndoPlan }> {
  if (entry.run) return { ok: false, message: 'A bulk run is undone from its journal (Clerk: Undo Run).' };
  if (!entry.ok || !entry.user_id || entry.updated_at === null)
    return { ok: false, message: 'This change was not applied, so there is nothing to undo.' };
  const changes = Object.entries(entry.fields).map(([field, v]) => ({
    field,
    before: v.before,
    after: v.after,
  }));
  return { ok: true, plan: undoOfValues(entry.user_id, changes, entry.updated_at, entry.api_version) };
}
