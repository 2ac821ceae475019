import { quote } from '../text/clip';
import { escapeSegment } from '../text/pointer';
import { DiagnosticCode } from '../codes';
import { KeyTable } from './keyTable';
import { mayOverflow, readNumber } from './numbers';
import {
  BOM_MESSAGE,
  COMMENT_MESSAGE,
  describe,
  isWordChar,
  MAX_PROBLEMS,
  tokenLength,
  TOO_MANY_MESSAGE,
  TRAILING_COMMA_MESSAGE,
  valueHint,
  type Located,
  type SyntaxProblem,
} from './problems';
import { Lexer, Token } from './lexer';
import { walkString, type StringSink } from './strings';
import { JsonNode } from './tree';
import { Fit, type ObjectShape, SEVERAL, type Shape } from './shapes';

/**
 * The strict JSON parser: one loop over the tokens of lexer.ts (JSON's own read there, comments and
 * the rest by jsonc-parser's scanner) with a stack of open containers (no recursion, any depth) that
 * - reports comments, trailing commas, missing commas, duplicate keys (every later occurrence), a BOM,
 *   invalid strings and numbers, and the first unrecoverable error, then stops;
 * - records what JSON.parse would silently accept but Clerk cannot: numbers that overflow a double,
 *   raw unpaired surrogates, nesting deeper than MAX_DEPTH;
 * - builds a `jsonc-parser`-compatible tree. Below the values of the root's properties, children are
 *   built on first access (`node.children`), so a 1 MB metadata value costs a scan, not a tree.
 */

export { JsonNode, KeyTable, MAX_PROBLEMS, type Located, type SyntaxProblem };

/**
 * The deepest nesting accepted. Clerk's API (Go's encoding/json) takes up to 10,000 levels, but the
 * JavaScript that builds, shows and sends a value (JSON.stringify among it) recurses per level and
 * overflows its stack long before that: 512 levels is far beyond any user's data and safe for all.
 */
export const MAX_DEPTH = 512;

export interface ParseResult {
  /** The root value, when the text starts with one. */
  root: JsonNode | undefined;
  /** Syntax problems, in text order. */
  problems: SyntaxProblem[];
  /** False when an unrecoverable error stopped the parse (the tree is then partial). */
  complete: boolean;
  /** The first `{` or `[` nested deeper than MAX_DEPTH. */
  tooDeep: Located | undefined;
  /** Numbers that overflow a double (e.g. 1e400), anywhere in the text. */
  hugeNumbers: Located[];
  /**
   * Raw unpaired surrogates in strings (not valid Unicode: they cannot be sent as UTF-8), at most
   * MAX_PROBLEMS.
   */
  unpairedSurrogates: Located[];
  /**
   * With `shapes`: how each object value of a root key that has a shape fits it, for the values read without
   * a syntax problem inside them (shapes.ts): its offset then its Fit bits, for each (see fitOf).
   */
  fits: number[] | undefined;
}

/**
 * Parse a whole document; root keys found in `rootKeys` are returned as its strings. The object values of the
 * root keys in `shapes` are checked against their shape as they are read (ParseResult.fits).
 */
export function parseDocument(
  text: string,
  rootKeys?: KeyTable,
  shapes?: ReadonlyMap<string, Shape>,
): ParseResult {
  return new Parser(text, true, 0, rootKeys, shapes).parseDocument();
}

const enum State {
  ObjKeyOrEnd,
  ObjKey,
  ObjValue,
  ObjCommaOrEnd,
  ArrValueOrEnd,
  ArrValue,
  ArrCommaOrEnd,
}

