import type { Node } from 'jsonc-parser';
import { nodeValue, setOwn } from '../parse/values';
import { isReservedKey } from './plan';

/**
 * The one way to read what a document sends: the value of its root object without the reserved
 * `$` keys, the last occurrence of a key winning (as in JSON.parse and at Clerk).
 */
export function payloadValue(root: Node): Record<string, unknown> {
  const value = nodeValue(root) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [key, v] of Object.entries(value)) if (!isReservedKey(key)) setOwn(out, key, v);
  return out;
}
