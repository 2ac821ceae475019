/**
 * The team's own metadata types (`UserPublicMetadata`, `UserPrivateMetadata`, `UserUnsafeMetadata`), as a
 * plain value: read from TypeScript declarations (./fromDeclarations) or a JSON Schema (./fromJsonSchema) at
 * the edge, handed to the core as data, checked by ./check. No part of it reads a file.
 */

/** The three metadata fields of a user update. */
export type MetadataField = 'public_metadata' | 'private_metadata' | 'unsafe_metadata';
export const METADATA_FIELDS: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
  'unsafe_metadata',
];

/** The interface that declares each field's shape. */
export const INTERFACE_OF: Readonly<Record<MetadataField, string>> = {
  public_metadata: 'UserPublicMetadata',
  private_metadata: 'UserPrivateMetadata',
  unsafe_metadata: 'UserUnsafeMetadata',
};

/** Where a declaration is written: a workspace-relative (or absolute) path and a 0-based line. */
export interface DeclarationSource {
  file: string;
  line: number;
}

/** A declared type, as far as we check it. */
export type MetaType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'null' }
  /** `unknown`, `any`, `object`, `{}`: anything goes, silently. */
  | { kind: 'unknown' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'union'; types: MetaType[] }
  | MetaObject
  | { kind: 'array'; element: MetaType }
  /** A type alias or interface declared in the same files, looked up in MetadataTypes.named. */
  | { kind: 'ref'; name: string; source?: DeclarationSource }
  /** What we do not check (a `Date`, a function, a generic): any value, with one information diagnostic. */
  | { kind: 'unsupported'; text: string; source?: DeclarationSource };

export interface MetaObject {
  kind: 'object';
  /** Own keys only (a null-prototype record would not survive a structured clone). */
  props: Record<string, MetaProp>;
  /** `[key: string]: T` or `Record<string, T>`: the type of every undeclared key. */
  index?: MetaType;
}

export interface MetaProp {
  type: MetaType;
  optional: boolean;
  /** The doc comment, without its stars. */
  doc?: string;
  source?: DeclarationSource;
}

export interface MetadataTypes {
  /** The declared shape of each field (an object type; a field without a declaration is not checked). */
  fields: Partial<Record<MetadataField, MetaObject>>;
  /** Interfaces and type aliases the fields refer to by name. */
  named: Record<string, MetaType>;
  /** Where the three interfaces are declared, for the status bar and "Show Metadata Types". */
  sources: DeclarationSource[];
}

/** How a metadata value is written: merged into what the user has (null deletes a key), or replacing it. */
export type { MetadataMode } from '../metadata/mode';

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/** The declared property `key` of `object`, if declared. */
export function propOf(object: MetaObject, key: string): MetaProp | undefined {
  return has(object.props, key) ? object.props[key] : undefined;
}

/** `type` with references followed (a reference to nothing known is unsupported). */
export function resolve(type: MetaType, types: MetadataTypes): MetaType {
  let t = type;
  for (let hops = 0; t.kind === 'ref' && hops < 32; hops++) {
    const name: string = t.name;
    t = has(types.named, name) ? types.named[name] : { kind: 'unsupported', text: name };
  }
  return t.kind === 'ref' ? { kind: 'unsupported', text: t.name } : t;
}

/**
 * The declared type at `segments` below a field's root ('onboarding', 'step'), if the declaration reaches
 * there.
 */
export function typeAt(
  types: MetadataTypes,
  field: MetadataField,
  segments: readonly string[],
): MetaType | undefined {
  let t: MetaType | undefined = types.fields[field];
  for (const segment of segments) {
    if (!t) return undefined;
    t = childType(resolve(t, types), segment, types);
  }
  return t && resolve(t, types);
}

/** The declared property at `segments` (its doc comment, its optionality), if any. */
export function propAt(
  types: MetadataTypes,
  field: MetadataField,
  segments: readonly string[],
): MetaProp | undefined {
  if (segments.length === 0) return undefined;
  const parent = typeAt(types, field, segments.slice(0, -1));
  const objects = parent ? objectsIn(parent, types) : [];
  for (const o of objects) {
    const p = propOf(o, segments[segments.length - 1]);
    if (p) return p;
  }
  return undefined;
}

/** The object types a (resolved) type may be: itself, or the object members of a union. */
export function objectsIn(type: MetaType, types: MetadataTypes): MetaObject[] {
  const t = resolve(type, types);
  if (t.kind === 'object') return [t];
  if (t.kind === 'union') return t.types.flatMap((m) => objectsIn(m, types));
  return [];
}

function childType(t: MetaType, segment: string, types: MetadataTypes): MetaType | undefined {
  if (t.kind === 'array') return /^\d+$/.test(segment) ? t.element : undefined;
  if (t.kind === 'union') {
    for (const m of t.types) {
      const c = childType(resolve(m, types), segment, types);
      if (c) return c;
    }
    return undefined;
  }
  if (t.kind !== 'object') return undefined;
  return propOf(t, segment)?.type ?? t.index;
}

/** The literal values a (resolved) type allows, for completion: 'admin', 'member', true, 3. */
export function literalsOf(type: MetaType, types: MetadataTypes): (string | number | boolean | null)[] {
  const t = resolve(type, types);
  if (t.kind === 'literal') return [t.value];
  if (t.kind === 'boolean') return [true, false];
  if (t.kind === 'null') return [null];
  if (t.kind === 'union') return t.types.flatMap((m) => literalsOf(m, types));
  return [];
}
