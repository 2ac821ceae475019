import type { CoreDiagnostic } from '../../diagnostics';
import { clip } from '../../text/clip';
import { DiagnosticCode } from '../../codes';
import type { ApiVersion } from '../../versions';
import { rowDiagnostic, type RowResult } from './rowCheck';
import { formatTarget, TARGET_KEYS } from './types';

/** Codes that say the same about every row that has the field: reported on the first such row only. */
const ONCE_PER_FILE: ReadonlySet<string> = new Set([
  DiagnosticCode.MetadataSentSeparately,
  DiagnosticCode.MetadataMode,
]);

/**
 * The checks across the rows of one bulk file, fed the rows in file order: two rows that target the same
 * user, rows whose API versions differ, and what is said once per file. Holds one entry per distinct target
 * (that is what duplicate detection needs) and nothing else per row.
 */
export class FileChecks {
  /** Target -> 1-based line of the first row that has it. */
  private readonly targets = new Map<string, number>();
  private first: { version: ApiVersion; line: number; named: boolean } | undefined;
  /** Code -> paths it was said about. */
  private readonly said = new Map<string, Set<string>>();

  constructor(private readonly defaultApiVersion: ApiVersion) {}

  /**
   * The row's diagnostics (row-relative, sorted) with those the earlier rows give it; `line` is its 0-based
   * first line.
   */
  check(row: RowResult, line: number): { diagnostics: CoreDiagnostic[]; hasErrors: boolean } {
    let diagnostics = row.diagnostics;
    let hasErrors = row.hasErrors;
    let extra: CoreDiagnostic[] | undefined;

    if (diagnostics.length > 0 && diagnostics.some((d) => ONCE_PER_FILE.has(d.code))) {
      diagnostics = diagnostics.filter((d) => {
        if (!ONCE_PER_FILE.has(d.code)) return true;
        const said = this.said.get(d.code);
        if (said?.has(d.path)) return false;
        if (said) said.add(d.path);
        else this.said.set(d.code, new Set([d.path]));
        return true;
      });
    }

    if (row.target && row.targetKey !== undefined && row.targetSpan) {
      const key = row.targetKey;
      const earlier = this.targets.get(key);
      if (earlier === undefined) {
        this.targets.set(key, line + 1);
      } else {
        (extra ??= []).push(
          rowDiagnostic(
            DiagnosticCode.DuplicateTarget,
            `Line ${earlier} already targets '${clip(formatTarget(row.target))}': both rows update the same user, so their order would matter.`,
            '/' + TARGET_KEYS[row.target.kind],
            row.targetSpan,
            row.rangeOf,
          ),
        );
      }
    }

    const version = row.apiVersion ?? (row.namesApiVersion ? undefined : this.defaultApiVersion);
    if (version !== undefined) {
      const first = this.first;
      if (!first) {
        this.first = { version, line: line + 1, named: row.apiVersion !== undefined };
      } else if (version !== first.version) {
        const theirs = first.named
          ? `line ${first.line} names ${first.version}`
          : `line ${first.line} has no '$api_version' and is checked and sent under ${first.version} (the default)`;
        const message =
          row.apiVersion !== undefined
            ? `'$api_version' ${row.apiVersion} differs from the rest of the file: ${theirs}. A bulk file is sent under one API version.`
            : `This row has no '$api_version', so it would be checked and sent under ${version} (the default), but ${theirs}. Name the same '$api_version' on every row, or on none.`;
        (extra ??= []).push(
          rowDiagnostic(
            DiagnosticCode.MixedApiVersions,
            message,
            row.apiVersion !== undefined ? '/$api_version' : '',
            row.apiVersionSpan ?? row.span,
            row.rangeOf,
          ),
        );
        hasErrors = true;
      }
    }

    if (extra)
      diagnostics = [...diagnostics, ...extra].sort((a, b) => a.offset - b.offset || a.length - b.length);
    return { diagnostics, hasErrors };
  }
}
