import * as path from 'node:path';
import { analyzeDocument, type Analysis } from '../../../src/core/analyze';
import type { CoreDiagnostic, Range } from '../../../src/core/diagnostics';
import type { ApiVersion } from '../../../src/core/versions';

/** The repository root (tests run from out/test/unit/authoring). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'authoring');

export function analyze(text: string, version: ApiVersion = '2025-11-10'): Analysis {
  return analyzeDocument(text, { defaultApiVersion: version });
}

/** The 0-based range of the `occurrence`-th `needle` in `text`, computed independently of the core. */
export function rangeOf(text: string, needle: string, occurrence = 1): Range {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${JSON.stringify(needle)} (#${occurrence}) not in text`);
  }
  return { start: position(text, at), end: position(text, at + needle.length) };
}

export function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

/** code + range of each diagnostic, for comparing whole lists. */
export function summary(diagnostics: CoreDiagnostic[]): Array<{ code: string; range: Range }> {
  return diagnostics.map((d) => ({ code: d.code, range: d.range }));
}

export function only(analysis: Analysis, code: string): CoreDiagnostic[] {
  return analysis.diagnostics.filter((d) => d.code === code);
}

/** Applies a fix's edits to the text. */
export function applyEdits(
  text: string,
  edits: ReadonlyArray<{ offset: number; length: number; newText: string }>,
): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
  return out;
}

/** The range of `length` characters starting `skip` characters into the first `needle`. */
export function rangeWithin(text: string, needle: string, skip: number, length: number): Range {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`${JSON.stringify(needle)} not in text`);
  return { start: position(text, at + skip), end: position(text, at + skip + length) };
}
