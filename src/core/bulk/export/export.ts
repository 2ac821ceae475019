import { stringify } from 'csv-stringify/sync';
import type { ClerkClient, ListUsersParams } from '../../clerk/client';
import type { ClerkFailure } from '../../clerk/errors';
import type { ClerkUser } from '../../clerk/types';
import { editableFields, PULLED_FIELDS } from '../../users/editable';
import { MAX_RATE_LIMITED_TRIES } from '../run/targets';
import type { BulkFormat } from '../format/types';
import { neutraliseFormula } from '../format/formulas';

/** Which users an export writes: every user, those a search matches, or an organization's members. */
export type ExportSelection =
  { kind: 'all' } | { kind: 'query'; query: string } | { kind: 'organization'; organizationId: string };

/** Users per page: Clerk's most. */
export const EXPORT_PAGE_SIZE = 500;

export interface ExportPorts {
  /** A piece of the file, in order (the header first). */
  write(text: string): void | Promise<void>;
  /** Users written so far, and how many there are (when Clerk said). */
  progress?(written: number, total: number | undefined): void;
  signal?: AbortSignal;
}

export type ExportResult =
  | { ok: true; users: number }
  | { ok: false; users: number; failure: ClerkFailure }
  | { ok: false; users: number; cancelled: true };

function filterOf(selection: ExportSelection): ListUsersParams {
  if (selection.kind === 'query') return { query: selection.query };
  if (selection.kind === 'organization') return { organizationId: [selection.organizationId] };
  return {};
}

/**
 * Writes the users of `selection` as a bulk file (`$user_id` and their current editable, non-secret
 * values; nulls left out, so a row sent back unchanged is skipped as unchanged). Pages with
 * `starting_after` and `limit=500` in Clerk's default order, one page in memory at a time. The
 * client should be paced (its requests count against the instance's limit); a page Clerk answers
 * with 429 is read again once the pacer lets it go.
 */
export async function exportUsers(
  client: ClerkClient,
  selection: ExportSelection,
  format: BulkFormat,
  ports: ExportPorts,
): Promise<ExportResult> {
  const filter = filterOf(selection);
  const count = await client.countUsers(filter, { signal: ports.signal });
  const total = count.ok ? count.data.total_count : undefined;
  if (format === 'csv') await ports.write(csvLine(['$user_id', ...PULLED_FIELDS]));
  let written = 0;
  let after: string | undefined;
  ports.progress?.(0, total);
  for (;;) {
    if (ports.signal?.aborted) return { ok: false, users: written, cancelled: true };
    const read = (): ReturnType<ClerkClient['listUsers']> =>
      client.listUsers({ ...filter, limit: EXPORT_PAGE_SIZE, startingAfter: after }, undefined, {
        signal: ports.signal,
      });
    let page = await read();
    // A 429 was not applied: read the page again once the pacer lets it go (as a run's lookups do).
    for (let tries = 1; !page.ok && page.kind === 'rate-limited' && tries < MAX_RATE_LIMITED_TRIES; tries++)
      page = await read();
    if (!page.ok)
      return page.kind === 'cancelled'
        ? { ok: false, users: written, cancelled: true }
        : { ok: false, users: written, failure: page };
    let text = '';
    for (const user of page.data) text += format === 'csv' ? csvRow(user) : jsonlRow(user);
    if (text) await ports.write(text);
    written += page.data.length;
    ports.progress?.(written, total);
    if (page.data.length < EXPORT_PAGE_SIZE) return { ok: true, users: written };
    after = page.data[page.data.length - 1].id;
  }
}

function jsonlRow(user: ClerkUser): string {
  const row: Record<string, unknown> = { $user_id: user.id };
  for (const [field, value] of Object.entries(editableFields(user))) if (value !== null) row[field] = value;
  return `${JSON.stringify(row)}\n`;
}

/**
 * A CSV row: an empty cell is "unchanged" and `null` clears, so a string that reads as either
 * ("" or "null") cannot be written as itself; its cell is left empty (unchanged), never cleared.
 */
function csvRow(user: ClerkUser): string {
  const values = editableFields(user);
  const cells = PULLED_FIELDS.map((field) => {
    const value = values[field];
    if (value === null || value === undefined) return '';
    if (typeof value === 'string') return value === '' || value.trim().toLowerCase() === 'null' ? '' : value;
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  });
  return csvLine([user.id, ...cells]);
}

/**
 * One CSV line: formulas neutralised (formulas.ts); a cell holding a bare carriage return quoted, as readers
 * split rows there.
 */
function csvLine(cells: readonly string[]): string {
  return stringify([cells.map(neutraliseFormula)], { record_delimiter: '\n', quoted_match: /\r/ });
}
