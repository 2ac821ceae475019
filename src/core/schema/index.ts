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

export function fieldInfo(version: ApiVersion, name: string): FieldInfo | undefined {
  const table = FIELDS[version];
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}
