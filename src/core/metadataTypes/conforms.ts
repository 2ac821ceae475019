import { closest } from '../validate/suggest';
import {
  type MetaObject,
  type MetaType,
  type MetadataMode,
  type MetadataTypes,
  propOf,
  resolve,
} from './model';

/**
 * True when a plain JSON value (JSON.parse of the metadata as written) draws no diagnostic at all from
 * ./check: the fast path for the common case, a row that is right. Anything ./check would say something
 * about (a wrong value, a required key, a key that looks misspelt, a type we do not check) gives false, and
 * ./check then walks the syntax tree for the exact ranges. Building that tree below the root is what costs;
 * this needs none.
 */
export function conforms(
  value: unknown,
  declared: MetaType,
  types: MetadataTypes,
  mode: MetadataMode,
): boolean {
  const t = resolve(declared, types);
  switch (t.kind) {
    case 'unknown':
      return true;
    case 'unsupported':
    case 'ref':
      return false;
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === t.kind;
    case 'null':
      return value === null;
    case 'literal':
      return value === t.value;
    case 'array':
      if (!Array.isArray(value)) return false;
      for (const item of value) if (!conforms(item, t.element, types, mode)) return false;
      return true;
    case 'object':
      return isObject(value) && objectConforms(value, t, types, mode);
    case 'union':
      for (const m of t.types) if (conforms(value, m, types, mode)) return true;
      return false;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectConforms(
  value: Record<string, unknown>,
  t: MetaObject,
  types: MetadataTypes,
  mode: MetadataMode,
): boolean {
  let declaredKeys: string[] | undefined;
  for (const key in value) {
    const v = value[key];
    const prop = propOf(t, key);
    if (prop) {
      if (v === null && mode === 'merge') {
        if (!prop.optional) return false;
        continue;
      }
      if (!conforms(v, prop.type, types, mode)) return false;
    } else if (t.index) {
      if (!conforms(v, t.index, types, mode)) return false;
    } else if (key.length <= 64) {
      declaredKeys ??= Object.keys(t.props);
      if (declaredKeys.length > 0 && closest(key, declaredKeys) !== undefined) return false;
    }
  }
  if (mode === 'replace')
    for (const key in t.props) if (!t.props[key].optional && !(key in value)) return false;
  return true;
}
