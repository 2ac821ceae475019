import type { JsonNode } from '../parse/tree';
import { DiagnosticCode } from '../codes';
import { clip } from '../text/clip';
import { escapeSegment } from '../text/pointer';
import { draftAt, replaceFix, type DraftDiagnostic } from '../validate/draft';
import { closest } from '../validate/suggest';
import { actualProse } from '../validate/wording';
import {
  type MetaObject,
  type MetaType,
  type MetadataMode,
  type MetadataTypes,
  propOf,
  resolve,
} from './model';

/** What a check of one metadata value needs besides the value and its declared type. */
export interface MetadataCheck {
  types: MetadataTypes;
  mode: MetadataMode;
  /** The interface the field is declared by ('UserPublicMetadata'), named in messages. */
  interfaceName: string;
  /** The JSON pointer of the field ('/public_metadata'). */
  pointer: string;
  /** Unsupported declarations already reported in this document: each once. */
  reported?: Set<MetaType>;
}

/**
 * The problems of a metadata value (`node`, the value of `public_metadata`…) under its declared type: a
 * value of the wrong type or outside the declared literals (at the value), a required key set to null in a
 * merge or missing in a replace, a key that looks like a misspelt declared one (warning, with a fix), a key
 * whose declared type we do not check (information, once). An undeclared key is fine otherwise: Clerk's own
 * interfaces have an index signature. Pure: the value is a node of the parsed file and the types a plain
 * value.
 */
export function checkMetadata(node: JsonNode, declared: MetaType, check: MetadataCheck): DraftDiagnostic[] {
  const out: DraftDiagnostic[] = [];
  const ctx: Ctx = { ...check, reported: check.reported ?? new Set(), out };
  visit(node, declared, '', check.pointer, ctx);
  return out;
}

interface Ctx extends MetadataCheck {
  reported: Set<MetaType>;
  out: DraftDiagnostic[];
}

/**
 * Checks `node` against `declared`; `name` is its label below the field ('onboarding.step', '' for the
 * field).
 */
function visit(node: JsonNode, declared: MetaType, name: string, pointer: string, ctx: Ctx): void {
  const t = resolve(declared, ctx.types);
  switch (t.kind) {
    case 'unknown':
      return;
    case 'unsupported':
      if (!ctx.reported.has(declared)) {
        ctx.reported.add(declared);
        const where = t.source ? ` (${t.source.file}:${t.source.line + 1})` : '';
        ctx.out.push(
          draftAt(node, {
            code: DiagnosticCode.MetadataTypeUnchecked,
            message:
              `${subject(name, ctx)} is declared as '${clip(t.text, 60)}' in ${ctx.interfaceName}${where}, ` +
              'which is not checked: any value is accepted.',
            path: pointer,
          }),
        );
      }
      return;
    case 'object':
      if (node.type === 'object') return visitObject(node, t, name, pointer, ctx);
      break;
    case 'array':
      if (node.type === 'array') {
        const items = node.children ?? [];
        for (let i = 0; i < items.length; i++)
          visit(items[i], t.element, `${name}[${i}]`, `${pointer}/${i}`, ctx);
        return;
      }
      break;
    case 'union': {
      if (matchesShallow(node, t, ctx.types)) {
        // A container: check it against the one member of its kind, if there is exactly one.
        const sameKind = t.types.filter((m) => kindMatches(node, resolve(m, ctx.types)));
        const container = node.type === 'object' || node.type === 'array';
        if (sameKind.length === 1 && container) visit(node, sameKind[0], name, pointer, ctx);
        return;
      }
      break;
    }
    default:
      if (matchesShallow(node, t, ctx.types)) return;
  }
  ctx.out.push(mismatch(node, t, name, pointer, ctx));
}

function visitObject(node: JsonNode, t: MetaObject, name: string, pointer: string, ctx: Ctx): void {
  const seen = new Set<string>();
  for (const prop of node.children ?? []) {
    const [keyNode, value] = prop.children as JsonNode[];
    if (!keyNode || !value) continue;
    const key = keyNode.value as string;
    seen.add(key);
    const childName = name === '' ? key : `${name}.${key}`;
    const childPointer = `${pointer}/${escapeSegment(key)}`;
    const declared = propOf(t, key);
    if (declared) {
      if (value.type === 'null' && ctx.mode === 'merge') {
        if (!declared.optional) ctx.out.push(requiredNull(value, childName, childPointer, ctx));
        continue;
      }
      visit(value, declared.type, childName, childPointer, ctx);
    } else if (t.index) {
      visit(value, t.index, childName, childPointer, ctx);
    } else {
      const near = typo(key, t, node);
      if (near) {
        ctx.out.push(
          draftAt(keyNode, {
            code: DiagnosticCode.MetadataKeyTypo,
            message: `${quote(childName)} is not declared in ${ctx.interfaceName}; did you mean ${quote(near)}?`,
            path: childPointer,
            fixes: [replaceFix(`Change to '${clip(near)}'`, keyNode, JSON.stringify(near))],
          }),
        );
      }
    }
  }
  if (ctx.mode !== 'replace') return;
  const missing = Object.keys(t.props).filter((k) => !t.props[k].optional && !seen.has(k));
  if (missing.length === 0) return;
  const holder = node.parent?.type === 'property' ? (node.parent.children as JsonNode[])[0] : undefined;
  const at = holder ?? { offset: node.offset, length: 1 };
  const names = missing.map((k) => quote(name === '' ? k : `${name}.${k}`));
  ctx.out.push(
    draftAt(at, {
      code: DiagnosticCode.MetadataRequiredKey,
      message:
        `${list(names, 'and')} ${missing.length === 1 ? 'is' : 'are'} required by ${ctx.interfaceName}, ` +
        'and a replace writes the whole value.',
      path: pointer,
    }),
  );
}

