import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bulkChecker, checkBulkText } from '../../../src/core/bulk/format/checkFile';
import type { BulkFormat, BulkOptions, BulkRow } from '../../../src/core/bulk/format/types';
import type { CoreDiagnostic, Range } from '../../../src/core/diagnostics';
import { metadataTypesFromJsonSchema } from '../../../src/core/metadataTypes/fromJsonSchema';
import type { MetadataTypes } from '../../../src/core/metadataTypes/model';
import { API_VERSIONS, DEFAULT_API_VERSION } from '../../../src/core/versions';
import { position, ROOT } from '../authoring/helpers';

export { rangeOf } from '../authoring/helpers';

export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'bulk');
export const OPTIONS: BulkOptions = { defaultApiVersion: '2026-05-12' };

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

export function check(
  text: string,
  format: BulkFormat,
  options: Partial<BulkOptions> = {},
): ReturnType<typeof checkBulkText> {
  return checkBulkText(text, format, { ...OPTIONS, ...options });
}

/** code + range of each diagnostic, for comparing whole lists. */
export function summary(diagnostics: CoreDiagnostic[]): Array<{ code: string; range: Range }> {
  return diagnostics.map((d) => ({ code: d.code, range: d.range }));
}

/** The range of `length` characters at `offset` of `text`, computed independently of the core. */
export function rangeAt(text: string, offset: number, length: number): Range {
  return { start: position(text, offset), end: position(text, offset + length) };
}

/** The range of the `occurrence`-th (1-based) `needle` on 0-based line `line` of `text`. */
export function onLine(text: string, line: number, needle: string, occurrence = 1): Range {
  let start = 0;
  for (let i = 0; i < line; i++) start = text.indexOf('\n', start) + 1;
  let at = start - 1;
  for (let i = 0; i < occurrence; i++) at = text.indexOf(needle, at + 1);
  if (at < start) throw new Error(`${JSON.stringify(needle)} not on line ${line}`);
  return rangeAt(text, at, needle.length);
}

/** What a checker gives for `text` fed in chunks of `size` characters. */
export function checkInChunks(
  text: string,
  format: BulkFormat,
  size: number,
): { diagnostics: CoreDiagnostic[]; rows: BulkRow[] } {
  const diagnostics: CoreDiagnostic[] = [];
  const rows: BulkRow[] = [];
  const checker = bulkChecker(format, OPTIONS, {
    diagnostic: (d) => diagnostics.push(d),
    row: (r) => rows.push(r),
  });
  for (let i = 0; i < text.length; i += size) checker.push(text.slice(i, i + size));
  checker.end();
  return { diagnostics, rows };
}

/** Metadata types whose `seats` is a string: a row whose seats is a number does not conform. */
const QUICK_TYPES = metadataTypesFromJsonSchema(
  {
    properties: {
      public_metadata: {
        type: 'object',
        properties: { plan: { type: 'string' }, seats: { type: 'string' } },
      },
    },
  },
  'metadata.schema.json',
) as MetadataTypes;

/**
 * The options the quick checks are compared under: each API version, secrets allowed, metadata types.
 */
export function quickOptionSets(): BulkOptions[] {
  return [
    ...API_VERSIONS.map((defaultApiVersion) => ({ defaultApiVersion })),
    { defaultApiVersion: DEFAULT_API_VERSION, allowSecrets: true },
    { defaultApiVersion: DEFAULT_API_VERSION, metadataTypes: QUICK_TYPES },
  ];
}
