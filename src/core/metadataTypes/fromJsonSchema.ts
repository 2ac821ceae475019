import { METADATA_FIELDS, type MetaObject, type MetaProp, type MetaType, type MetadataTypes } from './model';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The metadata types of a JSON Schema whose `properties` has `public_metadata`, `private_metadata` and/or
 * `unsafe_metadata` (the `clerkUserUpdate.metadataTypes` setting, `--metadata-types`). Reads `type`, `enum`,
 * `const`, `anyOf`/`oneOf`, `properties`/`required`, `additionalProperties`, `items`, `description` and local
 * `$ref`s (`#/$defs/…`, `#/definitions/…`); anything else is any value. Undefined when no field is described.
 */
export function metadataTypesFromJsonSchema(schema: unknown, file: string): MetadataTypes | undefined {
  if (!isSchema(schema) || !isSchema(schema.properties)) return undefined;
  const named: Record<string, MetaType> = {};
  const defs = {
    ...(isSchema(schema.definitions) ? schema.definitions : {}),
    ...(isSchema(schema.$defs) ? schema.$defs : {}),
  };
  for (const [name, def] of Object.entries(defs)) named[name] = typeOf(def);
  const fields: MetadataTypes['fields'] = {};
  for (const field of METADATA_FIELDS) {
    const s = (schema.properties as Schema)[field];
    if (!isSchema(s)) continue;
    const t = typeOf(s);
    const resolved = t.kind === 'ref' ? named[t.name] : t;
    fields[field] = resolved?.kind === 'object' ? resolved : { kind: 'object', props: {}, index: t };
  }
  if (Object.keys(fields).length === 0) return undefined;
  return { fields, named, sources: [{ file, line: 0 }] };
}

function typeOf(s: unknown): MetaType {
  if (s === true || s === undefined) return { kind: 'unknown' };
  if (!isSchema(s)) return { kind: 'unsupported', text: JSON.stringify(s) };
  if (typeof s.$ref === 'string') {
    const m = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(s.$ref);
    return m ? { kind: 'ref', name: m[1] } : { kind: 'unsupported', text: s.$ref };
  }
  if ('const' in s) return literal(s.const);
  if (Array.isArray(s.enum)) return union(s.enum.map(literal));
  const alternatives = Array.isArray(s.anyOf) ? s.anyOf : Array.isArray(s.oneOf) ? s.oneOf : undefined;
  if (alternatives) return union(alternatives.map(typeOf));
  if (Array.isArray(s.type)) return union(s.type.map((t) => typeOf({ ...s, type: t })));
  switch (s.type) {
    case 'string':
    case 'boolean':
    case 'null':
      return { kind: s.type };
    case 'number':
    case 'integer':
      return { kind: 'number' };
    case 'array':
      return { kind: 'array', element: typeOf(s.items) };
    case 'object':
      return objectOf(s);
    case undefined:
      return isSchema(s.properties) ? objectOf(s) : { kind: 'unknown' };
    default:
      return { kind: 'unsupported', text: String(s.type) };
  }
}

function objectOf(s: Schema): MetaObject {
  const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
  const props: Record<string, MetaProp> = {};
  for (const [key, value] of Object.entries(isSchema(s.properties) ? s.properties : {})) {
    const prop: MetaProp = { type: typeOf(value), optional: !required.has(key) };
    if (isSchema(value) && typeof value.description === 'string') prop.doc = value.description;
    props[key] = prop;
  }
  const object: MetaObject = { kind: 'object', props };
  if (isSchema(s.additionalProperties)) object.index = typeOf(s.additionalProperties);
  return object;
}

function literal(v: unknown): MetaType {
  if (v === null) return { kind: 'null' };
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    return { kind: 'literal', value: v };
  return { kind: 'unsupported', text: JSON.stringify(v) };
}

function union(types: MetaType[]): MetaType {
  return types.length === 1 ? types[0] : { kind: 'union', types };
}
