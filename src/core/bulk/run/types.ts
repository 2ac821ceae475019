/** What a run of a bulk file plans, tells as it goes, and reports. */

/** One row of a dry run's plan (`FILE.plan.jsonl` for the report file): what a run would do. */
export interface PlanLine {
  row: number;
  target: string;
  user_id: string | null;
  /**
   * `change`: it would be sent; `unchanged`: the user already has the values; `fail`: it cannot be sent;
   * `done`: the journal has it.
   */
  action: 'change' | 'unchanged' | 'fail' | 'done';
  /** The fields that would change (`change`), secret ones included by name. */
  fields: string[];
  /** Field by field (`change`), secret values never shown: "(will be set)". */
  changes: Array<{ field: string; before: unknown; after: unknown }>;
  code: string | null;
  message: string | null;
}

/** What a run would do, as counted by its first read (the dry run, and the production question). */
export interface RunPlan {
  total: number;
  toChange: number;
  unchanged: number;
  failing: number;
  /** Rows the journal already has as finished (a resume). */
  finished: number;
  /** Rows marked sent without an answer: checked at Clerk before anything is sent again. */
  toReconcile: number;
  /** Per field, how many rows change it, most first. */
  /**
   * Per field, or per metadata key path a merge changes (with its value changes, most frequent first, at
   * most 5).
   */
  fields: Array<{ field: string; rows: number; changes?: Array<{ change: string; rows: number }> }>;
  /**
   * Rows with `"$metadata": "replace"`: the metadata key paths users have now that the run would remove, with
   * how many users lose each.
   */
  dropped?: { keys: Array<{ path: string; users: number }>; users: number };
  /** Writes that would be sent, by request kind: "PATCH /v1/users/{user_id}". */
  requests: Array<{ request: string; count: number }>;
  /** The first 20 rows to change, field by field. */
  diffs: PlanLine[];
  /** Up to three users to change: "Ada Lovelace (user_…)". */
  samples: string[];
  /** The first rows that cannot be sent ("line N: …"). */
  failures: string[];
}

/** A plan before its first row: nothing counted, nothing listed. */
export function emptyPlan(): RunPlan {
  return {
    total: 0,
    toChange: 0,
    unchanged: 0,
    failing: 0,
    finished: 0,
    toReconcile: 0,
    fields: [],
    requests: [],
    diffs: [],
    samples: [],
    failures: [],
  };
}

/** Told to adapters while a run goes on (at most every 200 ms, and at each change of phase). */
export interface RunProgress {
  /** `planning`: the first read (lookups only); `sending`; `reporting`: the report is written. */
  phase: 'planning' | 'sending' | 'reporting';
  /** Rows finished so far (planning: rows read). */
  done: number;
  /** Rows in the input (unknown during the first read). */
  total: number | undefined;
  failed: number;
  /** Rows per second over the last 10 s. */
  rowsPerSecond: number;
  /** Seconds left at that rate, when known. */
  etaSeconds: number | undefined;
  /** 429s so far, and the wait in progress after one. */
  rateLimited: number;
  waitingSeconds?: number;
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
  /** The field Clerk's error names (`meta.param_name`), when it names one: the editor marks that cell. */
  param?: string;
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