interface Frame {
  isObject: boolean;
  /** The container's node, when its children are built now. */
  node: JsonNode | undefined;
  /** The property being read (objects with a node). */
  prop: JsonNode | undefined;
  /**
   * The keys so far (objects), for duplicates: keys[0, keyCount) while there are few (the array is
   * kept for the next object at this depth), then a set.
   */
  keys: string[];
  keyCount: number;
  keySet: Set<string> | undefined;
  state: State;
  /** Offset of the last comma, for trailing-comma reports. */
  comma: number;
  start: number;
  /** The node of a scanned-only container, whose children are built on first access. */
  lazy: JsonNode | undefined;
  /** The current property name (objects), for paths. */
  key: string;
  /** Elements started so far (arrays), for paths. */
  count: number;
  /** Whitespace and extra UTF-8 bytes counted when the container opened (for compactSize). */
  ws0: number;
  extra0: number;
  /**
   * Inside a root value checked against its shape (shapes.ts), while it still fits: the object shape its keys
   * are looked up in (objects), the shape of its elements (arrays).
   */
  checked: boolean;
  objectShape: ObjectShape | undefined;
  elementShape: Shape | undefined;
  /**
   * Objects: the shape of the current property's value (undefined: anything), whether its key is declared
   * and optional, and how many required keys have been seen.
   */
  childShape: Shape | undefined;
  childDeclared: boolean;
  childOptional: boolean;
  required: number;
}

/** Thrown once an unrecoverable error is recorded. */
class Fatal {}
const FATAL = new Fatal();

class Parser extends Lexer implements StringSink {
  private readonly problems: SyntaxProblem[] = [];
  /** The open containers are stack[0, depth); frames above are kept for reuse. */
  private readonly stack: Frame[] = [];
  private depth = 0;
  private tooDeep: Located | undefined;
  private readonly hugeNumbers: Located[] = [];
  private readonly unpairedSurrogates: Located[] = [];
  /** The value read, once it has started. */
  root: JsonNode | undefined;
  /** Where the parse stopped, after an unrecoverable error: open nodes end there. */
  private stop = 0;
  /** Extra UTF-8 bytes (beyond one per UTF-16 unit) of string characters read so far. */
  private extra = 0;
  /** Frames whose current children make the path of problems inside the string being walked. */
  private stringFrames = 0;
  /** The fit of the root value being checked against its shape (Fit bits), and the problems before it. */
  private fit = 0;
  private problemsBeforeFit = 0;
  private fits: number[] | undefined;

  constructor(
    text: string,
    /**
     * A whole document: containers below the root's values (depth 2 on, the root being 1) are scanned
     * only, their children built on first access, and the root's values get their compactSize.
     * Otherwise (one value, for such children), every node is built.
     */
    private readonly document: boolean,
    start: number,
    private readonly rootKeys?: KeyTable,
    private readonly shapes?: ReadonlyMap<string, Shape>,
  ) {
    super(text, start);
  }

  /** Lexer: a comment, reported. */
  protected comment(offset: number, end: number): void {
    this.problem(DiagnosticCode.Comment, COMMENT_MESSAGE, offset, end - offset, this.containerPath(), end);
  }

  /** Lexer: a slash that starts no comment, which ends the parse. */
  protected slash(offset: number): never {
    this.fatal(DiagnosticCode.InvalidJson, 'Unexpected character "/".', offset, 1);
  }

  parseDocument(): ParseResult {
    if (this.text.charCodeAt(0) === 0xfeff) {
      this.problems.push({ code: DiagnosticCode.Bom, message: BOM_MESSAGE, offset: 0, length: 1, path: '' });
      this.end = 1;
    }
    let complete = this.parseValue();
    if (complete && this.root) {
      // Only whitespace and comments may follow the root value.
      try {
        const after = this.next();
        if (after !== Token.EOF) {
          this.fatal(
            DiagnosticCode.InvalidJson,
            'Unexpected text after the end of the root value.',
            this.at,
            this.text.length - this.at,
          );
        }
      } catch (e) {
        if (e !== FATAL) throw e;
        complete = false;
      }
    }
    return {
      root: this.root,
      problems: this.problems,
      complete,
      tooDeep: this.tooDeep,
      hugeNumbers: this.hugeNumbers,
      unpairedSurrogates: this.unpairedSurrogates,
      fits: this.fits,
    };
  }

  /** Reads one value (into this.root); false when an unrecoverable error stopped it. */
  parseValue(): boolean {
    try {
      this.run();
      return true;
    } catch (e) {
      if (e !== FATAL) throw e;
      this.closeOpenNodes();
      return false;
    }
  }

  /** After a fatal error: the open containers (and their properties) end where the parse stopped. */
  private closeOpenNodes(): void {
    const end = Math.min(this.stop, this.text.length);
    for (let i = 0; i < this.depth; i++) {
      const frame = this.stack[i];
      const node = frame.node ?? frame.lazy;
      if (node) node.length = end - frame.start;
      if (frame.prop) frame.prop.length = end - frame.prop.offset;
    }
  }

