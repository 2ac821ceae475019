import type * as jsonc from 'jsonc-parser';

/** Builds the children of a container that was only scanned, from the text (see JsonNode.deferChildren). */
export type ChildBuilder = (node: JsonNode, text: string) => JsonNode[];

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
  /** Built children, or undefined while `builder` is set. */
  private kids: JsonNode[] | undefined;
  /** Set on containers whose children are built on first access, from `source`. */
  private builder: ChildBuilder | undefined;
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
    this.builder = undefined;
    this.source = undefined;
  }

  get children(): JsonNode[] | undefined {
    const builder = this.builder;
    if (builder !== undefined) {
      const source = this.source as string;
      this.builder = undefined;
      this.source = undefined;
      this.kids = builder(this, source);
    }
    return this.kids;
  }

  /** @internal */
  addChild(child: JsonNode): void {
    (this.kids as JsonNode[]).push(child);
  }

  /** @internal The children are built from `source` by `builder` when first read. */
  deferChildren(builder: ChildBuilder, source: string): void {
    this.kids = undefined;
    this.builder = builder;
    this.source = source;
  }
}
