/**
 * The contracts of bulk updates (`*.userupdates.jsonl` / `*.userupdates.csv`): rows as the
 * formats produce them, and what a run reports. See docs/architecture.md, "Bulk updates".
 */
import type { ApiVersion } from '../versions';

/** The three ways a row names its user. */
export type TargetKind = 'user_id' | 'external_id' | 'email';

/** The reserved key (JSONL) or column (CSV) of each target kind. */
export const TARGET_KEYS: Readonly<Record<TargetKind, string>> = { user_id: '$user_id', external_id: '$external_id', email: '$email' };

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
}

/** What became of a row, in the report (`FILE.report.jsonl`, one line per row). */
export type RowOutcome = 'updated' | 'unchanged' | 'failed' | 'skipped';

export interface ReportLine {
  row: number;
  /** `formatTarget` of the row's target. */
  target: string;
  user_id: string | null;
  status: RowOutcome;
  http_status: number | null;
  /** Clerk's error code, or ours (`target_not_found`, `target_ambiguous`, `user_changed`, …). */
  code: string | null;
  message: string | null;
  trace_id: string | null;
}

export interface RunSummary {
  total: number;
  updated: number;
  unchanged: number;
  failed: number;
  skipped: number;
  /** Failures grouped by code, most frequent first. */
  failuresByCode: Array<{ code: string; count: number; example: string }>;
  /** Requests sent (GETs included) and how many Clerk answered with 429. */
  requests: number;
  rateLimited: number;
  durationMs: number;
  /** True when the run stopped early (cancel): `node dist/cli.js send FILE` again resumes it. */
  cancelled: boolean;
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
}
