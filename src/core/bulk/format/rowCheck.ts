import { analyzeDocument } from '../../analyze';
import type { CoreDiagnostic, Range } from '../../diagnostics';
import { copyOf } from '../../text/copy';
import type { DraftDiagnostic } from '../../validate/draft';
import { CODE_INFO, type DiagnosticCode } from '../../codes';
import type { ApiVersion } from '../../versions';
import { quickRowChecks } from './quickRow';
import { checkRow, type Span } from './rowChecks';
import type { BulkOptions, RowTarget } from './types';

/**
 * One row, checked on its own: what can be cached while the row's text stays the same. Offsets and ranges are
 * relative to the row's first character; `shiftDiagnostic` places them in the file.
 */
export interface RowResult {
  /** Sorted by offset. */
  diagnostics: CoreDiagnostic[];
  /** True when the row has an error, including one reported once for the whole file (a CSV column). */
  hasErrors: boolean;
  /** The row as a `*.userupdate.json` text (BulkRow.text). */
  text: string;
  target?: RowTarget;
  /**
   * The target as duplicates are found by: kind and value, emails without case. A copy (no part of the row's
   * text), made once per row, so that finding duplicates again (each keystroke) hashes nothing new.
   */
  targetKey?: string;
  /** Where the target's value is (row-relative, like every span here). */
  targetSpan?: Span;
  apiVersion?: ApiVersion;
  apiVersionSpan?: Span;
  namesApiVersion: boolean;
  /** The whole row. */
  span: Span;
  /** The row-relative range of a span of the row. */
  rangeOf(span: Span): Range;
}

/** Where the problems found in the text a row was analyzed as are in the row itself. */
export interface RowPlacement {
  /**
   * The row-relative span of a problem at `offset`/`length` of the analyzed text, or undefined when the
   * problem is reported once for the whole file instead (a CSV column's problem, on the header).
   */
  place(code: string, offset: number, length: number): Span | undefined;
  range(span: Span): Range;
  /** Quick fixes edit the analyzed text: they apply to the row only when it is that text (JSONL). */
  keepFixes: boolean;
  /** True when the analyzed text is the row itself (JSONL): `place` gives back what it is given. */
  identity?: boolean;
  /** The pipeline's message in the row's words ("the end of the line" rather than "of the file"). */
  reword?(message: string): string;
}

/**
 * A syntax message of the single-file parser about a part of a file (a line, a cell): where it says "the
 * end of the file" or "at offset N" (N counted from the part's start), it means the part.
 */
export function rewordForPart(message: string, part: 'line' | 'cell'): string {
  if (message.indexOf('the file') === -1 && message.indexOf(' offset ') === -1) return message;
  return message
    .replace(/the end of the file/g, `the end of the ${part}`)
    .replace(/at offset (\d+)/g, (_m, n: string) =>
      part === 'line' ? `at column ${Number(n) + 1}` : `at character ${Number(n) + 1} of the cell`,
    );
}

/** The diagnostics of a row without any (most rows): one shared, frozen array. */
const NONE: CoreDiagnostic[] = Object.freeze([]) as unknown as CoreDiagnostic[];

/**
 * Runs the single-file pipeline (as a bulk row) and the bulk checks on `text`, and places what they found.
 * The common row is checked without the parser (./quickRow), with the same result; `quick: false` always
 * takes the full pipeline (the tests compare the two).
 */
export function checkRowText(
  text: string,
  whole: Span,
  placement: RowPlacement,
  options: BulkOptions,
  quick = true,
): RowResult {
  let checks = quick ? quickRowChecks(text, options) : undefined;
  let found: readonly DraftDiagnostic[] = NONE;
  if (!checks) {
    const analysis = analyzeDocument(text, {
      defaultApiVersion: options.defaultApiVersion,
      kind: 'row',
      metadataTypes: options.metadataTypes,
    });
    checks = checkRow(analysis.root, whole, options.allowSecrets === true);
    found = analysis.diagnostics;
  }
  const placed = (span: Span | undefined): Span | undefined =>
    !span || placement.identity ? span : (placement.place('', span.offset, span.length) ?? span);
  const result: RowResult = {
    diagnostics: NONE,
    hasErrors: false,
    text,
    target: checks.target,
    targetKey: checks.target && targetKey(checks.target),
    targetSpan: placed(checks.targetSpan),
    apiVersion: checks.apiVersion,
    apiVersionSpan: placed(checks.apiVersionSpan),
    namesApiVersion: checks.namesApiVersion,
    span: placed(whole) as Span,
    rangeOf: placement.range,
  };
  if (found.length === 0 && checks.drafts.length === 0) return result;
  result.diagnostics = [];
  const all: DraftDiagnostic[] = [...found, ...checks.drafts];
  for (const d of all) {
    if (d.severity === 'error') result.hasErrors = true;
    const at = placement.place(d.code, d.offset, d.length);
    if (!at) continue;
    const message = placement.reword && d.owner === 'syntax' ? placement.reword(d.message) : d.message;
    const out: CoreDiagnostic = {
      severity: d.severity,
      code: d.code,
      message,
      path: d.path,
      offset: at.offset,
      length: at.length,
      range: placement.range(at),
      owner: d.owner,
    };
    if (placement.keepFixes && d.fixes) out.fixes = d.fixes;
    result.diagnostics.push(out);
  }
  result.diagnostics.sort((a, b) => a.offset - b.offset || a.length - b.length);
  return result;
}

export function targetKey(target: RowTarget): string {
  // Email addresses are compared without case, as Clerk finds users by them. A copy: the keys of all rows are
  // kept while the file is read, and a part of the row's text would keep the chunk it was read from.
  return copyOf(`${target.kind}:${target.kind === 'email' ? target.value.toLowerCase() : target.value}`);
}

/** A diagnostic of the bulk checks, at a span of a row. */
export function rowDiagnostic(
  code: DiagnosticCode,
  message: string,
  path: string,
  at: Span,
  rangeOf: (span: Span) => Range,
): CoreDiagnostic {
  const info = CODE_INFO[code];
  return {
    severity: info.severity,
    code,
    message,
    path,
    offset: at.offset,
    length: at.length,
    range: rangeOf(at),
    owner: info.owner,
  };
}

/**
 * `d` (row-relative) placed in the file: the row starts at `offset`, on line `line` (0-based), at character
 * 0.
 */
export function shiftDiagnostic(d: CoreDiagnostic, offset: number, line: number): CoreDiagnostic {
  const out: CoreDiagnostic = {
    ...d,
    offset: d.offset + offset,
    range: {
      start: { line: d.range.start.line + line, character: d.range.start.character },
      end: { line: d.range.end.line + line, character: d.range.end.character },
    },
  };
  if (d.fixes)
    out.fixes = d.fixes.map((f) => ({
      ...f,
      edits: f.edits.map((e) => ({ ...e, offset: e.offset + offset })),
    }));
  return out;
}