  /** JSON pointer of the current child of each of the first `frames` open containers. */
  private pointer(frames: number): string {
    let out = '';
    const stack = this.stack;
    for (let i = 0; i < frames && i < this.depth; i++) {
      const f = stack[i];
      out += '/' + (f.isObject ? escapeSegment(f.key) : String(f.count - 1));
    }
    return out;
  }

  /** Pointer of the innermost open container. */
  private containerPath(): string {
    return this.pointer(this.depth - 1);
  }

  /** Records an unrecoverable error (the parse stopped at `stop`) and ends the parse. */
  private fatal(
    code: DiagnosticCode,
    message: string,
    offset: number,
    length: number,
    stop = offset,
    path = this.containerPath(),
  ): never {
    this.stop = stop;
    this.problems.push({ code, message, offset, length, path });
    throw FATAL;
  }

  /**
   * Records a problem the parse goes on after; `stop` is where the parse is, should this one be one too many.
   */
  private problem(
    code: DiagnosticCode,
    message: string,
    offset: number,
    length: number,
    path: string,
    stop: number,
  ): void {
    if (this.problems.length >= MAX_PROBLEMS)
      this.fatal(DiagnosticCode.InvalidJson, TOO_MANY_MESSAGE, offset, length, stop);
    this.problems.push({ code, message, offset, length, path });
  }

  /** StringSink: a problem inside the string being walked (the parse stands at its opening quote). */
  badCharacter(message: string, offset: number, length: number): void {
    this.problem(
      DiagnosticCode.InvalidString,
      message,
      offset,
      length,
      this.pointer(this.stringFrames),
      this.at,
    );
  }

  /** StringSink: a raw unpaired surrogate in the string being walked. */
  loneSurrogate(offset: number): void {
    if (this.unpairedSurrogates.length < MAX_PROBLEMS)
      this.unpairedSurrogates.push({ offset, length: 1, path: this.pointer(this.stringFrames) });
  }

  private unexpected(expected: string): never {
    const at = this.at;
    this.fatal(
      DiagnosticCode.InvalidJson,
      `Expected ${expected}, found ${describe(this.text, at)}.`,
      at,
      tokenLength(this.text, at),
    );
  }

  private run(): void {
    const stack = this.stack;
    let token = this.next();
    for (;;) {
      const frame = this.depth > 0 ? stack[this.depth - 1] : undefined;
      if (!frame) {
        if (token === Token.EOF) return; // empty document
        this.value(undefined, token);
        if (this.depth === 0) return; // a scalar root
        token = this.next();
        continue;
      }
      switch (frame.state) {
        case State.ObjKeyOrEnd:
        case State.ObjKey:
          if (token === Token.String) {
            this.key(frame);
          } else if (token === Token.CloseBrace) {
            if (frame.state === State.ObjKey) this.trailingComma(frame);
            this.close(frame);
          } else if (token === Token.EOF) {
            this.unclosed(frame);
          } else {
            this.unexpected(
              frame.state === State.ObjKey
                ? 'a property name in double quotes'
                : 'a property name in double quotes or "}"',
            );
          }
          break;
        case State.ObjValue:
        case State.ArrValue:
        case State.ArrValueOrEnd:
          if (token === Token.CloseBracket && frame.state !== State.ObjValue) {
            if (frame.state === State.ArrValue) this.trailingComma(frame);
            this.close(frame);
          } else if (token === Token.EOF) {
            if (frame.state === State.ObjValue) this.unexpected('a value');
            this.unclosed(frame);
          } else {
            this.value(frame, token);
          }
          break;
        case State.ObjCommaOrEnd:
        case State.ArrCommaOrEnd:
          if (token === Token.Comma) {
            frame.comma = this.at;
            frame.state = frame.isObject ? State.ObjKey : State.ArrValue;
          } else if (token === (frame.isObject ? Token.CloseBrace : Token.CloseBracket)) {
            this.close(frame);
          } else if (token === Token.EOF) {
            this.unclosed(frame);
          } else if (frame.isObject ? token === Token.String : isValueStart(this.text.charCodeAt(this.at))) {
            // Recover from the most common slip while typing: a missing comma. The token is read again.
            const at = this.at;
            this.problem(
              DiagnosticCode.MissingComma,
              'Expected a comma before this ' + (frame.isObject ? 'property.' : 'value.'),
              at,
              1,
              this.containerPath(),
              at,
            );
            frame.state = frame.isObject ? State.ObjKey : State.ArrValue;
            continue;
          } else {
            this.unexpected(frame.isObject ? '"," or "}"' : '"," or "]"');
          }
          break;
      }
      if (this.depth === 0) return; // the root container is closed
      token = this.next();
    }
  }

