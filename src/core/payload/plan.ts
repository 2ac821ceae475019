import type * as jsonc from 'jsonc-parser';
import { type ApiVersion, METADATA_FIELDS, metadataSentSeparately } from '../versions';
import { type MetadataMode, metadataModeOfRoot } from '../metadata/mode';

/** One HTTP request that a send performs, in order. */
export interface PlannedRequest {
  method: 'PATCH' | 'PUT';
  /**
   * For the metadata endpoint: `merge` (PATCH, deep merge) or `replace` (PUT, or metadata in the user PATCH).
   */
  metadata?: MetadataMode;
  /** Path below the API URL, e.g. `/v1/users/user_123` or `/v1/users/user_123/metadata`. */
  path: string;
  /**
   * The exact JSON text to send. It is the file text with the keys that do not belong to this
   * request removed; everything else (spacing, key order, number spellings, escapes) is kept
   * byte for byte.
   */
  body: string;
  /** The top-level fields this request carries, in file order. */
  fields: string[];
}

/** The path of `PATCH /v1/users/{user_id}` for a user id (the id is percent-encoded). */
export function userPath(userId: string): string {
  return `/v1/users/${encodeURIComponent(userId)}`;
}

/** The path of `PUT|PATCH /v1/users/{user_id}/metadata`. */
export function metadataPath(userId: string): string {
  return `${userPath(userId)}/metadata`;
}

/** True for the reserved keys (`$schema`, `$user_id`, `$api_version`, …) that are never sent. */
export function isReservedKey(key: string): boolean {
  return key.startsWith('$');
}

function isMetadataKey(key: string): boolean {
  return (METADATA_FIELDS as readonly string[]).includes(key);
}

/** Whether a document's metadata fields go in a request of their own (merge mode, or 2026-05-12 on). */
function metadataApart(mode: MetadataMode, apiVersion: ApiVersion): boolean {
  return mode === 'merge' || metadataSentSeparately(apiVersion);
}

/** The request a top-level key goes in: the user's PATCH, the metadata request, or none (`$` keys). */
function destination(key: string, separate: boolean): 'user' | 'metadata' | undefined {
  if (isReservedKey(key)) return undefined;
  return separate && isMetadataKey(key) ? 'metadata' : 'user';
}

function metadataMethod(mode: MetadataMode): PlannedRequest['method'] {
  return mode === 'merge' ? 'PATCH' : 'PUT';
}

/** The kind of a planned request: its method, and whether it goes to the metadata endpoint. */
export interface RequestKind {
  method: PlannedRequest['method'];
  metadata: boolean;
}

/**
 * The requests `planRequests` makes for a document with these top-level keys, in order, without their bodies
 * (to count a plan's requests without building them).
 */
export function requestKinds(
  keys: readonly string[],
  mode: MetadataMode,
  apiVersion: ApiVersion,
): RequestKind[] {
  const separate = metadataApart(mode, apiVersion);
  let user = false;
  let metadata = false;
  for (const key of keys) {
    const to = destination(key, separate);
    if (to === 'user') user = true;
    else if (to === 'metadata') metadata = true;
  }
  const kinds: RequestKind[] = [];
  if (user) kinds.push({ method: 'PATCH', metadata: false });
  if (metadata) kinds.push({ method: metadataMethod(mode), metadata: true });
  return kinds;
}

interface Property {
  key: string;
  /** Offset of the key's opening quote. */
  start: number;
  /** Offset just after the value. */
  end: number;
}

function propertiesOf(root: jsonc.Node): Property[] {
  const out: Property[] = [];
  for (const prop of root.children ?? []) {
    if (prop.type !== 'property') continue;
    const keyNode = prop.children?.[0];
    if (!keyNode || typeof keyNode.value !== 'string') continue;
    out.push({ key: keyNode.value, start: prop.offset, end: prop.offset + prop.length });
  }
  return out;
}

/**
 * The text of the root object with only the properties for which `keep` is true, by offset
 * surgery: the kept properties, the separators in front of them and the text around the object
 * are copied unchanged. Returns undefined when nothing is kept.
 */
function keepProperties(
  text: string,
  root: jsonc.Node,
  keep: (key: string) => boolean,
): { body: string; fields: string[] } | undefined {
  const props = propertiesOf(root);
  const kept = props.map((p) => keep(p.key));
  if (!kept.includes(true)) return undefined;
  const open = root.offset + 1; // just after `{`
  let body = text.slice(0, open);
  let first = true;
  const fields: string[] = [];
  for (let i = 0; i < props.length; i++) {
    if (!kept[i]) continue;
    const p = props[i];
    if (first) {
      // The whitespace that originally led the first property, then this property.
      const leadEnd = props[0].start;
      body += text.slice(open, leadEnd) + text.slice(p.start, p.end);
      first = false;
    } else {
      // The separator (`,` and whitespace) that originally preceded this property.
      body += text.slice(props[i - 1].end, p.end);
    }
    fields.push(p.key);
  }
  body += text.slice(props[props.length - 1].end);
  if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
  return { body, fields };
}

/**
 * What sending this document does, as an ordered list of requests.
 *
 * - Every `$` key is removed from the body; nothing else changes.
 * - `"$metadata": "merge"` (the default): `public_metadata`, `private_metadata` and `unsafe_metadata` go to
 *   `PATCH /v1/users/{id}/metadata` (deep merge, null deletes a key) under every API version, after the
 *   user's PATCH when the document has other fields.
 * - `"$metadata": "replace"`: under API versions that send metadata separately (2026-05-12) the metadata
 *   fields move to `PUT /v1/users/{id}/metadata` (replace per field), sent after the PATCH; before, they stay
 *   in the PATCH body (which replaces them too).
 * - A document with only metadata gives only the metadata request; one with nothing to send gives `[]`.
 *
 * @param text the document text (unsaved edits included)
 * @param root the jsonc-parser node of the root object of `text` (from `analyzeDocument`)
 * @param userId the target user id
 * @param apiVersion the effective API version of the document
 */
export function planRequests(
  text: string,
  root: jsonc.Node,
  userId: string,
  apiVersion: ApiVersion,
): PlannedRequest[] {
  if (root.type !== 'object') return [];
  const mode = metadataModeOfRoot(root);
  const separate = metadataApart(mode, apiVersion);
  const requests: PlannedRequest[] = [];
  const patch = keepProperties(text, root, (key) => destination(key, separate) === 'user');
  if (patch)
    requests.push({ method: 'PATCH', path: userPath(userId), body: patch.body, fields: patch.fields });
  if (separate) {
    const meta = keepProperties(text, root, (key) => destination(key, separate) === 'metadata');
    if (meta)
      requests.push({
        method: metadataMethod(mode),
        path: metadataPath(userId),
        body: meta.body,
        fields: meta.fields,
        metadata: mode,
      });
  }
  return requests;
}
