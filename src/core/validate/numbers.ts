import type { JsonNode, Located } from '../parse/parser';
import { clip } from '../text/clip';
import { toPointer } from '../text/pointer';
import { DiagnosticCode } from '../codes';
import { draftAt, replaceFix, type DraftDiagnostic } from './draft';
import type { Entry } from './shape';
import { isSecret, label } from './wording';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/**
 * Numbers that do not fit: integer fields given a fraction, a value too large for a double or for a
 * 64-bit integer, and numbers anywhere that overflow a double (`hugeNumbers`, found by the parser).
 */
export function checkNumbers(
  last: ReadonlyMap<string, Entry>,
  integerFields: readonly string[],
  text: string,
  hugeNumbers: readonly Located[],
): DraftDiagnostic[] {
  const diagnostics: DraftDiagnostic[] = [];
  for (const name of integerFields) {
    const v = last.get(name)?.value;
    if (v === undefined || v.type !== 'number') continue;
    const d = integerProblem(toPointer([name]), v, text.slice(v.offset, v.offset + v.length));
    if (d) diagnostics.push(d);
  }
  const reported = diagnostics.length;
  for (const huge of hugeNumbers) {
    // An integer field's, reported above.
    if (diagnostics.some((d, i) => i < reported && d.offset === huge.offset)) continue;
    const path = huge.path;
    const subject = path ? label(path) : 'This number';
    const shown = isSecret(path) ? '' : ` ${clip(text.slice(huge.offset, huge.offset + huge.length))},`;
    diagnostics.push(
      draftAt(huge, {
        code: DiagnosticCode.NumberDoesNotFit,
        message: `${subject} is${shown} too large for a JSON number (it overflows a 64-bit float).`,
        path,
      }),
    );
  }
  return diagnostics;
}

/**
 * The problem of a number (written `raw`) in an integer field, if any. A malformed number is a syntax
 * problem.
 */
function integerProblem(path: string, v: JsonNode, raw: string): DraftDiagnostic | undefined {
  const code = DiagnosticCode.NumberDoesNotFit;
  if (!Number.isFinite(v.value))
    return draftAt(v, {
      code,
      path,
      message: `${label(path)} must be a whole number; ${clip(raw)} is too large to be represented.`,
    });
  if (/[.eE]/.test(raw)) {
    const whole =
      Number.isInteger(v.value) && Math.abs(v.value) <= Number.MAX_SAFE_INTEGER ? String(v.value) : undefined;
    return draftAt(v, {
      code,
      path,
      message: `${label(path)} must be a whole number, not ${clip(raw)}.`,
      fixes: whole !== undefined ? [replaceFix(`Write ${whole}`, v, whole)] : undefined,
    });
  }
  if (raw.length > 15 && /^-?\d+$/.test(raw)) {
    const big = BigInt(raw);
    if (big > INT64_MAX || big < INT64_MIN)
      return draftAt(v, {
        code,
        path,
        message: `${label(path)} is ${clip(raw)}, which does not fit a 64-bit integer.`,
      });
  }
  return undefined;
}
