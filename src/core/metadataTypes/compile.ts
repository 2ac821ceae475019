// The declarations compiled into the shapes the parser checks metadata values against as it reads them
// (src/core/parse/shapes.ts): references followed and unions flattened once, so that checking a value costs a
// lookup per token. A value fits exactly when ./conforms would accept it, but where a union holds several
// object (or several array) types: that is `SEVERAL`, which fits nothing, and ./conforms tries them.
import { NameMap } from '../parse/keyTable';
import { type ObjectShape, SEVERAL, type Shape } from '../parse/shapes';
import { copyOf } from '../text/copy';
import { closest } from '../validate/suggest';
import { METADATA_FIELDS, type MetaObject, type MetaType, type MetadataTypes, resolve } from './model';

/** The shapes of each declarations value. */
const compiled = new WeakMap<MetadataTypes, ReadonlyMap<string, Shape>>();

/** Undeclared keys remembered per object type, whether close to a declared one (then forgotten at once). */
const MAX_NEAR = 512;

/**
 * The shape of each declared metadata field, by field name, compiled once per declarations value (kept
 * weakly: a new read of the declarations compiles afresh, and an old one is dropped with its shapes).
 */
export function metadataShapes(types: MetadataTypes): ReadonlyMap<string, Shape> {
  const known = compiled.get(types);
  if (known) return known;
  const compiler = new Compiler(types);
  const shapes = new Map<string, Shape>();
  for (const field of METADATA_FIELDS) {
    const declared = types.fields[field];
    if (declared) shapes.set(field, compiler.type(declared));
  }
  compiled.set(types, shapes);
  return shapes;
}

function empty(): Shape {
  return {
    any: false,
    anyString: false,
    strings: undefined,
    anyNumber: false,
    numbers: undefined,
    acceptsTrue: false,
    acceptsFalse: false,
    acceptsNull: false,
    object: undefined,
    array: undefined,
  };
}

class Compiler {
  /** By resolved type: recursive declarations refer back to what is being compiled. */
  private readonly types = new Map<MetaType, Shape>();
  private readonly objects = new Map<MetaObject, ObjectShape>();

  constructor(private readonly model: MetadataTypes) {}

  type(declared: MetaType): Shape {
    const t = resolve(declared, this.model);
    const known = this.types.get(t);
    if (known) return known;
    const out = empty();
    this.types.set(t, out);
    const objects: MetaObject[] = [];
    const arrays: MetaType[] = [];
    this.add(out, t, objects, arrays, new Set());
    if (objects.length > 0) out.object = objects.length === 1 ? this.object(objects[0]) : SEVERAL;
    if (arrays.length > 0) out.array = arrays.length === 1 ? this.type(arrays[0]) : SEVERAL;
    return out;
  }

  /** Adds what `type` (a member of a union, or the type itself) accepts to `out`. */
  private add(out: Shape, type: MetaType, objects: MetaObject[], arrays: MetaType[], seen: Set<MetaType>) {
    const t = resolve(type, this.model);
    if (seen.has(t)) return;
    seen.add(t);
    switch (t.kind) {
      case 'unknown':
        out.any = true;
        return;
      case 'string':
        out.anyString = true;
        return;
      case 'number':
        out.anyNumber = true;
        return;
      case 'boolean':
        out.acceptsTrue = out.acceptsFalse = true;
        return;
      case 'null':
        out.acceptsNull = true;
        return;
      case 'literal':
        if (typeof t.value === 'string') (out.strings ??= new NameMap()).set(t.value, true);
        else if (typeof t.value === 'number') (out.numbers ??= new Set()).add(t.value);
        else if (t.value) out.acceptsTrue = true;
        else out.acceptsFalse = true;
        return;
      case 'union':
        for (const m of t.types) this.add(out, m, objects, arrays, seen);
        return;
      case 'object':
        objects.push(t);
        return;
      case 'array':
        arrays.push(t.element);
        return;
      default:
        // Unsupported (and references to nothing): no value fits, so ./check says what is not checked.
        return;
    }
  }

  private object(t: MetaObject): ObjectShape {
    const known = this.objects.get(t);
    if (known) return known;
    const declared = Object.keys(t.props);
    const near = new Map<string, boolean>();
    const out: ObjectShape = {
      props: new NameMap(),
      index: undefined,
      required: declared.filter((k) => !t.props[k].optional).length,
      // An undeclared key a few edits from a declared one is a did-you-mean warning (./check).
      rejects(key) {
        if (declared.length === 0 || key.length > 64) return false;
        const remembered = near.get(key);
        if (remembered !== undefined) return remembered;
        const close = closest(key, declared) !== undefined;
        if (near.size >= MAX_NEAR) near.clear();
        near.set(copyOf(key), close); // a part of the row's text would keep the whole
        return close;
      },
    };
    this.objects.set(t, out);
    for (const key of declared) {
      const prop = t.props[key];
      out.props.set(key, { shape: this.type(prop.type), optional: prop.optional });
    }
    if (t.index) out.index = this.type(t.index);
    return out;
  }
}
