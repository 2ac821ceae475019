import type * as jsonc from 'jsonc-parser';
import type { Analysis } from '../analyze';
import { type CoreDiagnostic, describeDiagnostic } from '../diagnostics';

export type GateResult =
  | { ok: false; errors: CoreDiagnostic[]; message: string }
  | {
      ok: true;
      root: jsonc.Node;
      /** "line N: …", the document's warnings then the extra ones. */ warnings: string[];
    };

/**
 * What may be sent: errors block (the first is named); without a JSON object there is nothing to
 * send; warnings are collected to be asked about once.
 */
export function gate(analysis: Analysis, extraWarnings: readonly string[] = []): GateResult {
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    return { ok: false, errors, message: `Not sent: fix ${describeDiagnostic(errors[0])}${more} first.` };
  }
  if (!analysis.root)
    return { ok: false, errors: [], message: 'Not sent: the file must hold a JSON object.' };
  const warnings = [
    ...analysis.diagnostics.filter((d) => d.severity === 'warning').map(describeDiagnostic),
    ...extraWarnings,
  ];
  return { ok: true, root: analysis.root, warnings };
}
