import type { ApiVersion } from '../versions';
import { SCHEMAS, VALIDATORS } from './generated';
import type { CompiledSchema, FieldInfo, FieldTable, Validator } from './types';

export type { AjvError, FieldInfo, FieldTable, Validator } from './types';

/** The ajv standalone validator of the file format for an API version (built by scripts/build-validators.mjs). */
export function validatorFor(version: ApiVersion): Validator {
  return VALIDATORS[version];
}

const maps = new Map<CompiledSchema, ReadonlyMap<string, FieldInfo>>();

/** What the schema of `version` says about each allowed key (body fields and reserved `$` keys), built once per schema. */
export function fieldMap(version: ApiVersion): ReadonlyMap<string, FieldInfo> {
  const schema = SCHEMAS[version];
  let map = maps.get(schema);
  if (!map) {
    const built = new Map<string, FieldInfo>();
    for (const [name, prop] of Object.entries(schema.properties)) {
      const info: { types: readonly string[]; items?: string; enum?: readonly string[] } = { types: Array.isArray(prop.type) ? prop.type : [prop.type] };
      if (prop.items) info.items = prop.items.type;
      if (prop.enum) info.enum = prop.enum;
      built.set(name, info);
    }
    map = built;
    maps.set(schema, map);
  }
  return map;
}

/** The field table of `version` as a plain object. */
export function fieldsFor(version: ApiVersion): FieldTable {
  return Object.fromEntries(fieldMap(version));
}

export function fieldInfo(version: ApiVersion, name: string): FieldInfo | undefined {
  return fieldMap(version).get(name);
}
