import type { ApiVersion } from '../versions';
import { FIELDS, VALIDATORS } from './generated';
import type { FieldInfo, FieldTable, Validator } from './types';

export type { AjvError, FieldInfo, FieldTable, Validator } from './types';

/** The ajv standalone validator of the file format for an API version (built by scripts/build-validators.mjs). */
export function validatorFor(version: ApiVersion): Validator {
  return VALIDATORS[version];
}

/** What the schema of `version` says about each allowed key (body fields and reserved `$` keys). */
export function fieldsFor(version: ApiVersion): FieldTable {
  return FIELDS[version];
}

const maps = new Map<FieldTable, ReadonlyMap<string, FieldInfo>>();

/** The field table of `version` as a Map (built once per distinct table). */
export function fieldMap(version: ApiVersion): ReadonlyMap<string, FieldInfo> {
  const table = FIELDS[version];
  let map = maps.get(table);
  if (!map) {
    map = new Map(Object.entries(table));
    maps.set(table, map);
  }
  return map;
}

export function fieldInfo(version: ApiVersion, name: string): FieldInfo | undefined {
  return fieldMap(version).get(name);
}
