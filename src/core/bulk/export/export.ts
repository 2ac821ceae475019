import { stringify } from 'csv-stringify/sync';
import type { ClerkClient, ListUsersParams } from '../../clerk/client';
import type { ClerkFailure } from '../../clerk/errors';
import type { ClerkUser } from '../../clerk/types';
import { editableFields, PULLED_FIELDS } from '../../users/editable';
import { MAX_RATE_LIMITED_TRIES } from '../run/targets';
import type { BulkFormat } from '../format/types';
import { neutraliseFormula } from '../format/formulas';
import { isMetadataField } from '../../metadata/mode';
import { joinPath } from '../../metadata/paths';
import { MetadataColumns, metadataCells } from './metadataColumns';

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
  /**
   * Where a CSV export with metadata columns keeps the users until it knows its header (in memory when
   * not given).
   */
  spool?: ExportSpool;
}

/**
 * Lines kept until every page is read: a CSV header with a column per metadata key path is known only
 * then. An adapter keeps them in a file, so that memory stays flat however many users there are.
 */
export interface ExportSpool {
  /** One or more lines, each ending with a newline. */
  append(text: string): void | Promise<void>;
  /** The lines appended, in order, without their newlines. */
  lines(): AsyncIterable<string>;
}

export interface ExportOptions {
  /**
   * CSV: a column per metadata key path found in the users (`public_metadata.role`), so that the file
   * merges the keys a row gives, instead of a column per metadata field (metadataColumns.ts). JSONL rows
   * are the same either way: each metadata object, merged.
   */
  metadataColumns?: boolean;
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
 *
 * With `metadataColumns`, a CSV's header has a column per metadata key path of every user, so the
 * users are read first (each page kept in `ports.spool`) and written once the last page is in.
 */
export async function exportUsers(
  client: ClerkClient,
  selection: ExportSelection,
  format: BulkFormat,
  ports: ExportPorts,
  options: ExportOptions = {},
): Promise<ExportResult> {
  if (format === 'csv' && options.metadataColumns) return exportWithMetadataColumns(client, selection, ports);
  if (format === 'csv') await ports.write(csvLine(['$user_id', ...PULLED_FIELDS]));
  return readPages(client, selection, ports, async (users) => {
    let text = '';
    for (const user of users) text += format === 'csv' ? csvRow(user) : jsonlRow(user);
    if (text) await ports.write(text);
  });
}

/**
 * Reads the users of `selection` page by page, in Clerk's order, handing each page to `page`; says
 * the progress after each.
 */
async function readPages(
  client: ClerkClient,
  selection: ExportSelection,
  ports: ExportPorts,
  page: (users: readonly ClerkUser[]) => Promise<void>,
): Promise<ExportResult> {
  const filter = filterOf(selection);
  const count = await client.countUsers(filter, { signal: ports.signal });
  const total = count.ok ? count.data.total_count : undefined;
  let written = 0;
  let after: string | undefined;
  ports.progress?.(0, total);
  for (;;) {
    if (ports.signal?.aborted) return { ok: false, users: written, cancelled: true };
    const read = (): ReturnType<ClerkClient['listUsers']> =>
      client.listUsers({ ...filter, limit: EXPORT_PAGE_SIZE, startingAfter: after }, undefined, {
        signal: ports.signal,
      });
    let listed = await read();
    // A 429 was not applied: read the page again once the pacer lets it go (as a run's lookups do).
    for (
      let tries = 1;
      !listed.ok && listed.kind === 'rate-limited' && tries < MAX_RATE_LIMITED_TRIES;
      tries++
    )
      listed = await read();
    if (!listed.ok)
      return listed.kind === 'cancelled'
        ? { ok: false, users: written, cancelled: true }
        : { ok: false, users: written, failure: listed };
    await page(listed.data);
    written += listed.data.length;
    ports.progress?.(written, total);
    if (listed.data.length < EXPORT_PAGE_SIZE) return { ok: true, users: written };
    after = listed.data[listed.data.length - 1].id;
  }
}

/** The fields of a CSV row with metadata columns, before them: every pulled field but the metadata. */
const PLAIN_FIELDS = PULLED_FIELDS.filter((f) => !isMetadataField(f));

/** Rows written to the port at a time once the users are read. */
const ROWS_PER_WRITE = 500;

/**
 * A CSV with a column per metadata key path: every page is read into the spool (a user's id and
 * editable values, one JSON line each) while the key paths are gathered; then the header and the rows.
 */
async function exportWithMetadataColumns(
  client: ClerkClient,
  selection: ExportSelection,
  ports: ExportPorts,
): Promise<ExportResult> {
  const spool = ports.spool ?? memorySpool();
  const columns = new MetadataColumns();
  const read = await readPages(client, selection, ports, async (users) => {
    let text = '';
    for (const user of users) {
      columns.add(user);
      text += `${JSON.stringify([user.id, editableFields(user)])}\n`;
    }
    if (text) await spool.append(text);
  });
  if (!read.ok) return read;
  const keyPaths = columns.columns();
  await ports.write(csvLine(['$user_id', ...PLAIN_FIELDS, ...keyPaths.map(joinPath)]));
  let text = '';
  let rows = 0;
  for await (const line of spool.lines()) {
    const [id, values] = JSON.parse(line) as [string, Record<string, unknown>];
    text += csvLine([
      id,
      ...PLAIN_FIELDS.map((f) => plainCell(values[f])),
      ...metadataCells(values, keyPaths),
    ]);
    if (++rows % ROWS_PER_WRITE === 0) {
      if (ports.signal?.aborted) return { ok: false, users: read.users, cancelled: true };
      await ports.write(text);
      text = '';
    }
  }
  if (text) await ports.write(text);
  return read;
}

/** A spool in memory: the pages' text, split into lines when read back. */
export function memorySpool(): ExportSpool {
  const pieces: string[] = [];
  return {
    append: (text) => void pieces.push(text),
    async *lines() {
      for (const piece of pieces) for (const line of piece.split('\n')) if (line) yield line;
    },
  };
}

function jsonlRow(user: ClerkUser): string {
  const row: Record<string, unknown> = { $user_id: user.id };
  for (const [field, value] of Object.entries(editableFields(user))) if (value !== null) row[field] = value;
  return `${JSON.stringify(row)}\n`;
}

/** A CSV row: the user's id, then a cell per pulled field. */
function csvRow(user: ClerkUser): string {
  const values = editableFields(user);
  return csvLine([user.id, ...PULLED_FIELDS.map((field) => plainCell(values[field]))]);
}

/**
 * The cell of a field's value in its column: an empty cell is "unchanged" and `null` clears, so a string
 * that reads as either ("" or "null") cannot be written as itself; its cell is left empty (unchanged),
 * never cleared.
 */
function plainCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value === '' || value.trim().toLowerCase() === 'null' ? '' : value;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * One CSV line: formulas neutralised (formulas.ts); a cell holding a bare carriage return quoted, as readers
 * split rows there.
 */
function csvLine(cells: readonly string[]): string {
  return stringify([cells.map(neutraliseFormula)], { record_delimiter: '\n', quoted_match: /\r/ });
}
