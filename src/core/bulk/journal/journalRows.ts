// A run's rows as the history shows them: who, what became of the row, and each field before → after.
import { SET } from '../../history/entry';
import { type JournalStore, finalOutcomes, loadJournal } from './journalIndex';
import type { RowState } from './marks';

export interface JournalRow {
  row: number;
  /** `formatTarget` of the row's target ("$email:ada@example.com"). */
  target: string;
  user_id: string | null;
  /** "Ada Lovelace" (else the username or email), when the journal has it. */
  who: string | null;
  state: RowState;
  /** The fields the row changed, with the values before and after (`undefined` after: not journaled). */
  changes: Array<{ field: string; before: unknown; after: unknown }>;
  message: string | null;
}

/**
 * The rows of a journal in file order, each with its last outcome and what its `sent` mark recorded;
 * undefined when the file is no readable journal. Secret fields are `(set)`, never a value. Journals
 * of earlier versions have no after-values and no names: those show as undefined and null.
 */
export async function journalRows(store: JournalStore): Promise<JournalRow[] | undefined> {
  const loaded = await loadJournal(store, false);
  if (loaded.status !== 'ok') return undefined;
  const rows: JournalRow[] = [];
  for await (const { mark, sent } of finalOutcomes(store, loaded.index, true)) {
    const changes = Object.entries(sent?.before ?? {}).map(([field, before]) => ({
      field,
      before,
      after: sent?.after?.[field],
    }));
    for (const field of sent?.secret_fields ?? []) changes.push({ field, before: null, after: SET });
    rows.push({
      row: mark.row,
      target: mark.target ?? sent?.target ?? '',
      user_id: mark.user_id ?? sent?.user_id ?? null,
      who: sent?.who ?? null,
      state: mark.state,
      changes,
      message: mark.message,
    });
  }
  return rows.sort((a, b) => a.row - b.row);
}
