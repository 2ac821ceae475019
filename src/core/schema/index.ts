import type { ApiVersion } from '../versions';
import {
  FIELDS_VALIDATOR,
  FILE_KEYS_VALIDATOR,
  NARROWED,
  ROW_KEYS_SCHEMA,
  ROW_KEYS_VALIDATOR,
  SCHEMA,
} from './generated';
import type { CompiledSchema, FieldInfo, FieldTable, Validator } from './types';

export type { AjvError, FieldInfo, FieldTable, Validator } from './types';

/**
 * What a payload is: a single `*.userupdate.json` (`file`), or a row of a bulk file (`row`:
 * `*.userupdates.jsonl` / `*.userupdates.csv`), which may also name its user with `$external_id` or `$email`.
 */
export type PayloadKind = 'file' | 'row';

/** The checks of the keys a payload of some kind may have, then of the fields' values, as one validator. */
function withKeys(keys: Validator): Validator {
  const validate: Validator = (data) => {
    const keysValid = keys(data);
    const fieldsValid = FIELDS_VALIDATOR(data);
    validate.errors =
      keysValid && fieldsValid ? null : [...(keys.errors ?? []), ...(FIELDS_VALIDATOR.errors ?? [])];
    return keysValid && fieldsValid;
  };
  return validate;
}

const VALIDATORS: Readonly<Record<PayloadKind, Validator>> = {
  file: withKeys(FILE_KEYS_VALIDATOR),
  row: withKeys(ROW_KEYS_VALIDATOR),
};

/**
 * The ajv standalone validator of the format (built by scripts/build-validators.mjs): the keys a payload of
 * `kind` may have, and the values of the fields. One validator serves every API version: each field accepts
 * every type some version allows. What a version types more narrowly is listed by `narrowedTypes` and checked
 * in src/core/validate.
 */
export function validatorFor(_version: ApiVersion, kind: PayloadKind = 'file'): Validator {
  return VALIDATORS[kind];
}

/** Every key the schema allows at the root (body fields and reserved `$` keys), in schema order. */
export const ROOT_KEYS: readonly string[] = Object.keys(SCHEMA.properties);

/** Every key the schema allows at the root of a bulk row: ROOT_KEYS and `$external_id`, `$email`. */
export const ROW_KEYS: readonly string[] = Object.keys(ROW_KEYS_SCHEMA.properties);

/** The schema of a row: a file's, with the keys only rows have. */
const ROW_PROPERTIES: CompiledSchema['properties'] = Object.fromEntries(
  ROW_KEYS.map((name) => {
    const own = ROW_KEYS_SCHEMA.properties[name];
    return [name, own === true ? SCHEMA.properties[name] : own];
  }),
);

/** The reserved `$` keys of a payload of `kind`, in schema order. */
export function reservedKeys(kind: PayloadKind = 'file'): readonly string[] {
  return (kind === 'row' ? ROW_KEYS : ROOT_KEYS).filter((k) => k.startsWith('$'));
}

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

const maps: Record<PayloadKind, Map<ApiVersion, ReadonlyMap<string, FieldInfo>>> = {
  file: new Map(),
  row: new Map(),
};

/**
 * What the schema of `version` says about each allowed key (body fields and reserved `$` keys) of a payload
 * of `kind`, built once per version and kind.
 */
export function fieldMap(version: ApiVersion, kind: PayloadKind = 'file'): ReadonlyMap<string, FieldInfo> {
  let map = maps[kind].get(version);
  if (!map) {
    const narrowed = narrowedTypes(version);
    const built = new Map<string, FieldInfo>();
    for (const [name, prop] of Object.entries(kind === 'row' ? ROW_PROPERTIES : SCHEMA.properties)) {
      const types = narrowed.get(name) ?? (Array.isArray(prop.type) ? prop.type : [prop.type]);
      const info: { types: readonly string[]; items?: string; enum?: readonly string[] } = { types };
      if (prop.items) info.items = prop.items.type;
      if (prop.enum) info.enum = prop.enum;
      built.set(name, info);
    }
    map = built;
    maps[kind].set(version, map);
  }
  return map;
}

/** The field table of `version` as a plain object. */
export function fieldsFor(version: ApiVersion): FieldTable {
  return Object.fromEntries(fieldMap(version));
}

export function fieldInfo(
  version: ApiVersion,
  name: string,
  kind: PayloadKind = 'file',
): FieldInfo | undefined {
  return fieldMap(version, kind).get(name);
}

/**
 * What validating a payload of one API version and kind reads from the schema, built once per version and
 * kind.
 */
export interface VersionSchema {
  kind: PayloadKind;
  validate: Validator;
  /** See fieldMap. */
  fields: ReadonlyMap<string, FieldInfo>;
  /** See narrowedTypes. */
  narrowed: ReadonlyMap<string, readonly string[]>;
  /** The fields typed as integers, in schema order. */
  integerFields: readonly string[];
  /** The reserved `$` keys, in schema order (see reservedKeys). */
  reserved: readonly string[];
}

const schemas: Record<PayloadKind, Map<ApiVersion, VersionSchema>> = { file: new Map(), row: new Map() };

export function schemaFor(version: ApiVersion, kind: PayloadKind = 'file'): VersionSchema {
  let schema = schemas[kind].get(version);
  if (!schema) {
    const fields = fieldMap(version, kind);
    const integerFields = [...fields.keys()].filter((name) => fields.get(name)!.types.includes('integer'));
    schema = {
      kind,
      validate: validatorFor(version, kind),
      fields,
      narrowed: narrowedTypes(version),
      integerFields,
      reserved: reservedKeys(kind),
    };
    schemas[kind].set(version, schema);
  }
  return schema;
}