  private trailingComma(frame: Frame): void {
    this.problem(
      DiagnosticCode.TrailingComma,
      TRAILING_COMMA_MESSAGE,
      frame.comma,
      1,
      this.containerPath(),
      this.at,
    );
  }

  private unclosed(frame: Frame): never {
    const closer = frame.isObject ? '}' : ']';
    const opener = frame.isObject ? '{' : '[';
    const message = `Expected "${closer}" to close the ${frame.isObject ? 'object' : 'array'} opened with "${opener}" at offset ${frame.start}, found the end of the file.`;
    this.fatal(DiagnosticCode.InvalidJson, message, this.text.length, 0);
  }

  /**
   * The string token just read: its value (when `decode`; keys always are), after reporting what is wrong
   * inside it. Problems get the path of the first `pathFrames` open containers' current children.
   */
  private string(pathFrames: number, decode: boolean): string {
    const text = this.text;
    const start = this.at;
    const walk = this.walk;
    if (walk.clean && walk.terminated) {
      this.extra += walk.extra;
      return decode ? this.decoded() : '';
    }
    // Something to report (the lexer stopped at the first problem): walk it again, reporting.
    this.stringFrames = pathFrames;
    const problems = this.problems.length;
    walkString(text, start + 1, this, walk);
    const end = walk.end;
    this.end = end;
    this.extra += walk.extra;
    if (!walk.terminated) {
      const path = this.pointer(pathFrames);
      if (end < text.length) {
        this.fatal(
          DiagnosticCode.InvalidString,
          'Unterminated string: the closing double quote is missing before the end of the line.',
          start,
          end - start,
          end,
          path,
        );
      }
      this.fatal(
        DiagnosticCode.InvalidString,
        'Unterminated string: the closing double quote is missing.',
        start,
        end - start,
        end,
        path,
      );
    }
    if (!decode) return '';
    if (this.problems.length === problems) return this.decoded();
    // With invalid escapes or raw control characters: the scanner's value, which leaves out invalid escapes.
    this.scanner.setPosition(start);
    this.scanner.scan();
    return this.scanner.getTokenValue();
  }

  /** The value of the current string token, which is well-formed. */
  private decoded(): string {
    return this.walk.escapes
      ? (JSON.parse(this.text.slice(this.at, this.end)) as string)
      : this.text.slice(this.at + 1, this.end - 1);
  }

  private key(frame: Frame): void {
    const start = this.at;
    let value = this.string(this.depth - 1, true);
    const end = this.end;
    if (this.rootKeys !== undefined && this.depth === 1) value = this.rootKeys.canonical(value);
    frame.key = value;
    // Duplicate keys: every later occurrence.
    let seen: boolean;
    const keySet = frame.keySet;
    if (keySet) {
      // One lookup: add, and see whether the set grew.
      const size = keySet.size;
      seen = keySet.add(value).size === size;
    } else {
      const keys = frame.keys;
      const count = frame.keyCount;
      seen = false;
      for (let i = 0; i < count; i++) {
        if (keys[i] === value) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        keys[count] = value;
        frame.keyCount = count + 1;
        if (count === 16) frame.keySet = new Set(keys.slice(0, count + 1));
      }
    }
    if (frame.checked && this.fit !== 0) this.keyShape(frame, value, seen);
    if (seen) {
      const message = `Duplicate key ${quote(value)}: JSON.parse would silently keep only the last one. Remove one of them.`;
      this.problem(DiagnosticCode.DuplicateKey, message, start, end - start, this.pointer(this.depth), end);
    }
    if (frame.node) {
      const prop = new JsonNode('property', start, frame.node);
      prop.length = end - start;
      const keyNode = new JsonNode('string', start, prop);
      keyNode.value = value;
      keyNode.length = end - start;
      prop.addChild(keyNode);
      frame.node.addChild(prop);
      frame.prop = prop;
    }
    if (this.next() !== Token.Colon) this.unexpected('":"');
    if (frame.prop) frame.prop.colonOffset = this.at;
    frame.state = State.ObjValue;
  }

