import type { JsonNode } from '../parse/tree';
import type { MetadataMode } from './model';

/**
 * How the metadata of a file is written: the root's `$metadata` key ('merge', the default, or 'replace'). The one
 * place the typed checks learn the mode; a `$metadata` that is neither is the schema's problem, read as 'merge'.
 */
export function metadataModeOf(root: JsonNode | undefined): MetadataMode {
  let mode: MetadataMode = 'merge';
  for (const prop of root?.children ?? []) {
    const [key, value] = prop.children as JsonNode[];
    if (key?.value === '$metadata' && value) mode = value.value === 'replace' ? 'replace' : 'merge';
  }
  return mode;
}
