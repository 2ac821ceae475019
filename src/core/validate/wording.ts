import type { JsonNode } from '../parse/parser';
import { clip } from '../text/clip';
import { segmentsOf } from '../text/pointer';
import { SECRET_FIELDS } from '../versions';

/*
 * How messages and quick-fix titles name things. They are plain text (the Problems panel and the
 * quick-fix menu do not render Markdown), so names are quoted the way the editor quotes them:
 * 'first_name', never `first_name`. Values from the file are quoted as JSON ("en-US") by `quote`
 * in ../text/clip.
 */

/** A field or key name as messages quote it: 'first_name' (clipped, see clip). */
export function quoted(name: string): string {
  return `'${clip(name)}'`;
}

/** The quoted label of a pointer: 'first_name', 'backup_codes[2]', 'public_metadata.plan.tier'. */
export function label(pointer: string): string {
  let out = '';
  for (const p of segmentsOf(pointer)) {
    if (/^\d+$/.test(p) && out !== '') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return quoted(out);
}

/** True when the value at `pointer` belongs to a secret field: messages then never show it. */
export function isSecret(pointer: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(segmentsOf(pointer)[0] ?? '');
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  null: 'null',
  boolean: 'true or false',
  integer: 'a whole number',
  number: 'a number',
  object: 'an object',
  array: 'an array',
};

/** What a field accepts: 'a string or null', 'an array of strings'. */
export function allowedProse(types: readonly string[], items?: string): string {
  const words = types.map((t) => (t === 'array' && items ? `an array of ${items}s` : (ARTICLE[t] ?? t)));
  if (words.length <= 1) return words[0] ?? 'nothing';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** What a cell should hold, in the words of a spreadsheet: 'a number' for an integer field. */
const CELL_HINT: Record<string, string> = {
  integer: 'a number',
  number: 'a number',
  boolean: 'true or false',
  object: 'JSON that starts with {',
  array: 'JSON that starts with [',
};

/**
 * A CSV cell whose text does not fit its column's field, naming the cell's value (a secret's never):
 * "'abc' in 'create_organizations_limit' is not a whole number (a number, or null to clear)."
 */
export function cellTypeMessage(
  value: string,
  field: string,
  types: readonly string[],
  items?: string,
): string {
  const kinds = types.filter((t) => t !== 'null');
  const expected = allowedProse(kinds, items);
  const hint = kinds.length === 1 ? (CELL_HINT[kinds[0]] ?? expected) : expected;
  const what = isSecret(field) ? `The cell in ${quoted(field)}` : `'${clip(value)}' in ${quoted(field)}`;
  const tail = types.includes('null')
    ? ` (${hint === expected ? 'or' : `${hint}, or`} null to clear)`
    : hint === expected
      ? ''
      : ` (${hint})`;
  return `${what} is not ${expected}${tail}.`;
}

/** What a value is: 'a number', 'true' (`quote: false`: true). */
export function actualProse(node: JsonNode, { quote = true }: { quote?: boolean } = {}): string {
  switch (node.type) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return quote ? `'${node.value ? 'true' : 'false'}'` : node.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    default:
      return node.type;
  }
}