  /**
   * A container opens in `open` below `frame`: a root value with a shape starts being checked, a container
   * inside a checked one is checked against the shape its place expects.
   */
  private openShape(frame: Frame, open: Frame, isObject: boolean): void {
    let shape: Shape | undefined;
    if (!frame.checked) {
      // A value of the root object: checked when its key has a shape and it is an object.
      shape = isObject ? this.shapes?.get(frame.key) : undefined;
      if (shape === undefined) return;
      this.fit = Fit.AsMerge | Fit.AsReplace;
      this.problemsBeforeFit = this.problems.length;
    } else {
      if (this.fit === 0) return; // it does not fit already: nothing inside it changes that
      shape = frame.isObject ? frame.childShape : frame.elementShape;
      if (shape === undefined || shape.any) return; // anything fits here
    }
    const inner = isObject ? shape.object : shape.array;
    if (inner === undefined || inner === SEVERAL) {
      // No object (array) fits here, or several might: for the caller's checks.
      this.fit = 0;
      if (!frame.checked) open.checked = true; // still say so, when the root value closes
      open.objectShape = undefined;
      open.elementShape = undefined;
      open.childShape = undefined;
      return;
    }
    open.checked = true;
    open.objectShape = isObject ? (inner as ObjectShape) : undefined;
    open.elementShape = isObject ? undefined : (inner as Shape);
    open.childShape = undefined;
    open.childDeclared = false;
    open.childOptional = false;
    open.required = 0;
  }

  /** A key of a checked object: the shape its value must fit. */
  private keyShape(frame: Frame, key: string, seen: boolean): void {
    const shape = frame.objectShape;
    if (shape === undefined) return;
    const prop = shape.props.get(key);
    if (prop !== undefined) {
      frame.childShape = prop.shape;
      frame.childDeclared = true;
      frame.childOptional = prop.optional;
      if (!prop.optional && !seen) frame.required++;
      return;
    }
    frame.childDeclared = false;
    frame.childShape = shape.index;
    if (shape.index === undefined && shape.rejects(key)) this.fit = 0;
  }

  /** A scalar read in a checked container, where `expected` is its shape. */
  private scalarFit(frame: Frame, expected: Shape, type: string, value: unknown): void {
    if (type === 'null' && frame.isObject && frame.childDeclared) {
      // null deletes a key in a merge (fine if it is optional), and is a value in a replace.
      if (!frame.childOptional) this.fit &= ~Fit.AsMerge;
      if (!expected.acceptsNull && !expected.any) this.fit &= ~Fit.AsReplace;
      return;
    }
    if (expected.any) return;
    let fits: boolean;
    switch (type) {
      case 'string':
        fits =
          expected.anyString ||
          (expected.strings !== undefined && expected.strings.get(value as string) === true);
        break;
      case 'number':
        fits =
          expected.anyNumber || (expected.numbers !== undefined && expected.numbers.has(value as number));
        break;
      case 'boolean':
        fits = value === true ? expected.acceptsTrue : expected.acceptsFalse;
        break;
      default:
        fits = expected.acceptsNull;
    }
    if (!fits) this.fit = 0;
  }

