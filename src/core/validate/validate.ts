import { type AjvError, type PayloadKind, schemaFor } from '../schema';
import type { JsonNode, Located } from '../parse/parser';
import type { ApiVersion } from '../versions';
import { DiagnosticCode } from '../codes';
import type { DraftDiagnostic } from './draft';
import { checkNumbers } from './numbers';
import { checkRules } from './rules';
import { mapSchemaErrors } from './schemaErrors';
import { shapeForAjv } from './shape';

export interface PayloadContext {
  version: ApiVersion;
  text: string;
  /** False when a syntax error cut the parse short: checks that need the whole object are skipped. */
  complete: boolean;
  /** Numbers that overflow a double, anywhere in the text. */
  hugeNumbers: readonly Located[];
  /** A single file (the default) or a row of a bulk file, which has two more reserved keys. */
  kind?: PayloadKind;
}

const NO_ERRORS: readonly AjvError[] = [];

/**
 * Validates the root object of a *.userupdate.json, each stage once, in this order: the shallow data for
 * the per-version schema (./shape), the schema (one ajv validator compiled at build time), ajv's errors as
 * diagnostics (./schemaErrors), numbers that do not fit (./numbers; they replace ajv's type error on the
 * same value), the rules beyond the spec (./rules). Each problem once, at its exact range.
 */
export function validatePayload(root: JsonNode, ctx: PayloadContext): DraftDiagnostic[] {
  const schema = schemaFor(ctx.version, ctx.kind);
  const shaped = shapeForAjv(root, schema.fields);
  const errors = schema.validate(shaped.data) ? NO_ERRORS : (schema.validate.errors ?? NO_ERRORS);
  const found = mapSchemaErrors(errors, root, shaped, schema, ctx.version, ctx.text);
  const numbers = checkNumbers(shaped.last, schema.integerFields, ctx.text, ctx.hugeNumbers);

  // A number that does not fit replaces ajv's error on the same value; an unknown key is reported anyway.
  const out: DraftDiagnostic[] = [];
  const replaced = new Set(numbers.map((d) => d.path));
  for (const d of found) if (!replaced.has(d.path) || d.code === DiagnosticCode.UnknownProperty) out.push(d);
  for (const d of numbers) out.push(d);
  checkRules(out, shaped.last, ctx);
  return out;
}
