/**
 * The contracts of bulk updates (`*.userupdates.jsonl` / `*.userupdates.csv`): rows as the
 * formats produce them (what a run reports is in run/types.ts). See src/core/bulk/README.md.
 */
import type { MetadataTypes } from '../../metadataTypes/model';
import type { ApiVersion } from '../../versions';

/** The three ways a row names its user. */
export type TargetKind = 'user_id' | 'external_id' | 'email';

/** The reserved key (JSONL) or column (CSV) of each target kind. */
export const TARGET_KEYS: Readonly<Record<TargetKind, string>> = {
  user_id: '$user_id',
  external_id: '$external_id',
  email: '$email',
};

export interface RowTarget {
  kind: TargetKind;
  value: string;
}

/** "$email:ada@example.com": how a target is written in journals, reports and messages. */
export function formatTarget(target: RowTarget): string {
  return `${TARGET_KEYS[target.kind]}:${target.value}`;
}

/** One row of a bulk file that passed validation: what the run engine takes. */
export interface BulkRow {
  /** The row's 1-based line in the file (JSONL: its line; CSV: the line its record starts on). */
  row: number;
  /**
   * The row as a `*.userupdate.json` text: the line itself (JSONL), or the JSON object made of its
   * non-empty cells (CSV). Sent with its `$` keys removed, as a single file is.
   */
  text: string;
  target: RowTarget;
  /** `$api_version` of the row (JSONL), if any: the same on every row. */
  apiVersion?: ApiVersion;
  /** Errors the formats layer found in the row ("line N: …"): a run with any is refused. */
  errors?: readonly string[];
  /** Warnings the formats layer found in the row ("line N: …"): asked about once before a run. */
  warnings?: readonly string[];
}

/**
 * The rows of a bulk file, as the run engine reads them: each call of `rows()` reads the input
 * again from its start (a run reads it twice: once to plan, once to send), in chunks of any size.
 */
export interface BulkInput {
  rows(): AsyncIterable<readonly BulkRow[]>;
  /**
   * Problems of the file that belong to no row's text (a CSV header, a row that is not an
   * object…), as found by the last full read of `rows()`. Errors refuse the run; warnings are
   * asked about once.
   */
  problems?(): {
    errors: readonly string[];
    warnings: readonly string[];
    /** When more were found than listed. */ errorCount?: number;
    warningCount?: number;
  };
}

/** The two bulk formats: `*.userupdates.jsonl` and `*.userupdates.csv`. */
export type BulkFormat = 'jsonl' | 'csv';

/** How a bulk file is checked. */
export interface BulkOptions {
  /** The `clerkUserUpdate.apiVersion` setting, or the CLI's --api-version; a row's `$api_version` wins. */
  defaultApiVersion: ApiVersion;
  /**
   * `clerkUserUpdate.bulk.allowSecrets` / `--allow-secrets`: accept `password`, `password_digest`,
   * `totp_secret` and `backup_codes` in the file. Off by default: a file of passwords is a file to delete.
   */
  allowSecrets?: boolean;
  /** The team's metadata declarations, if any: each row's metadata is checked against them. */
  metadataTypes?: MetadataTypes;
}
