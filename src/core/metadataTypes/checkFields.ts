import type { JsonNode } from '../parse/tree';
import type { DraftDiagnostic } from '../validate/draft';
import { checkMetadata } from './check';
import { INTERFACE_OF, METADATA_FIELDS, type MetadataField, type MetadataTypes } from './model';
import { metadataModeOf } from './mode';

const IS_FIELD: ReadonlySet<string> = new Set(METADATA_FIELDS);

/**
 * The typed checks of a file's (or row's) root object: each metadata field that is an object, against its
 * declaration, in the mode of the file's `$metadata` key. Nothing when no field is declared.
 */
export function checkMetadataFields(root: JsonNode, types: MetadataTypes): DraftDiagnostic[] {
  let out: DraftDiagnostic[] | undefined;
  let mode: ReturnType<typeof metadataModeOf> | undefined;
  const reported = new Set<never>();
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children as JsonNode[];
    if (!value || value.type !== 'object' || !IS_FIELD.has(key.value)) continue;
    const field = key.value as MetadataField;
    const declared = types.fields[field];
    if (!declared) continue;
    mode ??= metadataModeOf(root);
    const found = checkMetadata(value, declared, { types, mode, interfaceName: INTERFACE_OF[field], pointer: `/${field}`, reported });
    if (found.length > 0) (out ??= []).push(...found);
  }
  return out ?? [];
}
