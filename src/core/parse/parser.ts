import type * as jsonc from 'jsonc-parser';
import type { QuickFix } from '../diagnostics';
import { quote } from '../text/clip';
import { escapeSegment } from '../text/pointer';
import { DiagnosticCode } from '../validate/codes';

/**
 * A strict JSON parser with exact offsets, written for this extension:
 * - one pass, no recursion (any nesting depth), no exceptions;
 * - reports comments, trailing commas, missing commas, duplicate keys (every later occurrence),
 *   a BOM, and the first unrecoverable error, then stops;
 * - builds a `jsonc-parser`-compatible tree. Below the values of the root's properties, children
 *   are built on first access (`node.children`), so a 1 MB metadata value costs a scan, not a tree.
 */

/** Clerk's API (Go's encoding/json) rejects documents nested deeper than this. */
export const MAX_DEPTH = 10000;

/** Words that are nearly JSON literals (True, NULL, undefined, …): safe and useful to quote in messages. */
const NEAR_KEYWORD = /^(true|false|null|none|nil|undefined|nan|infinity)$/i;

/** Length of the valid JSON escape starting at the backslash at `pos` (2 or 6), or 0 when it is not one. */
function escapeLength(text: string, pos: number): number {
  const e = codeAt(text, pos + 1);
  if (e === CH_QUOTE || e === CH_BACKSLASH || e === CH_SLASH || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) return 2;
  if (e === 117 && isHex(codeAt(text, pos + 2)) && isHex(codeAt(text, pos + 3)) && isHex(codeAt(text, pos + 4)) && isHex(codeAt(text, pos + 5))) return 6;
  return 0;
}

function isNearKeyword(word: string): boolean {
  const lower = word.toLowerCase();
  return NEAR_KEYWORD.test(word) || (word.length >= 2 && ['true', 'false', 'null'].some((k) => k.startsWith(lower)));
}

/** The parse stops after this many problems (a file of garbage would otherwise give thousands). */
export const MAX_PROBLEMS = 100;

export interface SyntaxProblem {
  code: DiagnosticCode;
  message: string;
  offset: number;
  length: number;
  /** JSON pointer of the value, key or container where the problem is. */
  path: string;
  fixes?: QuickFix[];
}

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
  /** Raw unpaired surrogates in strings (not valid Unicode: they cannot be sent as UTF-8), at most MAX_PROBLEMS. */
  unpairedSurrogates: Located[];
}

export interface Located {
  offset: number;
  length: number;
  path: string;
}

/** A node of the syntax tree; structurally a `jsonc.Node`, so jsonc-parser's tree helpers accept it. */
export class JsonNode implements jsonc.Node {
  type: jsonc.NodeType;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  value: any;
  offset: number;
  length: number;
  colonOffset: number | undefined;
  parent: JsonNode | undefined;
  /**
   * For values of the root's properties: the size in UTF-8 bytes of the value as written, without
   * whitespace between tokens (what JSON.stringify would send). -1 elsewhere.
   */
  compactSize: number;
  /** Built children, or undefined when they are built lazily from `source`. */
  private kids: JsonNode[] | undefined;
  /** The document text, kept on containers whose children are built on first access. */
  private source: string | undefined;

  constructor(type: jsonc.NodeType, offset: number, parent: JsonNode | undefined) {
    this.type = type;
    this.value = undefined;
    this.offset = offset;
    this.length = 0;
    this.colonOffset = undefined;
    this.parent = parent;
    this.compactSize = -1;
    this.kids = type === 'object' || type === 'array' || type === 'property' ? [] : undefined;
    this.source = undefined;
  }

  get children(): JsonNode[] | undefined {
    if (this.source !== undefined) {
      const text = this.source;
      this.source = undefined;
      this.kids = materialize(text, this);
    }
    return this.kids;
  }

  /** @internal */
  addChild(child: JsonNode): void {
    (this.kids as JsonNode[]).push(child);
  }

  /** @internal */
  deferChildren(text: string): void {
    this.kids = undefined;
    this.source = text;
  }

  /** @internal */
  setChildren(kids: JsonNode[]): void {
    this.kids = kids;
    this.source = undefined;
  }
}

function materialize(text: string, node: JsonNode): JsonNode[] {
  const result = parseValueAt(text, node.offset, Infinity);
  const built = result.root;
  const kids = built && built.type === node.type ? (built.children ?? []) : [];
  for (const kid of kids) kid.parent = node;
  return kids;
}

/**
 * Key names to share: a root key equal to one of them is returned as that very string. The validator
 * then stores and looks up keys whose hash is already computed and that are already internalized as
 * property names, instead of hashing a fresh copy of each key several times per keystroke.
 */
export class KeyTable {
  /** Names by length. */
  private readonly byLength: string[][] = [];

  constructor(names: Iterable<string>) {
    for (const name of names) (this.byLength[name.length] ??= []).push(name);
  }

  /** The shared string equal to `key`, or `key` itself. */
  canonical(key: string): string {
    const candidates = this.byLength[key.length];
    if (candidates === undefined) return key;
    // Most names of one length differ in their middle character: compare that first.
    const mid = key.length >> 1;
    const c = key.charCodeAt(mid);
    for (let i = 0; i < candidates.length; i++) {
      const name = candidates[i];
      if (name.charCodeAt(mid) === c && name === key) return name;
    }
    return key;
  }
}

