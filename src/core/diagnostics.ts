/** Plain, editor-independent diagnostics. The VS Code glue converts them at the edge. */

export type Severity = 'error' | 'warning' | 'information';

/** 0-based, as in the VS Code API. `character` counts UTF-16 code units. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of `length` UTF-16 units at `offset` by `newText`. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The fix the user most likely wants. */
  preferred?: boolean;
}

export interface CoreDiagnostic {
  severity: Severity;
  /** A stable code from DiagnosticCode; quick fixes and docs key off it. */
  code: string;
  message: string;
  /** JSON pointer of the offending value or key ("" for the root). */
  path: string;
  offset: number;
  length: number;
  range: Range;
  /**
   * `syntax`: JSON syntax (incl. comments, trailing commas, duplicate keys). VS Code's JSON
   * language service reports these itself in the editor, so the glue does not publish them
   * again; the CLI and the send gate still use them.
   * `payload`: everything about what the payload means. Only we report these.
   */
  owner: 'syntax' | 'payload';
  fixes?: QuickFix[];
}

/** "line 4: 'first_name' must be …": how a problem is listed in questions, notifications and logs. */
export function describeDiagnostic(d: { range: Range; message: string }): string {
  return `line ${d.range.start.line + 1}: ${d.message}`;
}
