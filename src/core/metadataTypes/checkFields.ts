import type { JsonNode } from '../parse/tree';
import { copyOf } from '../text/copy';
import type { DraftDiagnostic } from '../validate/draft';
import { checkMetadata } from './check';
import { conforms } from './conforms';
import {
  INTERFACE_OF,
  METADATA_FIELDS,
  type MetadataField,
  type MetadataMode,
  type MetadataTypes,
} from './model';
import { metadataModeOfRoot } from '../metadata/mode';

const IS_FIELD: ReadonlySet<string> = new Set(METADATA_FIELDS);
/** Values longer than this are not remembered as conforming (they are rare, and would hold memory). */
const MAX_REMEMBERED_LENGTH = 512;
/**
 * Values shorter than this are not remembered either: parsing them again costs less than copying and hashing.
 */
const MIN_REMEMBERED_LENGTH = 48;
/** Conforming values remembered per declarations (then forgotten all at once). */
const MAX_REMEMBERED = 4096;

/**
 * Metadata values (field, mode and text as written) known to conform to each declarations value. The rows of
 * a
 * bulk file repeat their metadata ("plan": "pro" for thousands of users), and a keystroke re-checks a file
 * whose
 * metadata has not changed: neither parses it again. Keyed weakly by the declarations, so a new read of them
 * starts afresh and an old one is dropped with its entries.
 */
const remembered = new WeakMap<MetadataTypes, Map<string, Set<string>>>();

/**
 * The typed checks of a file's (or row's) root object: each metadata field that is an object, against its
 * declaration, in the mode of the file's `$metadata` key. Nothing when no field is declared. A field whose
 * value
 * (JSON.parse of its `text`) conforms is done without walking its syntax tree (./conforms); the others are
 * walked for the exact ranges.
 */
export function checkMetadataFields(root: JsonNode, types: MetadataTypes, text: string): DraftDiagnostic[] {
  let out: DraftDiagnostic[] | undefined;
  let mode: MetadataMode | undefined;
  let reported: Set<never> | undefined;
  for (const prop of root.children ?? []) {
    const [key, value] = prop.children as JsonNode[];
    if (!value || value.type !== 'object' || !IS_FIELD.has(key.value)) continue;
    const field = key.value as MetadataField;
    const declared = types.fields[field];
    if (!declared) continue;
    mode ??= metadataModeOfRoot(root);
    const written = text.slice(value.offset, value.offset + value.length);
    const memo = written.length >= MIN_REMEMBERED_LENGTH && written.length <= MAX_REMEMBERED_LENGTH;
    const known = memo ? knownFor(types, mode === 'merge' ? field : `${field} replace`) : undefined;
    if (known?.has(written)) continue;
    if (conforms(parsed(written), declared, types, mode)) {
      if (!known) continue;
      if (known.size >= MAX_REMEMBERED) known.clear();
      known.add(copyOf(written));
      continue;
    }
    reported ??= new Set();
    const interfaceName = INTERFACE_OF[field];
    const found = checkMetadata(value, declared, {
      types,
      mode,
      interfaceName,
      pointer: `/${field}`,
      reported,
    });
    if (found.length > 0) (out ??= []).push(...found);
  }
  return out ?? [];
}

/** The set of conforming values of one field (and mode) under `types`. */
function knownFor(types: MetadataTypes, key: string): Set<string> {
  let byField = remembered.get(types);
  if (!byField) remembered.set(types, (byField = new Map()));
  let known = byField.get(key);
  if (!known) byField.set(key, (known = new Set()));
  return known;
}

const UNPARSED = Symbol('unparsed');

/** The value as written, or UNPARSED (which conforms to nothing) when it is not strict JSON. */
function parsed(written: string): unknown {
  try {
    return JSON.parse(written);
  } catch {
    return UNPARSED;
  }
}