/**
 * Parse a whole document; root keys found in `rootKeys` are returned as its strings. `fastScan: false`
 * parses every container with the state machine (tests compare both ways).
 */
export function parseDocument(text: string, rootKeys?: KeyTable, fastScan = true): ParseResult {
  return new Parser(text, 2, rootKeys, fastScan).parseDocument();
}

/** Parse the value starting at `offset` (used for lazy children). */
function parseValueAt(text: string, offset: number, buildDepth: number): ParseResult {
  const parser = new Parser(text, buildDepth);
  parser.pos = offset;
  return parser.parseOne();
}

const enum State {
  ObjKeyOrEnd,
  ObjKey,
  ObjColon,
  ObjValue,
  ObjCommaOrEnd,
  ArrValueOrEnd,
  ArrValue,
  ArrCommaOrEnd,
}

interface Frame {
  isObject: boolean;
  node: JsonNode | undefined;
  /** The property being read (objects with a node). */
  prop: JsonNode | undefined;
  keys: string[] | undefined;
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
}

const CH_TAB = 9,
  CH_LF = 10,
  CH_CR = 13,
  CH_SPACE = 32,
  CH_QUOTE = 34,
  CH_COMMA = 44,
  CH_MINUS = 45,
  CH_DOT = 46,
  CH_SLASH = 47,
  CH_0 = 48,
  CH_9 = 57,
  CH_COLON = 58,
  CH_LBRACKET = 91,
  CH_BACKSLASH = 92,
  CH_RBRACKET = 93,
  CH_LBRACE = 123,
  CH_RBRACE = 125,
  CH_STAR = 42,
  CH_BOM = 0xfeff;

class Fatal {}
const FATAL = new Fatal();

class Parser {
  pos = 0;
  private readonly problems: SyntaxProblem[] = [];
  private readonly stack: Frame[] = [];
  private tooDeep: Located | undefined;
  private readonly hugeNumbers: Located[] = [];
  private readonly unpairedSurrogates: Located[] = [];
  private root: JsonNode | undefined;
  /** Characters of whitespace and comments skipped so far. */
  private ws = 0;
  /** Extra UTF-8 bytes (beyond one per UTF-16 unit) of string characters read so far. */
  private extra = 0;

  constructor(
    private readonly text: string,
    /** Containers at depth < buildDepth get built children (root = depth 1); deeper ones are lazy. */
    private readonly buildDepth: number,
    private readonly rootKeys?: KeyTable,
    private readonly fastScan = true,
  ) {}

  parseDocument(): ParseResult {
    if (codeAt(this.text, 0) === CH_BOM) {
      this.problems.push({
        code: DiagnosticCode.Bom,
        message: 'The file starts with a byte order mark (BOM). Strict JSON has none; it is never sent. Save the file as UTF-8 without BOM.',
        offset: 0,
        length: 1,
        path: '',
        fixes: [{ title: 'Remove the byte order mark', edits: [{ offset: 0, length: 1, newText: '' }], preferred: true }],
      });
      this.pos = 1;
    }
    const result = this.parseOne();
    if (result.complete && result.root) {
      // Only whitespace and comments may follow the root value.
      try {
        this.skipTrivia();
        if (this.pos < this.text.length) {
          this.error(DiagnosticCode.InvalidJson, 'Unexpected text after the end of the root value.', this.pos, this.text.length - this.pos);
        }
      } catch (e) {
        if (e !== FATAL) throw e;
        return { ...result, problems: this.problems, complete: false };
      }
    }
    return result;
  }

  parseOne(): ParseResult {
    let complete = true;
    try {
      this.run();
    } catch (e) {
      if (e !== FATAL) throw e;
      complete = false;
      this.closeOpenNodes();
    }
    return { root: this.root, problems: this.problems, complete, tooDeep: this.tooDeep, hugeNumbers: this.hugeNumbers, unpairedSurrogates: this.unpairedSurrogates };
  }

  /** After a fatal error: the open containers (and their properties) end where the parse stopped. */
  private closeOpenNodes(): void {
    const end = Math.min(this.pos, this.text.length);
    for (const frame of this.stack) {
      const node = frame.node ?? frame.lazy;
      if (node) node.length = end - frame.start;
      if (frame.prop) frame.prop.length = end - frame.prop.offset;
    }
  }

  /** JSON pointer of the current child of each of the first `frames` open containers. */
  private pointer(frames: number): string {
    let out = '';
    const stack = this.stack;
    for (let i = 0; i < frames && i < stack.length; i++) {
      const f = stack[i];
      out += '/' + (f.isObject ? escapeSegment(f.key) : String(f.count - 1));
    }
    return out;
  }

  /** Pointer of the innermost open container. */
  private containerPath(): string {
    return this.pointer(this.stack.length - 1);
  }

  private error(code: DiagnosticCode, message: string, offset: number, length: number, path = this.containerPath()): never {
    this.problems.push({ code, message, offset, length, path });
    throw FATAL;
  }

