import type { BulkFormat } from './types';

/**
 * The bulk format of a file by its name (`*.userupdates.jsonl`, `*.userupdates.csv`, any case), if it is one.
 */
export function bulkFormatOf(fileName: string): BulkFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.userupdates.jsonl')) return 'jsonl';
  if (lower.endsWith('.userupdates.csv')) return 'csv';
  return undefined;
}
