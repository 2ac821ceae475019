import type { QuickFix } from '../diagnostics';
import type { JsonNode } from '../parse/parser';
import { type AjvError, type VersionSchema } from '../schema';
import { clip, quote } from '../text/clip';
import { segmentsOf, toPointer } from '../text/pointer';
import { API_VERSIONS, DEFAULT_API_VERSION, METADATA_FIELDS, type ApiVersion } from '../versions';
import { DiagnosticCode } from '../codes';
import { draftAt, replaceFix, type DraftDiagnostic } from './draft';
import type { Entry, ShapedPayload } from './shape';
import { suggestField, suggestValue } from './suggest';
import { actualProse, allowedProse, isSecret, label, quoted } from './wording';

/** "'$schema', '$user_id' and '$api_version'" */
function listed(keys: readonly string[]): string {
  return keys
    .map(quoted)
    .join(', ')
    .replace(/, (?=[^,]*$)/, ' and ');
}

/**
 * ajv's errors on the shallow data as diagnostics at exact ranges: first the keys that are not fields of
 * `version` (every occurrence, in text order), then one diagnostic per value the schema rejects (its
 * `path` is the value's pointer), then the values the common validator accepts but `version` types more
 * narrowly (e.g. metadata, an object under 2026-05-12).
 */
export function mapSchemaErrors(
  errors: readonly AjvError[],
  root: JsonNode,
  shaped: ShapedPayload,
  schema: VersionSchema,
  version: ApiVersion,
  text: string,
): DraftDiagnostic[] {
  const found: DraftDiagnostic[] = [];
  const unknown = new Set<string>();
  // One error per value, a type error rather than another keyword's.
  const byPath = new Map<string, AjvError>();
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      unknown.add(String(e.params.additionalProperty));
      continue;
    }
    const seen = byPath.get(e.instancePath);
    if (!seen || (seen.keyword !== 'type' && e.keyword === 'type')) byPath.set(e.instancePath, e);
  }

  if (unknown.size > 0) {
    for (const prop of root.children ?? []) {
      const key = (prop.children as JsonNode[])[0];
      const name = key.value as string;
      if (unknown.has(name)) found.push(unknownProperty(name, key, version, shaped.last, schema));
    }
  }

  for (const [path, e] of byPath) {
    const [name, index] = segmentsOf(path);
    const entry = shaped.last.get(name);
    if (!entry?.value) continue;
    const node =
      index !== undefined ? ((entry.value.children ?? [])[Number(index)] ?? entry.value) : entry.value;
    const info = schema.fields.get(name);
    if (e.keyword === 'type') {
      const types =
        index !== undefined
          ? [info?.items ?? String(e.params.type)]
          : (info?.types ?? String(e.params.type ?? 'valid').split(','));
      found.push(wrongType(path, node, types, index !== undefined ? undefined : info?.items, text));
    } else if (e.keyword === 'enum') {
      const allowed = (info?.enum ??
        (e.params.allowedValues as string[] | undefined) ??
        []) as readonly string[];
      found.push(badEnumValue(path, name, node, allowed));
    } else {
      found.push(
        draftAt(node, {
          code: DiagnosticCode.WrongType,
          message: `${label(path)} ${e.message ?? 'is not valid'}.`,
          path,
        }),
      );
    }
  }

  for (const [name, types] of schema.narrowed) {
    const v = shaped.last.get(name)?.value;
    if (!v || fitsTypes(v, types)) continue;
    const path = toPointer([name]);
    if (byPath.has(path)) continue; // already reported
    if (v.type === 'null' && (METADATA_FIELDS as readonly string[]).includes(name)) {
      found.push(
        draftAt(v, {
          code: DiagnosticCode.MetadataNull,
          message: `${quoted(name)} cannot be null under API version ${version}: it is sent with PUT /v1/users/{id}/metadata, which takes an object. Write {} to clear it, or remove the key to leave it unchanged.`,
          path,
          fixes: [replaceFix(`Write {} (clears ${quoted(name)})`, v, '{}')],
        }),
      );
    } else {
      found.push(wrongType(path, v, types, schema.fields.get(name)?.items, text));
    }
  }
  return found;
}