  private problem(code: DiagnosticCode, message: string, offset: number, length: number, path: string, fixes?: QuickFix[]): void {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.error(DiagnosticCode.InvalidJson, `More than ${MAX_PROBLEMS} syntax problems: checking stopped here.`, offset, length);
    }
    const p: SyntaxProblem = { code, message, offset, length, path };
    if (fixes) p.fixes = fixes;
    this.problems.push(p);
  }

  /** Skips whitespace and comments (reporting each comment). */
  private skipTrivia(): void {
    const text = this.text;
    const n = text.length;
    const begin = this.pos;
    let pos = begin;
    while (pos < n) {
      const c = codeAt(text, pos);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        pos++;
      } else if (c === CH_SLASH) {
        const next = codeAt(text, pos + 1);
        const start = pos;
        if (next === CH_SLASH) {
          pos += 2;
          while (pos < n) {
            const d = codeAt(text, pos);
            if (d === CH_LF || d === CH_CR) break;
            pos++;
          }
        } else if (next === CH_STAR) {
          const end = text.indexOf('*/', pos + 2);
          pos = end === -1 ? n : end + 2;
        } else {
          this.pos = pos;
          this.error(DiagnosticCode.InvalidJson, 'Unexpected character "/".', pos, 1);
        }
        this.pos = pos;
        this.problem(DiagnosticCode.Comment, 'Comments are not allowed: the file is sent to Clerk as strict JSON.', start, pos - start, this.containerPath(), [
          { title: 'Remove the comment', edits: [{ offset: start, length: pos - start, newText: '' }], preferred: true },
        ]);
      } else {
        break;
      }
    }
    this.ws += pos - begin;
    this.pos = pos;
  }

  private describe(offset: number): string {
    if (offset >= this.text.length) return 'the end of the file';
    const c = this.text.codePointAt(offset) ?? 0;
    if (c < 0x20 || c === 0x7f || c === 0xfffd || (c >= 0x80 && c < 0xa0)) {
      return `control character U+${c.toString(16).toUpperCase().padStart(4, '0')} (is this a binary file?)`;
    }
    const word = /^[A-Za-z_$][\w$]*/.exec(this.text.slice(offset, offset + 40));
    // Only near-keywords are quoted back: any other bare word may be a value someone forgot to
    // quote (a password, say), and messages end up in terminals and logs.
    if (word) return isNearKeyword(word[0]) ? `\`${word[0]}\`` : 'an unquoted word';
    return `"${String.fromCodePoint(c)}"`;
  }

  /** Length of the token at `offset`, for error ranges: a string (up to its line's end), a word, a number or one character. */
  private tokenLength(offset: number): number {
    const text = this.text;
    if (offset >= text.length) return 0;
    const c = codeAt(text, offset);
    if (c === CH_QUOTE) {
      let p = offset + 1;
      while (p < text.length) {
        const d = codeAt(text, p);
        if (d === CH_BACKSLASH) p += 2;
        else if (d === CH_QUOTE) return p + 1 - offset;
        else if (d === CH_LF || d === CH_CR) break;
        else p++;
      }
      return Math.min(p, text.length) - offset;
    }
    if (isWordChar(c) || c === CH_MINUS) {
      let p = offset + 1;
      while (p < text.length && (isWordChar(codeAt(text, p)) || codeAt(text, p) === CH_DOT)) p++;
      return p - offset;
    }
    // A surrogate pair is one character; a lone high surrogate (maybe the last unit of the text) is one unit.
    return isPair(text, offset) ? 2 : 1;
  }

  private unexpected(expected: string): never {
    const at = this.pos;
    this.error(DiagnosticCode.InvalidJson, `Expected ${expected}, found ${this.describe(at)}.`, at, this.tokenLength(at));
  }

  private run(): void {
    const text = this.text;
    const stack = this.stack;
    for (;;) {
      this.skipTrivia();
      const frame = stack.length > 0 ? stack[stack.length - 1] : undefined;
      const pos = this.pos;
      const c = codeAt(text, pos);
      if (!frame) {
        if (this.root) return; // the single root value is done
        if (c === -1) return; // empty document
        this.value(undefined, c);
        if (stack.length === 0) return;
        continue;
      }
      switch (frame.state) {
        case State.ObjKeyOrEnd:
        case State.ObjKey:
          if (c === CH_QUOTE) {
            this.key(frame);
          } else if (c === CH_RBRACE) {
            if (frame.state === State.ObjKey) this.trailingComma(frame);
            this.close(frame);
          } else if (c === -1) {
            this.unclosed(frame);
          } else {
            this.unexpected(frame.state === State.ObjKey ? 'a property name in double quotes' : 'a property name in double quotes or "}"');
          }
          break;
        case State.ObjColon:
          if (c === CH_COLON) {
            if (frame.prop) frame.prop.colonOffset = pos;
            this.pos++;
            frame.state = State.ObjValue;
          } else {
            this.unexpected('":"');
          }
          break;
        case State.ObjValue:
        case State.ArrValue:
        case State.ArrValueOrEnd:
          if (c === CH_RBRACKET && frame.state !== State.ObjValue) {
            if (frame.state === State.ArrValue) this.trailingComma(frame);
            this.close(frame);
          } else if (c === -1) {
            if (frame.state === State.ObjValue) this.unexpected('a value');
            this.unclosed(frame);
          } else {
            this.value(frame, c);
          }
          break;
        case State.ObjCommaOrEnd:
        case State.ArrCommaOrEnd:
          if (c === CH_COMMA) {
            frame.comma = pos;
            this.pos++;
            frame.state = frame.isObject ? State.ObjKey : State.ArrValue;
          } else if (c === (frame.isObject ? CH_RBRACE : CH_RBRACKET)) {
            this.close(frame);
          } else if (c === -1) {
            this.unclosed(frame);
          } else if (frame.isObject ? c === CH_QUOTE : isValueStart(c)) {
            // Recover from the most common slip while typing: a missing comma.
            this.problem(DiagnosticCode.MissingComma, 'Expected a comma before this ' + (frame.isObject ? 'property.' : 'value.'), pos, 1, this.containerPath(), [
              { title: 'Insert a comma', edits: [{ offset: this.endOfPrevious(pos), length: 0, newText: ',' }], preferred: true },
            ]);
            frame.state = frame.isObject ? State.ObjKey : State.ArrValue;
          } else {
            this.unexpected(frame.isObject ? '"," or "}"' : '"," or "]"');
          }
          break;
      }
    }
  }

  /** The offset just after the previous value (skipping back over whitespace). */
  private endOfPrevious(pos: number): number {
    let p = pos;
    while (p > 0) {
      const c = codeAt(this.text, p - 1);
      if (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) p--;
      else break;
    }
    return p;
  }

  private trailingComma(frame: Frame): void {
    this.problem(DiagnosticCode.TrailingComma, 'Trailing commas are not allowed in JSON.', frame.comma, 1, this.containerPath(), [
      { title: 'Remove the trailing comma', edits: [{ offset: frame.comma, length: 1, newText: '' }], preferred: true },
    ]);
  }

  private unclosed(frame: Frame): never {
    const closer = frame.isObject ? '}' : ']';
    const opener = frame.isObject ? '{' : '[';
    const message = `Expected "${closer}" to close the ${frame.isObject ? 'object' : 'array'} opened with "${opener}" at offset ${frame.start}, found the end of the file.`;
    this.error(DiagnosticCode.InvalidJson, message, this.text.length, 0);
  }

  private key(frame: Frame): void {
    const start = this.pos;
    let value = this.string(true, this.stack.length - 1);
    if (this.rootKeys !== undefined && this.stack.length === 1) value = this.rootKeys.canonical(value);
    const end = this.pos;
    frame.key = value;
    // Duplicate keys: every later occurrence.
    let seen: boolean;
    if (frame.keySet) {
      seen = frame.keySet.has(value);
      if (!seen) frame.keySet.add(value);
    } else {
      const keys = frame.keys ?? (frame.keys = []);
      seen = keys.includes(value);
      if (!seen) {
        keys.push(value);
        if (keys.length > 16) {
          frame.keySet = new Set(keys);
          frame.keys = undefined;
        }
      }
    }
    if (seen) {
      this.problem(
        DiagnosticCode.DuplicateKey,
        `Duplicate key ${quote(value)}: JSON.parse would silently keep only the last one. Remove one of them.`,
        start,
        end - start,
        this.pointer(this.stack.length),
      );
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
    frame.state = State.ObjColon;
  }

  /** Reads a value starting with character `c` at this.pos, attaching it to `frame`. */
  private value(frame: Frame | undefined, c: number): void {
    const parentNode = frame ? (frame.isObject ? frame.prop : frame.node) : undefined;
    const build = frame === undefined || parentNode !== undefined;
    const start = this.pos;
    const depth = this.stack.length; // depth of the new value's container, 0 for the root
    if (frame && !frame.isObject) frame.count++;
    const ws0 = this.ws;
    const extra0 = this.extra;
    if (c === CH_LBRACE || c === CH_LBRACKET) {
      const isObject = c === CH_LBRACE;
      if (depth + 1 > MAX_DEPTH && this.tooDeep === undefined) this.tooDeep = { offset: start, length: 1, path: this.pointer(depth) };
      let node: JsonNode | undefined;
      if (build) {
        node = new JsonNode(isObject ? 'object' : 'array', start, parentNode);
        this.attach(frame, node);
      }
      const lazy = node !== undefined && depth + 1 >= this.buildDepth;
      if (lazy && this.fastScan && this.skipClean(depth + 1)) {
        // Scanned in one go, nothing to report: the same bookkeeping as close().
        const lazyNode = node as JsonNode;
        lazyNode.length = this.pos - start;
        lazyNode.deferChildren(this.text);
        if (depth === 1) lazyNode.compactSize = lazyNode.length - (this.ws - ws0) + (this.extra - extra0);
        if (frame) {
          if (frame.isObject && frame.prop) frame.prop.length = this.pos - frame.prop.offset;
          frame.state = frame.isObject ? State.ObjCommaOrEnd : State.ArrCommaOrEnd;
        }
        return;
      }
      this.pos++;
      this.stack.push({
        isObject,
        // Containers deeper than buildDepth are scanned only; their nodes get lazy children.
        node: lazy ? undefined : node,
        prop: undefined,
        keys: undefined,
        keySet: undefined,
        state: isObject ? State.ObjKeyOrEnd : State.ArrValueOrEnd,
        comma: -1,
        start,
        lazy: lazy ? node : undefined,
        key: '',
        count: 0,
        ws0: this.ws,
        extra0: this.extra,
      });
      return;
    }
    let type: jsonc.NodeType;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let value: any;
    if (c === CH_QUOTE) {
      value = this.string(build, depth);
      type = 'string';
    } else if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) {
      value = this.number(build, depth);
      type = 'number';
    } else if (c === 116 && this.text.startsWith('true', start) && !isWordChar(codeAt(this.text, start + 4))) {
      this.pos += 4;
      value = true;
      type = 'boolean';
    } else if (c === 102 && this.text.startsWith('false', start) && !isWordChar(codeAt(this.text, start + 5))) {
      this.pos += 5;
      value = false;
      type = 'boolean';
    } else if (c === 110 && this.text.startsWith('null', start) && !isWordChar(codeAt(this.text, start + 4))) {
      this.pos += 4;
      value = null;
      type = 'null';
    } else if (c === CH_DOT || c === 43 /* + */) {
      // .5 or +1: report, then read on as a number.
      this.pos++;
      this.number(false, depth);
      const raw = this.text.slice(start, this.pos);
      this.problem(DiagnosticCode.InvalidNumber, `Invalid number ${quote(raw)}: JSON numbers have no leading "${String.fromCharCode(c)}".`, start, this.pos - start, this.pointer(depth));
      value = 0;
      type = 'number';
    } else {
      const found = this.describe(start);
      const hint = c === 39 ? ' Strings must use double quotes.' : /^(`[A-Za-z]|an unquoted word)/.test(found) ? ' Use true, false, null, a number, a "string", an object or an array.' : '';
      this.error(DiagnosticCode.InvalidJson, `Expected a value, found ${found}.${hint}`, start, this.tokenLength(start));
    }
    if (build) {
      const node = new JsonNode(type, start, parentNode);
      node.value = value;
      node.length = this.pos - start;
      if (depth === 1) node.compactSize = node.length - (this.ws - ws0) + (this.extra - extra0);
      this.attach(frame, node);
      if (frame && frame.prop) frame.prop.length = this.pos - frame.prop.offset;
    }
    if (frame) frame.state = frame.isObject ? State.ObjCommaOrEnd : State.ArrCommaOrEnd;
  }

  /**
   * The fast path for a container whose children are not built (a root property's object or array,
   * e.g. 1 MB of metadata): scans it from its opening bracket at this.pos, at nesting `depth`, in one
   * tight loop. Returns true when the container is clean (strict JSON, no duplicate key, no number that
   * overflows, not too deep): this.pos is then just after its closing bracket and the whitespace and
   * UTF-8 counters are updated. At anything the full parser would report or record (and at escapes in
   * keys), it returns false with this.pos and the counters unchanged, and the caller parses the
   * container with the state machine, which reports it.
   */
  private skipClean(depth: number): boolean {
    const text = this.text;
    const n = text.length;
    const maxNesting = MAX_DEPTH - depth; // containers that may still open inside this one
    let pos = this.pos;
    let ws = 0;
    let extra = 0;
    // Per open container: 1 object, 0 array; and its keys so far (objects), for duplicates.
    const kinds: number[] = [];
    const keys: string[][] = [];
    const keySets: (Set<string> | undefined)[] = [];
    let open = 0; // open containers
    let isObject = false;
    // What may come next: 0 a value, 1 a value or the close (just opened array), 2 a key, 3 a key or
    // the close (just opened object), 4 a comma or the close.
    let expect = 1;
    for (;;) {
      let c = codeAt(text, pos);
      while (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
        ws++;
        c = codeAt(text, ++pos);
      }
      if (pos >= n) return false;
      if (expect === 4) {
        if (c === CH_COMMA) {
          pos++;
          expect = isObject ? 2 : 0;
          continue;
        }
        if (c !== (isObject ? CH_RBRACE : CH_RBRACKET)) return false;
        pos++;
        open--;
        if (open === 0) break;
        isObject = kinds[open - 1] === 1;
        continue;
      }
      if (expect >= 2) {
        // A key, or the close of an object that has just opened.
        if (c === CH_RBRACE && expect === 3) {
          pos++;
          open--;
          if (open === 0) break;
          isObject = kinds[open - 1] === 1;
          expect = 4;
          continue;
        }
        if (c !== CH_QUOTE) return false;
        const keyStart = pos + 1;
        pos = keyStart;
        c = codeAt(text, pos);
        while (c >= 0x20 && c !== CH_QUOTE && c !== CH_BACKSLASH) {
          if (c >= 0xd800 && c <= 0xdfff) {
            if (!isPair(text, pos)) return false; // unpaired: the state machine records it
            extra += 2;
            pos++;
          } else if (c >= 0x80) {
            extra += c < 0x800 ? 1 : 2;
          }
          c = codeAt(text, ++pos);
        }
        if (c !== CH_QUOTE) return false; // an escape, a control character or the end
        const key = text.slice(keyStart, pos);
        pos++;
        const list = keys[open - 1];
        const set = keySets[open - 1];
        if (set !== undefined) {
          if (set.has(key)) return false;
          set.add(key);
        } else {
          if (list.includes(key)) return false;
          list.push(key);
          if (list.length > 16) keySets[open - 1] = new Set(list);
        }
        c = codeAt(text, pos);
        while (c === CH_SPACE || c === CH_LF || c === CH_CR || c === CH_TAB) {
          ws++;
          c = codeAt(text, ++pos);
        }
        if (c !== CH_COLON) return false;
        pos++;
        expect = 0;
        continue;
      }
      // A value (or, when expect is 1, the close of an array that has just opened).
      if (c === CH_LBRACE || c === CH_LBRACKET) {
        if (open > maxNesting) return false;
        isObject = c === CH_LBRACE;
        kinds[open] = isObject ? 1 : 0;
        if (isObject) {
          if (keys[open] === undefined) keys[open] = [];
          else keys[open].length = 0;
          keySets[open] = undefined;
        }
        open++;
        pos++;
        expect = isObject ? 3 : 1;
        continue;
      }
      if (c === CH_RBRACKET && expect === 1) {
        pos++;
        open--;
        if (open === 0) break;
        isObject = kinds[open - 1] === 1;
        expect = 4;
        continue;
      }
      if (c === CH_QUOTE) {
        pos++;
        for (;;) {
          pos = plainEnd(text, pos);
          c = codeAt(text, pos);
          if (c === CH_QUOTE) break;
          if (c === CH_BACKSLASH) {
            const length = escapeLength(text, pos);
            if (length === 0) return false;
            pos += length;
            continue;
          }
          if (c < 0x20 || pos >= n) return false; // a control character, or unterminated
          if (c === 0x7f) {
            pos++;
            continue;
          }
          if (c >= 0xd800 && c <= 0xdfff) {
            if (!isPair(text, pos)) return false; // unpaired: the state machine records it
            extra += 2;
            pos += 2;
            continue;
          }
          extra += c < 0x800 ? 1 : 2;
          pos++;
        }
        pos++;
      } else if (c === CH_MINUS || (c >= CH_0 && c <= CH_9)) {
        if (c === CH_MINUS) c = codeAt(text, ++pos);
        if (c === CH_0) {
          c = codeAt(text, ++pos);
        } else if (c >= CH_0 + 1 && c <= CH_9) {
          const digits = pos;
          do c = codeAt(text, ++pos);
          while (c >= CH_0 && c <= CH_9);
          if (pos - digits > 308) return false; // may overflow: the full parser records it
        } else {
          return false;
        }
        if (c === CH_DOT) {
          c = codeAt(text, ++pos);
          if (!(c >= CH_0 && c <= CH_9)) return false;
          do c = codeAt(text, ++pos);
          while (c >= CH_0 && c <= CH_9);
        }
        if (c === 101 || c === 69) return false; // an exponent may overflow: the full parser checks it
        if (isWordChar(c)) return false;
      } else if (c === 116 && text.startsWith('true', pos) && !isWordChar(codeAt(text, pos + 4))) {
        pos += 4;
      } else if (c === 102 && text.startsWith('false', pos) && !isWordChar(codeAt(text, pos + 5))) {
        pos += 5;
      } else if (c === 110 && text.startsWith('null', pos) && !isWordChar(codeAt(text, pos + 4))) {
        pos += 4;
      } else {
        return false;
      }
      expect = 4;
    }
    this.pos = pos;
    this.ws += ws;
    this.extra += extra;
    return true;
  }

  private attach(frame: Frame | undefined, node: JsonNode): void {
    if (!frame) {
      this.root = node;
    } else if (frame.isObject) {
      const prop = frame.prop as JsonNode;
      prop.addChild(node);
    } else {
      (frame.node as JsonNode).addChild(node);
    }
  }

  private close(frame: Frame): void {
    this.pos++;
    this.stack.pop();
    const end = this.pos;
    const node = frame.node ?? frame.lazy;
    if (node) {
      node.length = end - frame.start;
      if (frame.lazy) node.deferChildren(this.text);
      if (this.stack.length === 1) node.compactSize = node.length - (this.ws - frame.ws0) + (this.extra - frame.extra0);
    }
    const parent = this.stack.length > 0 ? this.stack[this.stack.length - 1] : undefined;
    if (parent) {
      if (parent.isObject && parent.prop) {
        parent.prop.length = end - parent.prop.offset;
      }
      parent.state = parent.isObject ? State.ObjCommaOrEnd : State.ArrCommaOrEnd;
    }
  }

  /**
   * Reads a string at this.pos (on the opening quote); returns its value when `build`, else ''.
   * Problems get the path of the first `pathFrames` open containers' current children.
   * A well-formed string is scanned once and, if it has escapes, decoded by the native JSON.parse;
   * anything to report (a bad escape, a raw control character, no closing quote) goes through
   * stringWithProblems, which decodes it unit by unit and reports.
   */
  private string(build: boolean, pathFrames: number): string {
    const text = this.text;
    const start = this.pos;
    let pos = start + 1;
    let extra = 0;
    let escaped = false;
    for (;;) {
      pos = plainEnd(text, pos);
      const c = codeAt(text, pos);
      if (c === CH_QUOTE) break;
      if (c === CH_BACKSLASH) {
        const length = escapeLength(text, pos);
        if (length === 0) return this.stringWithProblems(build, pathFrames, pos, extra, escaped);
        pos += length;
        escaped = true;
        continue;
      }
      if (c < 0x20) return this.stringWithProblems(build, pathFrames, pos, extra, escaped); // a control character, or the end (-1)
      // UTF-8: 2 bytes below U+0800, 4 per surrogate pair (2 per unit), 3 otherwise.
      if (c >= 0xd800 && c <= 0xdfff) {
        if (isPair(text, pos)) {
          extra += 2;
          pos += 2;
          continue;
        }
        this.unpaired(pos, pathFrames);
        extra += 1;
      } else if (c >= 0x80) {
        extra += c < 0x800 ? 1 : 2;
      }
      pos++;
    }
    this.pos = pos + 1;
    this.extra += extra;
    if (!build) return '';
    return escaped ? (JSON.parse(text.slice(start, pos + 1)) as string) : text.slice(start + 1, pos);
  }

  /**
   * string() from `resumeAt`, unit by unit, reporting what is wrong with the string. Everything before
   * `resumeAt` was found well-formed (holding `extra` UTF-8 bytes beyond one per unit, and escapes if
   * `escaped`): it is decoded in one go, so a problem at the end of a long string costs no more than
   * the well-formed string would.
   */
  private stringWithProblems(build: boolean, pathFrames: number, resumeAt: number, extra: number, escaped: boolean): string {
    const text = this.text;
    const n = text.length;
    const start = this.pos;
    let pos = resumeAt;
    let chunkStart = pos;
    this.extra += extra;
    let out = !build ? '' : escaped ? (JSON.parse('"' + text.slice(start + 1, resumeAt) + '"') as string) : text.slice(start + 1, resumeAt);
    for (;;) {
      // Skip the characters that need no attention: printable ASCII except `"` and `\`.
      pos = plainEnd(text, pos);
      const c = codeAt(text, pos);
      if (pos >= n) {
        this.pos = n;
        this.error(DiagnosticCode.InvalidString, 'Unterminated string: the closing double quote is missing.', start, n - start, this.pointer(pathFrames));
      }
      if (c === CH_QUOTE) {
        if (build) out += text.slice(chunkStart, pos);
        pos++;
        break;
      }
      if (c === CH_BACKSLASH) {
        if (build) out += text.slice(chunkStart, pos);
        const e = codeAt(text, pos + 1);
        let len = 2;
        let decoded = '';
        switch (e) {
          case CH_QUOTE: decoded = '"'; break;
          case CH_BACKSLASH: decoded = '\\'; break;
          case CH_SLASH: decoded = '/'; break;
          case 98: decoded = '\b'; break;
          case 102: decoded = '\f'; break;
          case 110: decoded = '\n'; break;
          case 114: decoded = '\r'; break;
          case 116: decoded = '\t'; break;
          case 117: {
            const hex = text.slice(pos + 2, pos + 6);
            if (/^[0-9a-fA-F]{4}$/.test(hex)) {
              decoded = String.fromCharCode(parseInt(hex, 16));
              len = 6;
            } else {
              const bad = /^[0-9a-fA-F]*/.exec(hex)![0].length + 2;
              this.problem(DiagnosticCode.InvalidString, 'Invalid unicode escape: \\u must be followed by 4 hex digits.', pos, bad, this.pointer(pathFrames));
              len = bad;
            }
            break;
          }
          default:
            if (pos + 1 >= n) {
              len = 1;
            } else {
              this.problem(DiagnosticCode.InvalidString, `Invalid escape "\\${text[pos + 1]}" in a string. JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.`, pos, 2, this.pointer(pathFrames));
            }
        }
        if (build) out += decoded;
        pos += len;
        chunkStart = pos;
        continue;
      }
      if (c < 0x20) {
        if (c === CH_LF || c === CH_CR) {
          this.pos = pos;
          this.error(DiagnosticCode.InvalidString, 'Unterminated string: the closing double quote is missing before the end of the line.', start, pos - start, this.pointer(pathFrames));
        }
        this.problem(DiagnosticCode.InvalidString, `Raw control character U+${c.toString(16).toUpperCase().padStart(4, '0')} in a string; write it as an escape (e.g. \\t or \\u${c.toString(16).padStart(4, '0')}).`, pos, 1, this.pointer(pathFrames));
      } else if (c >= 0xd800 && c <= 0xdfff) {
        // UTF-8: 4 bytes per surrogate pair (2 per unit).
        if (isPair(text, pos)) {
          this.extra += 2;
          pos += 2;
          continue;
        }
        this.unpaired(pos, pathFrames);
        this.extra += 1;
      } else if (c >= 0x80) {
        // UTF-8: 2 bytes below U+0800, 3 otherwise.
        this.extra += c < 0x800 ? 1 : 2;
      }
      pos++;
    }
    this.pos = pos;
    return out;
  }

  /** Records a raw unpaired surrogate at `offset` (in a string; see ParseResult.unpairedSurrogates). */
  private unpaired(offset: number, pathFrames: number): void {
    if (this.unpairedSurrogates.length < MAX_PROBLEMS) this.unpairedSurrogates.push({ offset, length: 1, path: this.pointer(pathFrames) });
  }

  /** Reads a number at this.pos, reporting a malformed one; returns its value when `build` (else 0). */
  private number(build: boolean, depth: number): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    let ok = true;
    if (codeAt(text, pos) === CH_MINUS) pos++;
    const intStart = pos;
    while (isDigit(codeAt(text, pos))) pos++;
    const intLen = pos - intStart;
    if (intLen === 0) ok = false;
    else if (intLen > 1 && codeAt(text, intStart) === CH_0) ok = false;
    let exponent = false;
    let plain = true;
    if (codeAt(text, pos) === CH_DOT) {
      plain = false;
      pos++;
      const f = pos;
      while (isDigit(codeAt(text, pos))) pos++;
      if (pos === f) ok = false;
    }
    const e = codeAt(text, pos);
    if (e === 101 || e === 69) {
      plain = false;
      exponent = true;
      pos++;
      const s = codeAt(text, pos);
      if (s === 43 || s === CH_MINUS) pos++;
      const x = pos;
      while (isDigit(codeAt(text, pos))) pos++;
      if (pos === x) ok = false;
    }
    // Letters glued to a number (e.g. 12abc) belong to the same bad token.
    while (isWordChar(codeAt(text, pos))) {
      ok = false;
      pos++;
    }
    this.pos = pos;
    if (!ok) {
      const raw = text.slice(start, pos);
      this.problem(DiagnosticCode.InvalidNumber, `Invalid number ${quote(raw)}.`, start, pos - start, this.pointer(depth));
      return 0;
    }
    // Only an exponent or more than 308 digits can overflow a double.
    if (!build && !exponent && intLen <= 308) return 0;
    const raw = text.slice(start, pos);
    const value = plain && raw.length < 16 ? parseInt(raw, 10) : Number(raw);
    if (!Number.isFinite(value)) this.hugeNumbers.push({ offset: start, length: pos - start, path: this.pointer(depth) });
    return value;
  }
}

