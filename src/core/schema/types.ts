/** The subset of an ajv error object that the diagnostics read. */
export interface AjvError {
  instancePath: string;
  /** Left out of the generated code (scripts/build-validators.mjs): the diagnostics do not read it. */
  schemaPath?: string;
  keyword: string;
  /**
   * Empty for the type errors of root fields (their types are in the field table; see
   * scripts/build-validators.mjs).
   */
  params: Record<string, unknown>;
  message?: string;
}

/** A standalone ajv validator (compiled at build time, see scripts/build-validators.mjs). */
export interface Validator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

/** What the schema of one API version says about a field. */
export interface FieldInfo {
  /** JSON schema types, e.g. ['string', 'null']. */
  readonly types: readonly string[];
  /** Item type of an array field. */
  readonly items?: string;
  /** Allowed values of an enum field. */
  readonly enum?: readonly string[];
}

export type FieldTable = Readonly<Record<string, FieldInfo>>;

/** The stripped schema embedded in the generated validator module. */
export interface CompiledSchema {
  properties: Record<string, { type: string | string[]; items?: { type: string }; enum?: string[] }>;
}
