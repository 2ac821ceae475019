import { INTERFACE_OF, METADATA_FIELDS } from './model';
import type { DeclarationSource, MetaObject, MetaProp, MetaType, MetadataTypes } from './model';

/**
 * The nodes of a TypeScript syntax tree as @babel/parser (plugin `typescript`) builds them, as far as we
 * read them. The parser itself is loaded at the edge, in its own bundle (src/node/metadataTypes); the core
 * only walks the plain tree it returns.
 */
export interface AstNode {
  type: string;
  start?: number | null;
  end?: number | null;
  loc?: { start: { line: number } } | null;
  leadingComments?: readonly { type: string; value: string }[] | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** One parsed file: its name as messages show it, its text, and its syntax tree's `program`. */
export interface ParsedDeclarationFile {
  file: string;
  text: string;
  program: AstNode;
}

interface Collected {
  interfaces: Map<string, { decls: { node: AstNode; file: ParsedDeclarationFile }[] }>;
  aliases: Map<string, { node: AstNode; file: ParsedDeclarationFile }>;
  globals: Set<string>;
  sources: DeclarationSource[];
}

/**
 * The metadata types declared in `files`: the global `UserPublicMetadata`, `UserPrivateMetadata` and
 * `UserUnsafeMetadata` (in `declare global`, or at the top level of a script file), merged as TypeScript
 * merges interfaces, with the interfaces and type aliases of the same files they refer to. What is not
 * understood becomes an 'unsupported' type, never an error. Undefined when none of the three is declared.
 */
export function metadataTypesFrom(files: readonly ParsedDeclarationFile[]): MetadataTypes | undefined {
  const c: Collected = { interfaces: new Map(), aliases: new Map(), globals: new Set(), sources: [] };
  for (const file of files) {
    const body = (file.program.body ?? []) as AstNode[];
    const isModule = body.some((s) => /^(Import|Export)/.test(s.type));
    for (const statement of body) {
      if (
        statement.type === 'TSModuleDeclaration' &&
        (statement.kind === 'global' || statement.global === true)
      ) {
        for (const s of (statement.body?.body ?? []) as AstNode[]) collect(s, file, true, c);
      } else {
        collect(statement, file, !isModule, c);
      }
    }
  }
  if (c.sources.length === 0) return undefined;
  const named: Record<string, MetaType> = {};
  const converting = new Set<string>();
  const objectOf = (name: string): MetaObject => {
    const existing = named[name];
    if (existing && existing.kind === 'object') return existing;
    const object: MetaObject = { kind: 'object', props: {} };
    named[name] = object;
    if (converting.has(name)) return object;
    converting.add(name);
    for (const { node, file } of c.interfaces.get(name)?.decls ?? []) {
      for (const heritage of (node.extends ?? []) as AstNode[]) {
        const base =
          heritage.expression?.type === 'Identifier' ? (heritage.expression.name as string) : undefined;
        if (base && c.interfaces.has(base)) mergeInto(object, objectOf(base), false);
        else if (base && c.aliases.has(base)) {
          const t = named[base];
          if (t?.kind === 'object') mergeInto(object, t, false);
        }
      }
      mergeInto(object, membersOf(node.body?.body ?? [], file), true);
    }
    converting.delete(name);
    return object;
  };
  for (const [name, alias] of c.aliases) {
    const annotation = alias.node.typeAnnotation as AstNode;
    named[name] = alias.node.typeParameters
      ? unsupported(annotation, alias.file)
      : typeOf(annotation, alias.file);
  }
  for (const name of c.interfaces.keys()) objectOf(name);
  // A reference to a name the files do not declare is not checked.
  const fix = (t: MetaType): MetaType => resolveRefs(t, named);
  for (const name of Object.keys(named)) named[name] = fix(named[name]);
  const fields: MetadataTypes['fields'] = {};
  for (const field of METADATA_FIELDS) {
    const name = INTERFACE_OF[field];
    if (c.globals.has(name)) fields[field] = named[name] as MetaObject;
  }
  return { fields, named, sources: c.sources };
}

function collect(statement: AstNode, file: ParsedDeclarationFile, global: boolean, c: Collected): void {
  let s = statement;
  const exported = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration';
  if (exported && s.declaration) s = s.declaration as AstNode;
  const name = s.id?.type === 'Identifier' ? (s.id.name as string) : undefined;
  if (!name) return;
  if (s.type === 'TSInterfaceDeclaration') {
    const entry = c.interfaces.get(name) ?? { decls: [] };
    entry.decls.push({ node: s, file });
    c.interfaces.set(name, entry);
    if (global && Object.values(INTERFACE_OF).includes(name)) {
      c.globals.add(name);
      c.sources.push(sourceOf(s, file) as DeclarationSource);
    }
  } else if (s.type === 'TSTypeAliasDeclaration') {
    c.aliases.set(name, { node: s, file });
  }
}

function mergeInto(target: MetaObject, from: MetaObject, override: boolean): void {
  for (const key of Object.keys(from.props)) {
    if (override || !Object.prototype.hasOwnProperty.call(target.props, key))
      target.props[key] = from.props[key];
  }
  if (from.index && (override || !target.index)) target.index = from.index;
}

function membersOf(members: readonly AstNode[], file: ParsedDeclarationFile): MetaObject {
  const object: MetaObject = { kind: 'object', props: {} };
  for (const m of members) {
    if (m.type === 'TSIndexSignature') {
      const annotation = m.typeAnnotation?.typeAnnotation as AstNode | undefined;
      object.index = annotation ? typeOf(annotation, file) : { kind: 'unknown' };
      continue;
    }
    if (m.type !== 'TSPropertySignature' && m.type !== 'TSMethodSignature') continue;
    if (m.computed) continue;
    const literalKey = m.key?.type === 'StringLiteral' || m.key?.type === 'NumericLiteral';
    const key = m.key?.type === 'Identifier' ? m.key.name : literalKey ? String(m.key.value) : undefined;
    if (key === undefined) continue;
    const annotation = m.typeAnnotation?.typeAnnotation as AstNode | undefined;
    const declared: MetaType = annotation ? typeOf(annotation, file) : { kind: 'unknown' };
    const type: MetaType = m.type === 'TSMethodSignature' ? unsupported(m, file) : declared;
    const prop: MetaProp = { type, optional: m.optional === true, source: sourceOf(m, file) };
    const doc = docOf(m);
    if (doc) prop.doc = doc;
    object.props[key] = prop;
  }
  return object;
}

function typeOf(node: AstNode, file: ParsedDeclarationFile): MetaType {
  switch (node.type) {
    case 'TSStringKeyword':
      return { kind: 'string' };
    case 'TSNumberKeyword':
      return { kind: 'number' };
    case 'TSBooleanKeyword':
      return { kind: 'boolean' };
    case 'TSNullKeyword':
      return { kind: 'null' };
    case 'TSUnknownKeyword':
    case 'TSAnyKeyword':
    case 'TSObjectKeyword':
      return { kind: 'unknown' };
    case 'TSLiteralType':
      return literalOf(node.literal as AstNode) ?? unsupported(node, file);
    case 'TSParenthesizedType':
    case 'TSOptionalType':
      return typeOf(node.typeAnnotation as AstNode, file);
    case 'TSTypeOperator':
      return node.operator === 'readonly'
        ? typeOf(node.typeAnnotation as AstNode, file)
        : unsupported(node, file);
    case 'TSUnionType': {
      const types: MetaType[] = [];
      for (const member of node.types as AstNode[]) {
        if (member.type === 'TSUndefinedKeyword') continue; // no JSON value is undefined: the key is optional
        const t = typeOf(member, file);
        if (t.kind === 'union') types.push(...t.types);
        else types.push(t);
      }
      if (types.length === 0) return unsupported(node, file);
      return types.length === 1 ? types[0] : { kind: 'union', types };
    }
    case 'TSTypeLiteral':
      return membersOf(node.members as AstNode[], file);
    case 'TSArrayType':
      return { kind: 'array', element: typeOf(node.elementType as AstNode, file) };
    case 'TSTypeReference':
      return referenceOf(node, file);
    default:
      return unsupported(node, file);
  }
}

function referenceOf(node: AstNode, file: ParsedDeclarationFile): MetaType {
  const name = node.typeName?.type === 'Identifier' ? (node.typeName.name as string) : undefined;
  const args = ((node.typeArguments ?? node.typeParameters)?.params ?? []) as AstNode[];
  if (!name) return unsupported(node, file);
  if ((name === 'Array' || name === 'ReadonlyArray') && args.length === 1) {
    return { kind: 'array', element: typeOf(args[0], file) };
  }
  if (name === 'Record' && args.length === 2) {
    const key = typeOf(args[0], file);
    const value = typeOf(args[1], file);
    if (key.kind === 'string') return { kind: 'object', props: {}, index: value };
    const keys = key.kind === 'union' ? key.types : [key];
    if (keys.every((k) => k.kind === 'literal' && typeof k.value === 'string')) {
      const props: Record<string, MetaProp> = {};
      for (const k of keys) props[String((k as { value: string }).value)] = { type: value, optional: false };
      return { kind: 'object', props };
    }
    return unsupported(node, file);
  }
  if (args.length > 0) return unsupported(node, file);
  const source = sourceOf(node, file);
  return source ? { kind: 'ref', name, source } : { kind: 'ref', name };
}

function literalOf(literal: AstNode): MetaType | undefined {
  switch (literal.type) {
    case 'StringLiteral':
    case 'NumericLiteral':
    case 'BooleanLiteral':
      return { kind: 'literal', value: literal.value as string | number | boolean };
    case 'UnaryExpression':
      if (literal.operator !== '-' || literal.argument?.type !== 'NumericLiteral') return undefined;
      return { kind: 'literal', value: -literal.argument.value };
    default:
      return undefined;
  }
}

function unsupported(node: AstNode | undefined, file: ParsedDeclarationFile): MetaType {
  const spanned = node && node.start != null && node.end != null;
  const text = spanned
    ? file.text.slice(node.start as number, node.end as number).replace(/\s+/g, ' ')
    : 'this type';
  const out: MetaType = { kind: 'unsupported', text };
  const source = node && sourceOf(node, file);
  if (source) out.source = source;
  return out;
}

/** References to names the files declare stay references (they may be recursive); others are unsupported. */
function resolveRefs(t: MetaType, named: Record<string, MetaType>, seen = new Set<MetaType>()): MetaType {
  if (seen.has(t)) return t;
  seen.add(t);
  switch (t.kind) {
    case 'ref':
      if (Object.prototype.hasOwnProperty.call(named, t.name)) return t;
      return t.source
        ? { kind: 'unsupported', text: t.name, source: t.source }
        : { kind: 'unsupported', text: t.name };
    case 'union':
      t.types = t.types.map((m) => resolveRefs(m, named, seen));
      return t;
    case 'array':
      t.element = resolveRefs(t.element, named, seen);
      return t;
    case 'object':
      for (const key of Object.keys(t.props)) t.props[key].type = resolveRefs(t.props[key].type, named, seen);
      if (t.index) t.index = resolveRefs(t.index, named, seen);
      return t;
    default:
      return t;
  }
}

function sourceOf(node: AstNode, file: ParsedDeclarationFile): DeclarationSource | undefined {
  return node.loc ? { file: file.file, line: node.loc.start.line - 1 } : undefined;
}

/** The last doc comment (`/** … *\/`) before a member, without its stars. */
function docOf(node: AstNode): string | undefined {
  const comments = node.leadingComments ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i];
    if (c.type === 'CommentBlock' && c.value.startsWith('*')) {
      return c.value
        .slice(1)
        .split('\n')
        .map((line) => line.replace(/^\s*\*\s?/, '').trimEnd())
        .join('\n')
        .trim();
    }
  }
  return undefined;
}
