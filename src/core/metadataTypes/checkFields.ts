import { fitOf } from '../parse/parser';
import { Fit } from '../parse/shapes';
import type { JsonNode } from '../parse/tree';
import type { DraftDiagnostic } from '../validate/draft';
import { checkMetadata } from './check';
import { conforms } from './conforms';
import { INTERFACE_OF, type MetadataField, type MetadataMode, type MetadataTypes } from './model';
import { metadataModeOfRoot } from '../metadata/mode';

/**
 * The typed checks of a file's (or row's) root object: each metadata field that is an object, against its
 * declaration, in the mode of the file's `$metadata` key (`mode`, when the caller has read it already).
 * Nothing when no field is declared.
 *
 * Three steps, each for what the one before leaves open. The parser, given the declarations compiled into
 * shapes (./compile), checked each value as it read it: `fits` (ParseResult.fits) says which fit, and those
 * are done with nothing more to read. Otherwise the value as JSON.parse reads it is asked (./conforms: a
 * union of several object types, a value with a syntax problem inside); and only a value that does not
 * conform has its syntax tree walked for the exact ranges (./check).
 */
export function checkMetadataFields(
  root: JsonNode,
  types: MetadataTypes,
  text: string,
  mode?: MetadataMode,
  fits?: readonly number[],
): DraftDiagnostic[] {
  let out: DraftDiagnostic[] | undefined;
  let reported: Set<never> | undefined;
  const props = root.children;
  if (!props) return [];
  for (let i = 0; i < props.length; i++) {
    const kids = props[i].children as JsonNode[];
    const value = kids[1];
    if (value === undefined || value.type !== 'object') continue;
    const field = fieldOf(kids[0].value);
    const declared = field && types.fields[field];
    if (!field || !declared) continue;
    mode ??= metadataModeOfRoot(root);
    if ((fitOf(fits, value.offset) & (mode === 'merge' ? Fit.AsMerge : Fit.AsReplace)) !== 0) continue;
    if (conforms(parsed(text.slice(value.offset, value.offset + value.length)), declared, types, mode))
      continue;
    reported ??= new Set();
    const found = checkMetadata(value, declared, {
      types,
      mode,
      interfaceName: INTERFACE_OF[field],
      pointer: `/${field}`,
      reported,
    });
    if (found.length > 0) (out ??= []).push(...found);
  }
  return out ?? [];
}

/** The metadata field a root key names, if it names one. */
function fieldOf(key: unknown): MetadataField | undefined {
  return key === 'public_metadata' || key === 'private_metadata' || key === 'unsafe_metadata'
    ? key
    : undefined;
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
