import type * as jsonc from 'jsonc-parser';
import { quote } from '../../text/clip';
import { DiagnosticCode } from '../../codes';
import { draftAt, type DraftDiagnostic } from '../../validate/draft';
import { type ApiVersion, isApiVersion, SECRET_FIELDS } from '../../versions';
import { type RowTarget, TARGET_KEYS, type TargetKind } from './types';

/** Offsets into the text a row was analyzed as (the JSONL line, or the JSON built from a CSV row). */
export interface Span {
  offset: number;
  length: number;
}

/** What the checks of bulk rows found in one row, beyond the single-file pipeline. */
export interface RowChecks {
  drafts: DraftDiagnostic[];
  /** The row's target, when it names exactly one user with a non-empty string. */
  target?: RowTarget;
  /** Where the target's value is. */
  targetSpan?: Span;
  /** `$api_version` when the row names a documented one. */
  apiVersion?: ApiVersion;
  apiVersionSpan?: Span;
  /** True when the row has a `$api_version` key at all (documented or not). */
  namesApiVersion: boolean;
}

export const KIND_OF_KEY: ReadonlyMap<string, TargetKind> = new Map(
  Object.entries(TARGET_KEYS).map(([kind, key]) => [key, kind as TargetKind]),
);
const SECRETS: ReadonlySet<string> = new Set(SECRET_FIELDS);
/** Something@something.tld, without spaces: enough to catch a name or an id in the `$email` column. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const TARGET_LIST = "'$user_id', '$external_id' or '$email'";

/** The message of a row without a target. */
export const NO_TARGET = `This row names no user: give it one of ${TARGET_LIST}.`;

/**
 * The checks of a bulk row that a single file does not have: exactly one target, `$email` that looks like
 * an address, and no secrets unless allowed. `root` is the row's root object (from analyzeDocument);
 * `row` is where the whole row is, for a problem with no better place.
 */
export function checkRow(root: jsonc.Node | undefined, row: Span, allowSecrets: boolean): RowChecks {
  const out: RowChecks = { drafts: [], namesApiVersion: false };
  if (!root || root.type !== 'object') return out; // the pipeline already said what the row is instead
  // Per target kind, the first key and the last value (the last occurrence of a key is what Clerk would see;
  // an earlier one is a duplicate-key error), in the order the kinds first appear.
  let targets: Array<{ kind: TargetKind; key: jsonc.Node; value: jsonc.Node | undefined }> | undefined;
  for (const prop of root.children ?? []) {
    const kids = prop.children;
    const key = kids?.[0];
    if (!key) continue;
    const value = kids[1];
    const name = key.value as string;
    if (name.charCodeAt(0) === 36 /* $ */) {
      const kind = KIND_OF_KEY.get(name);
      if (kind) {
        const earlier =
          targets === undefined
            ? undefined
            : targets.length === 1 && targets[0].kind === kind
              ? targets[0]
              : targets.find((t) => t.kind === kind);
        if (earlier) earlier.value = value;
        else if (targets) targets.push({ kind, key, value });
        else targets = [{ kind, key, value }];
      } else if (name === '$api_version') {
        out.namesApiVersion = true;
        if (value && isApiVersion(value.value)) {
          out.apiVersion = value.value;
          out.apiVersionSpan = { offset: value.offset, length: value.length };
        } else {
          out.apiVersion = undefined;
          out.apiVersionSpan = undefined;
        }
      }
    } else if (SECRETS.has(name) && !allowSecrets) {
      out.drafts.push(
        draftAt(key, {
          code: DiagnosticCode.SecretInBulkFile,
          message:
            `'${name}' in a bulk file: a file of passwords is a file to delete, and bulk files get kept, copied and committed. ` +
            "If you mean it, set 'clerkUserUpdate.bulk.allowSecrets' (or pass --allow-secrets), and delete the file after the run.",
          path: '/' + name,
        }),
      );
    }
  }
  if (!targets) {
    out.drafts.push(draftAt(row, { code: DiagnosticCode.MissingTarget, message: NO_TARGET, path: '' }));
    return out;
  }
  let first: string | undefined;
  for (const { kind, key, value } of targets) {
    const name = TARGET_KEYS[kind];
    if (first !== undefined) {
      out.drafts.push(
        draftAt(key, {
          code: DiagnosticCode.SeveralTargets,
          message: `This row already names its user with '${first}': give exactly one of ${TARGET_LIST}.`,
          path: '/' + name,
        }),
      );
      out.target = undefined;
      out.targetSpan = undefined;
      continue;
    }
    first = name;
    if (!value || value.type !== 'string') continue; // wrong-type, from the schema
    const text = value.value as string;
    if (text === '') {
      out.drafts.push(
        draftAt(value, {
          code: DiagnosticCode.MissingTarget,
          message: `'${name}' is empty: a row must name its user.`,
          path: '/' + name,
        }),
      );
      continue;
    }
    out.target = { kind, value: text };
    out.targetSpan = { offset: value.offset, length: value.length };
    if (kind === 'email' && !EMAIL.test(text)) {
      out.drafts.push(
        draftAt(value, {
          code: DiagnosticCode.InvalidEmail,
          message: `'$email' should be an email address such as "ada@example.com", not ${quote(text)}.`,
          path: '/$email',
        }),
      );
    }
  }
  return out;
}
