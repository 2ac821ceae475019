import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../../src/core/analyze';
import type { CoreDiagnostic, Range } from '../../../src/core/diagnostics';
import type { MetadataTypes } from '../../../src/core/metadataTypes/model';
import { readDeclarations } from '../../../src/node/metadataTypes/parserBundle';

/** The repository root (tests run from out/test/unit/metadata-types). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'metadata-types');

/**
 * The declarations of a fixture file (`realistic.d.ts` is stored as `realistic.d.ts.txt`: see its README).
 */
export function declarations(relative: string): MetadataTypes {
  const text = readFileSync(path.join(FIXTURES, `${relative}.txt`), 'utf8');
  const types = readDeclarations([{ file: relative, text }]);
  if (!types) throw new Error(`${relative} declares no metadata types`);
  return types;
}

/** The declarations in `text` (a file named `types/globals.d.ts`). */
export function declared(text: string): MetadataTypes | undefined {
  return readDeclarations([{ file: 'types/globals.d.ts', text }]);
}

/** The typed-metadata diagnostics of a file (the others are the untyped pipeline's). */
export function typed(text: string, types: MetadataTypes | undefined): CoreDiagnostic[] {
  return analyzeDocument(text, { defaultApiVersion: '2025-11-10', metadataTypes: types }).diagnostics.filter(
    (d) =>
      d.code.startsWith('metadata-') && d.code !== 'metadata-sent-separately' && d.code !== 'metadata-mode',
  );
}

/** The 0-based range of the `occurrence`-th `needle` in `text`, computed independently of the core. */
export function rangeOf(text: string, needle: string, occurrence = 1): Range {
  let at = -1;
  for (let i = 0; i < occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`${JSON.stringify(needle)} (#${occurrence}) not in text`);
  }
  const position = (offset: number) => {
    const lines = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  return { start: position(at), end: position(at + needle.length) };
}

/** severity, code, message and range of each diagnostic. */
export function brief(
  diagnostics: CoreDiagnostic[],
): { severity: string; code: string; message: string; range: Range }[] {
  return diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, range: d.range }));
}
