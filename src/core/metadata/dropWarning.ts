import type { Analysis } from '../analyze';
import type { ClerkUser } from '../clerk/types';
import { DiagnosticCode } from '../codes';
import type { CoreDiagnostic } from '../diagnostics';
import type { JsonNode } from '../parse/parser';
import { payloadValue } from '../payload/value';
import { toPointer } from '../text/pointer';
import { currentValue } from '../users/editable';
import { draftAt, type DraftDiagnostic, toDiagnostics } from '../validate/draft';
import { metadataModeFix } from '../validate/rules';
import { quoted } from '../validate/wording';
import { droppedKeys } from './merge';
import { isMetadataField, METADATA_MODE_KEY } from './mode';
import { isRecord, joinPath, splitPath } from './paths';

/** Dropped keys named in a message; the rest are counted. */
export const DROPPED_KEYS_NAMED = 5;

/**
 * The keys a `*.userupdate.json` with `"$metadata": "replace"` would drop from `known`, the user as last
 * read (a preview, a send): a warning on each metadata field's key that names them, with the quick fix
 * that merges instead. Nothing when the file merges, when it targets another user than `known`, or when
 * a field keeps every key the user has. A field given as `null` drops them all (as `{}` would); a value
 * of another type is left to the type check.
 */
export function droppedKeysDiagnostics(
  text: string,
  analysis: Pick<Analysis, 'root' | 'metadataMode' | 'userId'>,
  known: ClerkUser,
): CoreDiagnostic[] {
  const root = analysis.root as JsonNode | undefined;
  if (!root || analysis.metadataMode !== 'replace' || analysis.userId !== known.id) return [];
  // The last occurrence of a key counts, as in what is sent.
  const keys = new Map<string, JsonNode>();
  let modeValue: JsonNode | undefined;
  for (const prop of root.children ?? []) {
    const [key, value] = (prop.children ?? []) as JsonNode[];
    if (!key || !value || typeof key.value !== 'string') continue;
    if (key.value === METADATA_MODE_KEY) modeValue = value;
    else if (isMetadataField(key.value)) keys.set(key.value, key);
  }
  if (keys.size === 0) return [];
  const payload = payloadValue(root);
  const drafts: DraftDiagnostic[] = [];
  for (const [field, key] of keys) {
    const given = payload[field];
    if (given !== null && !isRecord(given)) continue;
    const dropped = droppedKeys(field, currentValue(known, field), given ?? {});
    if (dropped.length === 0) continue;
    drafts.push(
      draftAt(key, {
        code: DiagnosticCode.MetadataKeysDropped,
        message: `${quoted(field)} replaces the user's whole ${field}: it would drop ${namedKeys(dropped)} (as of the last read of ${known.id}).`,
        path: toPointer([field]),
        fixes: [metadataModeFix('merge', key, modeValue, text)],
      }),
    );
  }
  return toDiagnostics(text, drafts).diagnostics;
}

/** "'plan', 'team'", or "'a', 'b', 'c', 'd', 'e' and 3 more": key paths below their field, quoted. */
function namedKeys(paths: readonly string[]): string {
  const names = paths.map((p) => quoted(joinPath(splitPath(p).slice(1))));
  const shown = names.slice(0, DROPPED_KEYS_NAMED).join(', ');
  return names.length > DROPPED_KEYS_NAMED ? `${shown} and ${names.length - DROPPED_KEYS_NAMED} more` : shown;
}
