import type { ApiVersion } from '../versions';
import { NARROWED, SCHEMA, VALIDATOR } from './generated';
import type { FieldInfo, FieldTable, Validator } from './types';

export type { AjvError, FieldInfo, FieldTable, Validator } from './types';

/**
 * The ajv standalone validator of the file format (built by scripts/build-validators.mjs). One validator
 * serves every API version: each field accepts every type some version allows. What a version types more
 * narrowly is listed by `narrowedTypes` and checked in src/core/validate.
 */
export function validatorFor(_version: ApiVersion): Validator {
  return VALIDATOR;
}

/** Every key the schema allows at the root (body fields and reserved `$` keys), in schema order. */
export const ROOT_KEYS: readonly string[] = Object.keys(SCHEMA.properties);

const NONE: ReadonlyMap<string, readonly string[]> = new Map();
const narrowedMaps = new Map<ApiVersion, ReadonlyMap<string, readonly string[]>>();

/** Fields whose types under `version` are narrower than the validator's: field -> the version's types. */
export function narrowedTypes(version: ApiVersion): ReadonlyMap<string, readonly string[]> {
  let map = narrowedMaps.get(version);
  if (!map) {
    const own = NARROWED[version];
    map = own ? new Map(Object.entries(own)) : NONE;
    narrowedMaps.set(version, map);
  }
  return map;
}

const maps = new Map<ApiVersion, ReadonlyMap<string, FieldInfo>>();

/** What the schema of `version` says about each allowed key (body fields and reserved `$` keys), built once per version. */
export function fieldMap(version: ApiVersion): ReadonlyMap<string, FieldInfo> {
  let map = maps.get(version);
  if (!map) {
    const narrowed = narrowedTypes(version);
    const built = new Map<string, FieldInfo>();
    for (const [name, prop] of Object.entries(SCHEMA.properties)) {
      const types = narrowed.get(name) ?? (Array.isArray(prop.type) ? prop.type : [prop.type]);
      const info: { types: readonly string[]; items?: string; enum?: readonly string[] } = { types };
      if (prop.items) info.items = prop.items.type;
      if (prop.enum) info.enum = prop.enum;
      built.set(name, info);
    }
    map = built;
    maps.set(version, map);
  }
  return map;
}

/** The field table of `version` as a plain object. */
export function fieldsFor(version: ApiVersion): FieldTable {
  return Object.fromEntries(fieldMap(version));
}

/** What validating a payload of one API version reads from the schema, built once per version. */
export interface VersionSchema {
  validate: Validator;
  /** See fieldMap. */
  fields: ReadonlyMap<string, FieldInfo>;
  /** See narrowedTypes. */
  narrowed: ReadonlyMap<string, readonly string[]>;
  /** The fields typed as integers, in schema order. */
  integerFields: readonly string[];
}

const schemas = new Map<ApiVersion, VersionSchema>();

export function schemaFor(version: ApiVersion): VersionSchema {
  let schema = schemas.get(version);
  if (!schema) {
    const fields = fieldMap(version);
    const integerFields = [...fields.keys()].filter((name) => fields.get(name)!.types.includes('integer'));
    schema = { validate: VALIDATOR, fields, narrowed: narrowedTypes(version), integerFields };
    schemas.set(version, schema);
  }
  return schema;
}
