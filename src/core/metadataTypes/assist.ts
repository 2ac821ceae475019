import {
  INTERFACE_OF,
  METADATA_FIELDS,
  type MetadataField,
  type MetaType,
  type MetadataTypes,
} from './model';
import { literalsOf, objectsIn, propAt, resolve, typeAt } from './model';

/** A completion of a metadata key or literal value. */
export interface MetadataCompletion {
  label: string;
  /** JSON text to insert ('"role"', '"admin"', '3', 'true'). */
  insertText: string;
  /** The declared type, as TypeScript writes it. */
  detail: string;
  doc?: string;
  kind: 'key' | 'value';
}

function fieldOf(path: readonly (string | number)[]): MetadataField | undefined {
  const first = path[0];
  const known = typeof first === 'string' && (METADATA_FIELDS as readonly string[]).includes(first);
  return known ? (first as MetadataField) : undefined;
}

/**
 * What to offer at a place of a file, given as jsonc-parser's location path: the declared keys of the object
 * being written (`isKey`), or the literal values of the key whose value is being written. Nothing outside the
 * metadata fields or where the declaration does not reach.
 */
export function metadataCompletions(
  types: MetadataTypes,
  path: readonly (string | number)[],
  isKey: boolean,
  present: ReadonlySet<string> = new Set(),
): MetadataCompletion[] {
  const field = fieldOf(path);
  if (!field || path.length < 2) return [];
  const segments = path.slice(1).map(String);
  if (isKey) {
    const parent = typeAt(types, field, segments.slice(0, -1));
    if (!parent) return [];
    const out: MetadataCompletion[] = [];
    for (const object of objectsIn(parent, types)) {
      for (const [key, prop] of Object.entries(object.props)) {
        if (present.has(key) || out.some((o) => o.label === key)) continue;
        const detail = `${key}${prop.optional ? '?' : ''}: ${typeText(prop.type, types)}`;
        const item: MetadataCompletion = { label: key, insertText: JSON.stringify(key), detail, kind: 'key' };
        if (prop.doc) item.doc = prop.doc;
        out.push(item);
      }
    }
    return out;
  }
  const t = typeAt(types, field, segments);
  if (!t) return [];
  const doc = propAt(types, field, segments)?.doc;
  return literalsOf(t, types).map((value) => {
    const text = JSON.stringify(value);
    const item: MetadataCompletion = {
      label: text,
      insertText: text,
      detail: typeText(t, types),
      kind: 'value',
    };
    if (doc) item.doc = doc;
    return item;
  });
}

/**
 * The hover of a metadata key or value: its declaration ('role?: 'admin' | 'member'') and its doc comment.
 */
export function metadataHover(
  types: MetadataTypes,
  path: readonly (string | number)[],
): { declaration: string; doc?: string } | undefined {
  const field = fieldOf(path);
  if (!field) return undefined;
  if (path.length === 1)
    return types.fields[field] ? { declaration: `${field}: ${INTERFACE_OF[field]}` } : undefined;
  const segments = path.slice(1).map(String);
  const prop = propAt(types, field, segments);
  const t = typeAt(types, field, segments);
  if (!t) return undefined;
  const key = segments[segments.length - 1];
  const declaration = prop
    ? `${key}${prop.optional ? '?' : ''}: ${typeText(prop.type, types)}`
    : `${key}: ${typeText(t, types)}`;
  return prop?.doc ? { declaration, doc: prop.doc } : { declaration };
}

/**
 * A type as TypeScript would write it, shortened: "'admin' | 'member'", 'number[]', '{ completed: boolean; …
 * }'.
 */
export function typeText(type: MetaType, types: MetadataTypes, depth = 0): string {
  if (type.kind === 'ref') return type.name;
  const t = resolve(type, types);
  switch (t.kind) {
    case 'literal':
      return typeof t.value === 'string' ? `'${t.value}'` : String(t.value);
    case 'union':
      return t.types.map((m) => typeText(m, types, depth + 1)).join(' | ');
    case 'array': {
      const inner = typeText(t.element, types, depth + 1);
      return /[ |]/.test(inner) ? `(${inner})[]` : `${inner}[]`;
    }
    case 'object': {
      if (depth > 1) return '{ … }';
      const parts = Object.entries(t.props).map(
        ([k, p]) => `${k}${p.optional ? '?' : ''}: ${typeText(p.type, types, depth + 1)}`,
      );
      if (t.index) parts.push(`[key: string]: ${typeText(t.index, types, depth + 1)}`);
      return parts.length === 0 ? '{}' : `{ ${parts.join('; ')} }`;
    }
    case 'unsupported':
      return t.text;
    default:
      return t.kind;
  }
}
