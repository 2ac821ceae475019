import type { JsonNode } from '../parse/parser';
import type { FieldInfo } from '../schema';
import { setOwn } from '../parse/values';

/** A property of the root object. */
export interface Entry {
  key: JsonNode;
  value: JsonNode | undefined;
}

export interface ShapedPayload {
  /** The last occurrence of each root key: what Clerk (and JSON.parse) would see. */
  last: Map<string, Entry>;
  /**
   * The root object as ajv is given it: scalars as JSON.parse would give them; containers as empty
   * placeholders, except arrays whose items the schema types (their scalar items are kept). Nothing
   * below that is read, so nothing below it is built.
   */
  data: Record<string, unknown>;
}

/** One pass over the root's properties: the shallow data for ajv and the last occurrence of each key. */
export function shapeForAjv(root: JsonNode, fields: ReadonlyMap<string, FieldInfo>): ShapedPayload {
  const props = root.children ?? [];
  const last = new Map<string, Entry>();
  const data: Record<string, unknown> = {};
  for (let i = 0; i < props.length; i++) {
    const kids = props[i].children as JsonNode[];
    const key = kids[0];
    const value = kids[1];
    const name = key.value as string;
    last.set(name, { key, value });
    // An own property whatever the name: `__proto__` must reach the schema (as an unknown key), not set a
    // prototype.
    setOwn(data, name, shallowValue(value, fields.get(name)));
  }
  return { last, data };
}

/** The value JSON.parse would give, for the shallow data handed to ajv (containers are placeholders). */
function shallowValue(node: JsonNode | undefined, info: FieldInfo | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'object':
      return {};
    case 'array': {
      if (!info?.items) return [];
      const kids = node.children ?? [];
      const out = new Array<unknown>(kids.length);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        out[i] = k.type === 'object' ? {} : k.type === 'array' ? [] : k.value;
      }
      return out;
    }
    default:
      return node.value;
  }
}