  /** Reads the value that starts with `token`, attaching it to `frame`. */
  private value(frame: Frame | undefined, token: Token): void {
    const text = this.text;
    const parentNode = frame ? (frame.isObject ? frame.prop : frame.node) : undefined;
    const build = frame === undefined || parentNode !== undefined;
    const start = this.at;
    const depth = this.depth; // depth of the new value's container, 0 for the root
    if (frame && !frame.isObject) frame.count++;
    if (token === Token.OpenBrace || token === Token.OpenBracket) {
      const isObject = token === Token.OpenBrace;
      if (depth + 1 > MAX_DEPTH && this.tooDeep === undefined)
        this.tooDeep = { offset: start, length: 1, path: this.pointer(depth) };
      let node: JsonNode | undefined;
      if (build) {
        node = new JsonNode(isObject ? 'object' : 'array', start, parentNode);
        this.attach(frame, node);
      }
      const lazy = node !== undefined && depth >= 1 && this.document;
      if (depth === this.stack.length) this.stack.push(newFrame());
      const open = this.stack[depth];
      open.checked = false;
      if (frame !== undefined && (frame.checked || (depth === 1 && this.shapes !== undefined)))
        this.openShape(frame, open, isObject);
      open.isObject = isObject;
      open.node = lazy ? undefined : node;
      open.prop = undefined;
      open.keyCount = 0;
      open.keySet = undefined;
      open.state = isObject ? State.ObjKeyOrEnd : State.ArrValueOrEnd;
      open.comma = -1;
      open.start = start;
      open.lazy = lazy ? node : undefined;
      open.key = '';
      open.count = 0;
      open.ws0 = this.ws;
      open.extra0 = this.extra;
      this.depth = depth + 1;
      return;
    }
    const extra0 = this.extra;
    // Inside a value checked against its shape: the shape this one must fit (undefined: anything).
    const checked = frame !== undefined && frame.checked && this.fit !== 0;
    const expected = checked ? (frame.isObject ? frame.childShape : frame.elementShape) : undefined;
    let type: 'string' | 'number' | 'boolean' | 'null';
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let value: any;
    let end = this.end;
    switch (token) {
      case Token.String:
        value = this.string(depth, build || (checked && needsValue(expected, token)));
        end = this.end;
        type = 'string';
        break;
      case Token.Number:
        value = this.numberAt(start, depth, build || (checked && needsValue(expected, token)));
        end = this.end;
        type = 'number';
        break;
      case Token.True:
      case Token.False:
        value = token === Token.True;
        type = 'boolean';
        break;
      case Token.Null:
        value = null;
        type = 'null';
        break;
      default: {
        // The scanner reads a word up to a delimiter; the problems name less or more than that.
        const c = text.charCodeAt(start);
        const keyword = token === Token.Unknown ? keywordAt(text, start) : undefined;
        if (keyword) {
          // `true` followed by what is not part of a word (`true-`, `null.`): the keyword, then the rest.
          end = start + keyword.length;
          value = keyword === 'null' ? null : keyword === 'true';
          type = keyword === 'null' ? 'null' : 'boolean';
        } else if (token === Token.Unknown && (c === 46 || c === 43)) {
          // .5 or +1: report, then read on as a number.
          this.numberAt(start + 1, depth, false);
          end = this.end;
          const raw = text.slice(start, end);
          const message = `Invalid number ${quote(raw)}: JSON numbers have no leading "${String.fromCharCode(c)}".`;
          this.problem(DiagnosticCode.InvalidNumber, message, start, end - start, this.pointer(depth), end);
          value = 0;
          type = 'number';
        } else {
          const found = describe(text, start);
          this.fatal(
            DiagnosticCode.InvalidJson,
            `Expected a value, found ${found}.${valueHint(text, start, found)}`,
            start,
            tokenLength(text, start),
          );
        }
        this.end = end;
      }
    }
    if (expected !== undefined) this.scalarFit(frame as Frame, expected, type, value);
    if (build) {
      const node = new JsonNode(type, start, parentNode);
      node.value = value;
      node.length = end - start;
      if (depth === 1 && this.document) node.compactSize = node.length + (this.extra - extra0);
      this.attach(frame, node);
      if (frame && frame.prop) frame.prop.length = end - frame.prop.offset;
    }
    if (frame) frame.state = frame.isObject ? State.ObjCommaOrEnd : State.ArrCommaOrEnd;
  }

  /**
   * Reads the number at `start` (to this.end), reported when it is not a JSON number and recorded when
   * it overflows a double. Returns its value when `needed` (0 otherwise: below the root's values, a
   * number is only looked at to see whether it overflows).
   */
  private numberAt(start: number, depth: number, needed: boolean): number {
    const text = this.text;
    const read = readNumber(text, start);
    const end = read < 0 ? ~read : read;
    this.end = end;
    if (read < 0) {
      this.problem(
        DiagnosticCode.InvalidNumber,
        `Invalid number ${quote(text.slice(start, end))}.`,
        start,
        end - start,
        this.pointer(depth),
        end,
      );
      return 0;
    }
    if (!needed && !mayOverflow(text, start, end)) return 0;
    const value = +text.slice(start, end);
    if (value === Infinity || value === -Infinity)
      this.hugeNumbers.push({ offset: start, length: end - start, path: this.pointer(depth) });
    return value;
  }

