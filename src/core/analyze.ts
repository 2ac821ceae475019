import type * as jsonc from 'jsonc-parser';
import type { CoreDiagnostic } from './diagnostics';
import { KeyTable, MAX_DEPTH, parseDocument, type JsonNode } from './parse/parser';
import { type PayloadKind, ROOT_KEYS, ROW_KEYS } from './schema';
import { CODE_INFO, DiagnosticCode } from './codes';
import { draft, draftAt, replaceFix, toDiagnostics, type DraftDiagnostic } from './validate/draft';
import { validatePayload } from './validate/validate';
import { isApiVersion, type ApiVersion } from './versions';
import { METADATA_MODE_KEY, type MetadataMode, metadataModeOf } from './metadata/mode';
import { checkMetadataFields } from './metadataTypes/checkFields';
import { metadataShapes } from './metadataTypes/compile';
import type { MetadataTypes } from './metadataTypes/model';
import { formatCount } from './text/format';

const MAX_DEPTH_TEXT = formatCount(MAX_DEPTH);
/** The root keys the schema knows, shared with the validator (see KeyTable). */
const KEYS = new KeyTable(ROOT_KEYS);
const ROW_KEY_TABLE = new KeyTable(ROW_KEYS);

export interface AnalyzeOptions {
  /** The `clerkUserUpdate.apiVersion` setting, or the CLI's --api-version. */
  defaultApiVersion: ApiVersion;
  /**
   * `file` (the default): a `*.userupdate.json`. `row`: one row of a bulk file (src/core/bulk), validated
   * against the row schema, which also has the reserved keys `$external_id` and `$email`.
   */
  kind?: PayloadKind;
  /** The team's metadata declarations (src/core/metadataTypes), if any: metadata is checked against them. */
  metadataTypes?: MetadataTypes;
}

export interface Analysis {
  /** Sorted by offset; each problem once. */
  diagnostics: CoreDiagnostic[];
  /** The file's `$api_version` if it is a documented version, else `defaultApiVersion`. */
  apiVersion: ApiVersion;
  /** `$user_id` when it is a string. */
  userId: string | undefined;
  /**
   * How the document's metadata fields are sent, from `$metadata` (the last occurrence wins): `merge` (the
   * default, also for a value that is not a known mode) or `replace`. The same for each of its metadata
   * fields.
   */
  metadataMode: MetadataMode;
  /**
   * The jsonc-parser tree of the root object (undefined if the root is not an object). Below the root's
   * property values, children are built on first access of `children`.
   */
  root: jsonc.Node | undefined;
  hasErrors: boolean;
}

/**
 * The analysis with a problem found while reading the file (bytes that are not UTF-8) added, in
 * offset order: an error, so the send gate blocks as it blocks any other.
 */
export function withReadProblem(analysis: Analysis, problem: CoreDiagnostic | undefined): Analysis {
  if (!problem) return analysis;
  const diagnostics = [...analysis.diagnostics, problem].sort(
    (a, b) => a.offset - b.offset || a.length - b.length,
  );
  return { ...analysis, diagnostics, hasErrors: true };
}

/** The whole diagnostics pipeline for the text of a *.userupdate.json. Never throws. */
export function analyzeDocument(text: string, options: AnalyzeOptions): Analysis {
  // With declarations, the parser checks each metadata value against them as it reads it (parse/shapes.ts).
  const shapes = options.metadataTypes ? metadataShapes(options.metadataTypes) : undefined;
  const parsed = parseDocument(text, options.kind === 'row' ? ROW_KEY_TABLE : KEYS, shapes);
  const drafts: DraftDiagnostic[] = [];
  const rootValue = parsed.root;

  for (const p of parsed.problems) drafts.push(draft(p));
  for (const u of parsed.unpairedSurrogates) {
    const unit = text.charCodeAt(u.offset).toString(16).toUpperCase();
    drafts.push(
      draftAt(u, {
        code: DiagnosticCode.UnpairedSurrogate,
        message: `Unpaired surrogate U+${unit}: not valid Unicode, it would be sent as U+FFFD. Remove it or complete the character.`,
        path: u.path,
        fixes: [replaceFix(`Remove U+${unit}`, u, '')],
      }),
    );
  }

  let apiVersion = options.defaultApiVersion;
  let userId: string | undefined;
  let metadataMode: MetadataMode = 'merge';
  let root: JsonNode | undefined;

  if (!rootValue) {
    if (parsed.complete) {
      const start = parsed.problems.length > 0 && parsed.problems[0].code === DiagnosticCode.Bom ? 1 : 0;
      drafts.push(
        draft({
          code: DiagnosticCode.EmptyFile,
          message:
            'The file is empty. A user update is a JSON object, e.g. {"$user_id": "user_…", "first_name": "Ada"}.',
          path: '',
          offset: start,
          length: 0,
        }),
      );
    }
  } else if (rootValue.type !== 'object') {
    drafts.push(
      draftAt(rootValue, {
        code: DiagnosticCode.RootNotObject,
        message: `The file must be a JSON object of fields to update, not ${rootValue.type === 'array' ? 'an array' : rootValue.type === 'null' ? 'null' : `a ${rootValue.type}`}.`,
        path: '',
      }),
    );
  } else {
    root = rootValue;
    // Reserved keys: the last occurrence wins, as for every key.
    for (const prop of root.children ?? []) {
      const [key, value] = prop.children as JsonNode[];
      if (!value) continue;
      if (key.value === '$api_version' && isApiVersion(value.value)) apiVersion = value.value;
      else if (key.value === '$api_version') apiVersion = options.defaultApiVersion;
      if (key.value === '$user_id') userId = typeof value.value === 'string' ? value.value : undefined;
      if (key.value === METADATA_MODE_KEY) metadataMode = metadataModeOf(value.value);
    }
    if (parsed.tooDeep) {
      drafts.push(
        draftAt(parsed.tooDeep, {
          code: DiagnosticCode.NestingTooDeep,
          message: `Objects and arrays are nested more than ${MAX_DEPTH_TEXT} levels deep here; nothing this deep is sent.`,
          path: parsed.tooDeep.path,
        }),
      );
    }
    for (const d of validatePayload(root, {
      version: apiVersion,
      text,
      complete: parsed.complete,
      hugeNumbers: parsed.hugeNumbers,
      kind: options.kind,
    }))
      drafts.push(d);
    if (options.metadataTypes)
      for (const d of checkMetadataFields(root, options.metadataTypes, text, metadataMode, parsed.fits))
        drafts.push(d);
  }

  const { diagnostics, hasErrors } = toDiagnostics(text, drafts);
  return { diagnostics, apiVersion, userId, metadataMode, root, hasErrors };
}

export { CODE_INFO, DiagnosticCode };
export { suggestField, toSnakeCase, type FieldSuggestion } from './validate/suggest';