/**
 * The UTF-16 unit at `i`, or -1 past the end. Reading past the end with charCodeAt (NaN) makes V8 throw
 * away the parser's optimized code, again and again over a long session (a number at the very end of a
 * half-typed file, say), so every read goes through here.
 */
function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : -1;
}

/** Matches the first unit that is not printable ASCII other than `"` and `\\`. */
const NOT_PLAIN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

/**
 * The offset of the first unit at or after `pos` that string scanning must look at (anything but printable
 * ASCII other than `"` and `\\`), or the text's length. A few units in a loop (most strings are short),
 * then the native regular expression search: a long string costs the same whatever the JIT is doing.
 */
function plainEnd(text: string, pos: number): number {
  const n = text.length;
  const limit = pos + 32 < n ? pos + 32 : n;
  for (; pos < limit; pos++) {
    const c = text.charCodeAt(pos);
    if (c < 0x20 || c > 0x7e || c === CH_QUOTE || c === CH_BACKSLASH) return pos;
  }
  if (pos >= n) return n;
  NOT_PLAIN.lastIndex = pos;
  return NOT_PLAIN.test(text) ? NOT_PLAIN.lastIndex - 1 : n;
}

/** A high surrogate at `pos` followed by a low one. */
function isPair(text: string, pos: number): boolean {
  const c = codeAt(text, pos);
  const next = codeAt(text, pos + 1);
  return c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
}

