import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSnippet, type SnippetLanguage } from '../../../src/core/snippets';
import type { ApiVersion } from '../../../src/core/versions';
import { ROOT } from '../../support/dist';

export const SAMPLES = join(ROOT, 'samples', 'workspace');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'snippets');

/** The sample payloads a send accepts (mistakes.userupdate.json is there to show errors). */
export function sendableSamples(): string[] {
  return readdirSync(SAMPLES)
    .filter((name) => name.endsWith('.userupdate.json') && name !== 'mistakes.userupdate.json')
    .sort();
}

export function snippet(language: SnippetLanguage, text: string, apiUrl = 'https://api.clerk.com', defaultApiVersion: ApiVersion = '2026-05-12'): string {
  const result = renderSnippet(language, text, { apiUrl, defaultApiVersion });
  if (!result.ok) throw new Error(result.message);
  return result.text;
}

export function sampleText(name: string): string {
  return readFileSync(join(SAMPLES, name), 'utf8');
}
