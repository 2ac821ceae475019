import type { Result } from '../result';
import { curlSnippet } from './curl';
import { rustSnippet } from './rust';
import { type SnippetOptions, snippetSource } from './source';
import { typescriptSnippet } from './ts';

export const SNIPPET_LANGUAGES = ['curl', 'ts', 'rust'] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];

export const SNIPPET_LABELS: Readonly<Record<SnippetLanguage, string>> = {
  curl: 'curl',
  ts: '@clerk/backend (TypeScript)',
  rust: 'clerk-rs (Rust)',
};

const RENDER = { curl: curlSnippet, ts: typescriptSnippet, rust: rustSnippet } as const;

export function isSnippetLanguage(value: unknown): value is SnippetLanguage {
  return typeof value === 'string' && (SNIPPET_LANGUAGES as readonly string[]).includes(value);
}

/** The document as code that makes what a send would make, or why there is none. */
export function renderSnippet(
  language: SnippetLanguage,
  text: string,
  options: SnippetOptions,
): Result<{ text: string }> {
  const source = snippetSource(text, options);
  return source.ok ? { ok: true, text: RENDER[language](source.source) } : source;
}