/**
 * A declared key that an undeclared one is a few edits away from, and that the object does not already have.
 */
function typo(key: string, t: MetaObject, node: JsonNode): string | undefined {
  const declared = Object.keys(t.props);
  if (declared.length === 0 || key.length > 64) return undefined;
  const near = closest(key, declared);
  if (!near) return undefined;
  for (const prop of node.children ?? [])
    if ((prop.children as JsonNode[])[0]?.value === near) return undefined;
  return near;
}

function requiredNull(value: JsonNode, name: string, pointer: string, ctx: Ctx): DraftDiagnostic {
  return draftAt(value, {
    code: DiagnosticCode.MetadataRequiredKey,
    message: `${quote(name)} is required by ${ctx.interfaceName}; null would delete it.`,
    path: pointer,
  });
}

/** True when the JSON kind of `node` is one `t` allows (scalars: also the literal value). */
function matchesShallow(node: JsonNode, t: MetaType, types: MetadataTypes): boolean {
  const r = resolve(t, types);
  if (r.kind === 'union') return r.types.some((m) => matchesShallow(node, m, types));
  if (r.kind === 'literal') return node.value === r.value && node.type !== 'object' && node.type !== 'array';
  return kindMatches(node, r);
}

function kindMatches(node: JsonNode, t: MetaType): boolean {
  switch (t.kind) {
    case 'unknown':
    case 'unsupported':
      return true;
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
    case 'object':
    case 'array':
      return node.type === t.kind;
    default:
      return false;
  }
}

function mismatch(node: JsonNode, t: MetaType, name: string, pointer: string, ctx: Ctx): DraftDiagnostic {
  const allowed = allowedOf(t, ctx.types);
  const literals = allowed.every((a) => a.literal);
  const isScalar = node.type !== 'object' && node.type !== 'array';
  let message: string;
  if (literals && isScalar && allowed.length > 0) {
    const shown = node.type === 'string' ? `'${clip(node.value as string)}'` : clip(String(node.value));
    const allows = list(
      allowed.map((a) => a.text),
      'or',
    );
    message = `${shown} is not a valid ${subject(name, ctx)}: ${ctx.interfaceName} allows ${allows}.`;
  } else {
    message = `${subject(name, ctx)} must be ${list(
      allowed.map((a) => a.text),
      'or',
    )}, not ${actual(node)}.`;
  }
  return draftAt(node, { code: DiagnosticCode.MetadataTypeMismatch, message, path: pointer });
}

/** What a type allows, in words: 'admin' (a literal), a number, an object… */
function allowedOf(t: MetaType, types: MetadataTypes): { text: string; literal: boolean }[] {
  const r = resolve(t, types);
  switch (r.kind) {
    case 'union': {
      const out: { text: string; literal: boolean }[] = [];
      for (const m of r.types) {
        for (const a of allowedOf(m, types)) if (!out.some((o) => o.text === a.text)) out.push(a);
      }
      return out;
    }
    case 'literal':
      return [{ text: typeof r.value === 'string' ? `'${clip(r.value)}'` : String(r.value), literal: true }];
    case 'null':
      return [{ text: 'null', literal: true }];
    case 'string':
      return [{ text: 'a string', literal: false }];
    case 'number':
      return [{ text: 'a number', literal: false }];
    case 'boolean':
      return [{ text: 'true or false', literal: false }];
    case 'object':
      return [{ text: 'an object', literal: false }];
    case 'array':
      return [{ text: 'an array', literal: false }];
    default:
      return [{ text: 'any value', literal: false }];
  }
}

function actual(node: JsonNode): string {
  return actualProse(node, { quote: false });
}

/** The value's name in a message: 'role', 'onboarding.step', or the field itself at its root. */
function subject(name: string, ctx: Ctx): string {
  return quote(name === '' ? ctx.pointer.slice(1) : name);
}

function quote(name: string): string {
  return `'${clip(name)}'`;
}

function list(items: readonly string[], conjunction: 'or' | 'and'): string {
  if (items.length <= 1) return items[0] ?? 'nothing';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}