  private attach(frame: Frame | undefined, node: JsonNode): void {
    if (!frame) this.root = node;
    else if (frame.isObject) (frame.prop as JsonNode).addChild(node);
    else (frame.node as JsonNode).addChild(node);
  }

  /** The container of `frame` ends at the closing token just scanned. */
  private close(frame: Frame): void {
    const depth = --this.depth;
    const end = this.end;
    const node = frame.node ?? frame.lazy;
    if (frame.checked) {
      const shape = frame.objectShape;
      if (shape !== undefined && frame.required < shape.required) this.fit &= ~Fit.AsReplace;
      if (depth === 1 && node) {
        // The root value is read: it fits as far as nothing inside it was a syntax problem.
        (this.fits ??= []).push(node.offset, this.problems.length === this.problemsBeforeFit ? this.fit : 0);
      }
    }
    if (node) {
      node.length = end - frame.start;
      if (frame.lazy) node.deferChildren(buildChildren, this.text);
      if (depth === 1 && this.document)
        node.compactSize = node.length - (this.ws - frame.ws0) + (this.extra - frame.extra0);
    }
    const parent = depth > 0 ? this.stack[depth - 1] : undefined;
    if (parent) {
      if (parent.isObject && parent.prop) parent.prop.length = end - parent.prop.offset;
      parent.state = parent.isObject ? State.ObjCommaOrEnd : State.ArrCommaOrEnd;
    }
  }
}

function newFrame(): Frame {
  return {
    isObject: false,
    node: undefined,
    prop: undefined,
    keys: [],
    keyCount: 0,
    keySet: undefined,
    state: State.ObjKeyOrEnd,
    comma: -1,
    start: 0,
    lazy: undefined,
    key: '',
    count: 0,
    ws0: 0,
    extra0: 0,
    checked: false,
    objectShape: undefined,
    elementShape: undefined,
    childShape: undefined,
    childDeclared: false,
    childOptional: false,
    required: 0,
  };
}

/**
 * How the root value at `offset` fits its shape (Fit bits; 0 when it does not, or was not checked), from
 * ParseResult.fits.
 */
export function fitOf(fits: readonly number[] | undefined, offset: number): number {
  if (fits === undefined) return 0;
  for (let i = 0; i < fits.length; i += 2) if (fits[i] === offset) return fits[i + 1];
  return 0;
}

/** Whether checking a string (number) against `shape` needs its value: for its literals. */
function needsValue(shape: Shape | undefined, token: Token): boolean {
  if (shape === undefined || shape.any) return false;
  return token === Token.String
    ? !shape.anyString && shape.strings !== undefined
    : !shape.anyNumber && shape.numbers !== undefined;
}

/**
 * The children of a container that was only scanned: its text parsed again, this time building every node.
 */
function buildChildren(node: JsonNode, text: string): JsonNode[] {
  const parser = new Parser(text, false, node.offset);
  parser.parseValue();
  const built = parser.root;
  const kids = built && built.type === node.type ? (built.children ?? []) : [];
  for (const kid of kids) kid.parent = node;
  return kids;
}

/** `true`, `false` or `null` at `offset`, not followed by a letter, digit, `_` or `$`. */
function keywordAt(text: string, offset: number): string | undefined {
  for (const word of KEYWORDS) {
    if (
      text.startsWith(word, offset) &&
      !(offset + word.length < text.length && isWordChar(text.charCodeAt(offset + word.length)))
    )
      return word;
  }
  return undefined;
}

const KEYWORDS = ['true', 'false', 'null'];

/** True for a character that can start a JSON value: `" { [ -`, a digit, `t f n`. */
export function isValueStart(c: number): boolean {
  return (
    c === 34 ||
    c === 123 ||
    c === 91 ||
    c === 45 ||
    (c >= 48 && c <= 57) ||
    c === 116 ||
    c === 102 ||
    c === 110
  );
}
