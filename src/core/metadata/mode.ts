import { METADATA_FIELDS, type MetadataField } from '../versions';

/**
 * How a file's metadata fields are sent. `merge` (the default): `PATCH /v1/users/{id}/metadata`, only the
 * given keys change and `null` deletes one. `replace`: each given field replaces the user's whole field.
 */
export type MetadataMode = 'merge' | 'replace';

export const METADATA_MODES: readonly MetadataMode[] = ['merge', 'replace'];

/** The reserved key that chooses the mode, in a file, a JSONL row or a CSV column. */
export const METADATA_MODE_KEY = '$metadata';

/**
 * The mode a `$metadata` value chooses: `replace` only when it says so, `merge` otherwise (absent, unknown).
 */
export function metadataModeOf(value: unknown): MetadataMode {
  return value === 'replace' ? 'replace' : 'merge';
}

export function isMetadataField(key: string): key is MetadataField {
  return (METADATA_FIELDS as readonly string[]).includes(key);
}

/** A parsed node as far as the mode needs it: an object's properties, each a key and a value. */
interface ObjectNode {
  children?: Array<{ children?: Array<{ value?: unknown }> }>;
}

/** The mode of a document or row: its root's `$metadata` (the last one counts), `merge` without one. */
export function metadataModeOfRoot(root: ObjectNode | undefined): MetadataMode {
  let mode: MetadataMode = 'merge';
  for (const prop of root?.children ?? []) {
    const [key, value] = prop.children ?? [];
    if (key?.value === METADATA_MODE_KEY) mode = metadataModeOf(value?.value);
  }
  return mode;
}
