import type { NameMap } from './keyTable';

/**
 * What the values of some root keys are expected to look like, checked by the parser as it reads them
 * (parser.ts): it reads every token of those values anyway, so a value that fits is known to fit without a
 * second pass over its text. The team's metadata declarations compile to shapes
 * (src/core/metadataTypes/compile.ts); the parser knows nothing of them.
 *
 * A fit is a sufficient condition only: a value that fits is certain to be what the shape says; one that
 * does not (or that a syntax problem, or a union of several object types, leaves open) is for the caller's
 * own checks to look at.
 */
export interface Shape {
  /** Anything fits. */
  any: boolean;
  /** Every string, or only these (undefined: none). */
  anyString: boolean;
  strings: NameMap<true> | undefined;
  /** Every number, or only these (undefined: none). */
  anyNumber: boolean;
  numbers: Set<number> | undefined;
  acceptsTrue: boolean;
  acceptsFalse: boolean;
  acceptsNull: boolean;
  /** The one object shape an object must fit, none (undefined: no object fits), or SEVERAL. */
  object: ObjectShape | typeof SEVERAL | undefined;
  /** The shape of the elements of the one array shape, none, or SEVERAL. */
  array: Shape | typeof SEVERAL | undefined;
}

export interface ObjectShape {
  props: NameMap<{ shape: Shape; optional: boolean }>;
  /** The shape of every key not in `props`, if any. */
  index: Shape | undefined;
  /** How many keys of `props` are not optional. */
  required: number;
  /** Whether an undeclared key (without `index`) keeps the object from fitting. */
  rejects(key: string): boolean;
}

/** Several object (or array) shapes: which one a value is meant to fit is for the caller to try. */
export const SEVERAL = 'several';

/**
 * How a root value fits, in each of the two ways of reading `null` on a key (bits of a number). `AsMerge`:
 * null on a key deletes it, so it fits on an optional key and not on a required one; missing keys are fine.
 * `AsReplace`: null is a value like any other, and every required key must be there.
 */
export const enum Fit {
  AsMerge = 1,
  AsReplace = 2,
}