function fitsTypes(node: JsonNode, types: readonly string[]): boolean {
  if (node.type === 'number')
    return types.includes('number') || (types.includes('integer') && Number.isInteger(node.value));
  return types.includes(node.type);
}

function unknownProperty(
  name: string,
  key: JsonNode,
  version: ApiVersion,
  present: ReadonlyMap<string, Entry>,
  schema: VersionSchema,
): DraftDiagnostic {
  const suggestion = suggestField(name, version, schema.kind);
  const fixes: QuickFix[] = [];
  if (suggestion && !present.has(suggestion.field)) {
    fixes.push(replaceFix(`Rename to ${quoted(suggestion.field)}`, key, JSON.stringify(suggestion.field)));
  }
  let message: string;
  if (suggestion?.kind === 'camelCase') {
    message = `${quoted(name)} is not a field: Clerk's API spells it ${quoted(suggestion.field)} (snake_case).`;
  } else if (name.startsWith('$')) {
    message = `${quoted(name)} is not a reserved key. The reserved keys are ${listed(schema.reserved)}.`;
    if (suggestion) message += ` Did you mean ${quoted(suggestion.field)}?`;
  } else {
    message = `${quoted(name)} is not a field of the user update (API version ${version}); Clerk rejects unknown fields.`;
    if (suggestion) message += ` Did you mean ${quoted(suggestion.field)}?`;
  }
  return draftAt(key, { code: DiagnosticCode.UnknownProperty, message, path: toPointer([name]), fixes });
}

function wrongType(
  path: string,
  node: JsonNode,
  types: readonly string[],
  items: string | undefined,
  text: string,
): DraftDiagnostic {
  const raw = text.slice(node.offset, node.offset + node.length);
  // The value found is named (a secret's never): "not a string ("abc")".
  const found =
    !isSecret(path) && (node.type === 'string' || node.type === 'number') ? ` (${clip(raw)})` : '';
  const message = `${label(path)} must be ${allowedProse(types, items)}, not ${actualProse(node)}${found}.`;
  const fixes: QuickFix[] = [];
  if (node.type === 'string') {
    const s = node.value as string;
    if (types.includes('boolean') && (s === 'true' || s === 'false'))
      fixes.push(replaceFix(`Write ${s} without quotes`, node, s));
    if (types.includes('null') && s === 'null')
      fixes.push(replaceFix('Write null without quotes', node, 'null'));
    if ((types.includes('integer') || types.includes('number')) && /^-?(0|[1-9]\d{0,14})$/.test(s))
      fixes.push(replaceFix(`Write ${s} without quotes`, node, s));
  } else if ((node.type === 'number' || node.type === 'boolean') && types.includes('string')) {
    fixes.push(
      replaceFix(
        isSecret(path) ? 'Put the value in quotes' : `Put ${clip(raw)} in quotes`,
        node,
        JSON.stringify(raw),
      ),
    );
  }
  if (node.type === 'string' && types.includes('array') && items === 'string' && fixes.length === 0) {
    fixes.push(replaceFix('Wrap the value in an array', node, `[${raw}]`));
  }
  return draftAt(node, { code: DiagnosticCode.WrongType, message, path, fixes });
}

function badEnumValue(
  path: string,
  name: string,
  node: JsonNode,
  allowed: readonly string[],
): DraftDiagnostic {
  const given = quote(node.value);
  if (name === '$api_version') {
    const fixes = [...API_VERSIONS]
      .reverse()
      .map((v) => replaceFix(`Use API version ${v}`, node, JSON.stringify(v), v === DEFAULT_API_VERSION));
    return draftAt(node, {
      path,
      code: DiagnosticCode.UnknownApiVersion,
      message: `${quoted(name)} ${given} is not a documented Clerk API version. Use one of ${API_VERSIONS.join(', ')}.`,
      fixes,
    });
  }
  const guess = typeof node.value === 'string' ? suggestValue(node.value, allowed) : undefined;
  let message = `${label(path)} must be one of ${allowed.join(', ')}; ${given} is not supported.`;
  if (guess) message += ` Did you mean ${quoted(guess)}?`;
  return draftAt(node, {
    path,
    code: DiagnosticCode.InvalidEnumValue,
    message,
    fixes: guess ? [replaceFix(`Use ${quoted(guess)}`, node, JSON.stringify(guess))] : undefined,
  });
}
