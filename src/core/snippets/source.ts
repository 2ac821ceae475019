import type { Result } from '../result';
import * as jsonc from 'jsonc-parser';
import { nodeValue } from '../parse/values';
import { analyzeDocument } from '../analyze';
import { type PlannedRequest, planRequests } from '../payload/plan';
import { gate } from '../send/gate';
import { type ApiVersion, SECRET_FIELDS } from '../versions';

/** One top-level field of a request, as the snippets write it. */
export interface SnippetField {
  name: string;
  /** The parsed value (`null` for a JSON null). */
  value: unknown;
  /** The value's JSON text in the request body, byte for byte. */
  text: string;
  /** Offset of the value in the request body. */
  offset: number;
  /** True for password, password_digest, totp_secret and backup_codes with a value (never copied). */
  secret: boolean;
}

export interface SnippetRequest extends PlannedRequest {
  values: SnippetField[];
}

/** What every snippet is built from: exactly what a send of the document would do. */
export interface SnippetSource {
  userId: string;
  apiVersion: ApiVersion;
  /** The API URL the requests go to (no trailing slash). */
  apiUrl: string;
  requests: SnippetRequest[];
}

export interface SnippetOptions {
  apiUrl: string;
  defaultApiVersion: ApiVersion;
}

/** The environment variable a secret field's value is read from in a snippet, e.g. USER_PASSWORD. */
export function secretVariable(field: string): string {
  return `USER_${field.toUpperCase()}`;
}

export function isSecretField(name: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(name);
}

function fieldsOf(body: string): SnippetField[] {
  const root = jsonc.parseTree(body);
  const out: SnippetField[] = [];
  for (const prop of root?.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (!key || !value || typeof key.value !== 'string') continue;
    const parsed = nodeValue(value);
    out.push({
      name: key.value,
      value: parsed,
      text: body.slice(value.offset, value.offset + value.length),
      offset: value.offset,
      secret: isSecretField(key.value) && parsed !== null,
    });
  }
  return out;
}

/**
 * The document's requests as a send would make them (the same gate and plan), or why there is no
 * snippet: errors block it as they block a send, and a snippet needs `$user_id`.
 */
export function snippetSource(text: string, options: SnippetOptions): Result<{ source: SnippetSource }> {
  const analysis = analyzeDocument(text, { defaultApiVersion: options.defaultApiVersion });
  const checked = gate(analysis);
  if (!checked.ok) return { ok: false, message: checked.message.replace(/^Not sent:/, 'No snippet:') };
  if (!analysis.userId) return { ok: false, message: 'No snippet: the file has no "$user_id".' };
  const plan = planRequests(text, checked.root, analysis.userId, analysis.apiVersion);
  if (plan.length === 0)
    return { ok: false, message: 'No snippet: the file has no fields besides its $ keys.' };
  const requests = plan.map((request) => ({ ...request, values: fieldsOf(request.body) }));
  return {
    ok: true,
    source: {
      userId: analysis.userId,
      apiVersion: analysis.apiVersion,
      apiUrl: options.apiUrl.replace(/\/+$/, ''),
      requests,
    },
  };
}
