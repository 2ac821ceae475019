import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSnippet, type SnippetLanguage } from '../../../src/core/snippets';
import type { ApiVersion } from '../../../src/core/versions';
import { ROOT } from '../../support/dist';

export const SAMPLES = join(ROOT, 'samples', 'workspace');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'snippets');

/**
 * Samples there to show errors: mistakes.userupdate.json, and typed-metadata.userupdate.json under
 * types/globals.d.ts.
 */
const SHOW_ERRORS: ReadonlySet<string> = new Set([
  'mistakes.userupdate.json',
  'typed-metadata.userupdate.json',
]);

/** The sample payloads a send accepts. */
export function sendableSamples(): string[] {
  return readdirSync(SAMPLES)
    .filter((name) => name.endsWith('.userupdate.json') && !SHOW_ERRORS.has(name))
    .sort();
}

export function snippet(
  language: SnippetLanguage,
  text: string,
  apiUrl = 'https://api.clerk.com',
  defaultApiVersion: ApiVersion = '2026-05-12',
): string {
  const result = renderSnippet(language, text, { apiUrl, defaultApiVersion });
  if (!result.ok) throw new Error(result.message);
  return result.text;
}

export function sampleText(name: string): string {
  return readFileSync(join(SAMPLES, name), 'utf8');
}
