import { fieldMap, type PayloadKind } from '../schema';
import type { ApiVersion } from '../versions';

/** `firstName` -> `first_name`, `primaryEmailAddressID` -> `primary_email_address_id`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions), capped at `max + 1`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (
        i > 1 &&
        j > 1 &&
        a.charCodeAt(i - 1) === b.charCodeAt(j - 2) &&
        a.charCodeAt(i - 2) === b.charCodeAt(j - 1)
      ) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n];
}

/** Keys longer than this get no field suggestion. */
export const MAX_SUGGESTED_KEY = 200;

export interface FieldSuggestion {
  /** The field the user most likely meant. */
  field: string;
  /** `camelCase`: the key is the camelCase (JS SDK) spelling of the field; `typo`: a close misspelling. */
  kind: 'camelCase' | 'typo';
}

/**
 * The field an unknown key most likely means under `version`, if any:
 * its snake_case spelling (`firstName` -> `first_name`), else the closest field name.
 */
export function suggestField(
  key: string,
  version: ApiVersion,
  kind?: PayloadKind,
): FieldSuggestion | undefined {
  // Nobody means a field with a key this long; and snake-casing a 2 MB key is not free.
  if (key.length > MAX_SUGGESTED_KEY) return undefined;
  const fields = fieldMap(version, kind);
  const snake = toSnakeCase(key);
  if (snake !== key && fields.has(snake)) return { field: snake, kind: 'camelCase' };
  // `$userId`, `user_id` for `$user_id`, etc.
  if (!key.startsWith('$') && fields.has('$' + snake)) return { field: '$' + snake, kind: 'typo' };
  const best = closest(snake.toLowerCase(), fields.keys());
  if (best) return { field: best, kind: 'typo' };
  // A field name that contains the key or the other way round (`email` is too vague to guess).
  return undefined;
}

/** The closest allowed value to `value` (e.g. a password hasher), if any is close. */
export function suggestValue(value: string, allowed: readonly string[]): string | undefined {
  const lower = value.toLowerCase().replace(/-/g, '_');
  if (allowed.includes(lower)) return lower;
  return closest(lower, allowed);
}

/**
 * The candidate nearest to `word` by edit distance, if it is within a third of the word's length (1 to 3
 * edits).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate, max);
    if (d <= max && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