function isDigit(c: number): boolean {
  return c >= CH_0 && c <= CH_9;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function isValueStart(c: number): boolean {
  return c === CH_QUOTE || c === CH_LBRACE || c === CH_LBRACKET || c === CH_MINUS || (c >= CH_0 && c <= CH_9) || c === 116 || c === 102 || c === 110;
}

/** The JSON pointer of a node (""), e.g. "/public_metadata/a~1b/0". */
export function pointerOf(node: jsonc.Node | undefined): string {
  const parts: string[] = [];
  let n = node;
  while (n && n.parent) {
    const parent = n.parent;
    if (parent.type === 'property') {
      const key = parent.children?.[0];
      if (key) parts.push(String(key.value));
      n = parent.parent;
      continue;
    }
    if (parent.type === 'array') parts.push(String(parent.children?.indexOf(n) ?? 0));
    n = parent;
  }
  return parts.reverse().map((p) => '/' + p.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** The innermost node containing `offset` (the key or value, not the property), iteratively. */
export function nodeAtOffset(root: jsonc.Node | undefined, offset: number): jsonc.Node | undefined {
  let node = root;
  if (!node || offset < node.offset || offset > node.offset + node.length) return undefined;
  for (;;) {
    const kids = node.children;
    if (!kids || kids.length === 0) return node;
    let next: jsonc.Node | undefined;
    // Binary search: children are in text order.
    let lo = 0;
    let hi = kids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const k = kids[mid];
      if (offset < k.offset) hi = mid - 1;
      else if (offset >= k.offset + k.length) lo = mid + 1;
      else {
        next = k;
        break;
      }
    }
    if (!next) return node;
    node = next;
  }
}
