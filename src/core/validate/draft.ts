import type { CoreDiagnostic, QuickFix, Severity } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';
import { CODE_INFO, type DiagnosticCode } from '../codes';

/** A diagnostic before its line/character range is computed. */
export type DraftDiagnostic = Omit<CoreDiagnostic, 'range'>;

/** What a check says about one problem; severity and owner default to the code's (CODE_INFO). */
export interface DraftSpec {
  code: DiagnosticCode;
  message: string;
  /** JSON pointer of the key or value ("" for the root). */
  path: string;
  offset: number;
  length: number;
  fixes?: QuickFix[];
  severity?: Severity;
}

export function draft(spec: DraftSpec): DraftDiagnostic {
  return draftAt(spec, spec);
}

/** A draft whose range is the text of `span` (a node of the tree, or a place the parser found). */
export function draftAt(
  span: { offset: number; length: number },
  spec: Omit<DraftSpec, 'offset' | 'length'>,
): DraftDiagnostic {
  const info = CODE_INFO[spec.code];
  const d: DraftDiagnostic = {
    severity: spec.severity ?? info.severity,
    code: spec.code,
    message: spec.message,
    path: spec.path,
    offset: span.offset,
    length: span.length,
    owner: info.owner,
  };
  if (spec.fixes && spec.fixes.length > 0) d.fixes = spec.fixes;
  return d;
}

/** A fix that writes `newText` over the text of `span` (a node of the tree). */
export function replaceFix(
  title: string,
  span: { offset: number; length: number },
  newText: string,
  preferred = true,
): QuickFix {
  return { title, edits: [{ offset: span.offset, length: span.length, newText }], preferred };
}

/** The drafts in text order (ties keep the order they were found in), each with its line/character range. */
export function toDiagnostics(
  text: string,
  drafts: DraftDiagnostic[],
): { diagnostics: CoreDiagnostic[]; hasErrors: boolean } {
  if (drafts.length === 0) return { diagnostics: [], hasErrors: false };
  drafts.sort((a, b) => a.offset - b.offset || a.length - b.length);
  const lines = new LineIndex(text);
  const diagnostics: CoreDiagnostic[] = new Array(drafts.length);
  let hasErrors = false;
  for (let i = 0; i < drafts.length; i++) {
    const d = drafts[i] as CoreDiagnostic;
    d.range = lines.rangeAt(d.offset, d.length);
    if (d.severity === 'error') hasErrors = true;
    diagnostics[i] = d;
  }
  return { diagnostics, hasErrors };
}
