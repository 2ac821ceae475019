import * as jsonc from 'jsonc-parser';
import * as vscode from 'vscode';
import { metadataCompletions, metadataHover } from '../../core/metadataTypes/assist';
import type { MetadataTypes } from '../../core/metadataTypes/model';
import { bulkFormatOfDocument } from '../documents';

/** The part of a document a metadata value is written in: the whole file, or the line of a JSONL row. */
type Part = { text: string; start: number; offset: number };

function part(document: vscode.TextDocument, position: vscode.Position): Part {
  if (bulkFormatOfDocument(document) === 'jsonl') {
    const line = document.lineAt(position.line);
    return { text: line.text, start: document.offsetAt(line.range.start), offset: position.character };
  }
  return { text: document.getText(), start: 0, offset: document.offsetAt(position) };
}

/** True when `offset` is within the node or at its end. */
function within(node: { offset: number; length: number }, offset: number): boolean {
  return node.offset <= offset && offset <= node.offset + node.length;
}

/** The document range of a node of a part that starts at `start`. */
function rangeOf(document: vscode.TextDocument, start: number, node: { offset: number; length: number }) {
  const from = start + node.offset;
  return new vscode.Range(document.positionAt(from), document.positionAt(from + node.length));
}

/**
 * Completion and hover of metadata keys and literal values from the team's declarations
 * (src/core/metadataTypes):
 * the declared keys with their types and doc comments, and the literals a key allows ('admin', 'member').
 */
export class MetadataAssist implements vscode.CompletionItemProvider, vscode.HoverProvider {
  constructor(private readonly typesFor: (uri: vscode.Uri) => MetadataTypes | undefined) {}

  provideCompletionItems(
    document: vscode.TextDocument,
    pos: vscode.Position,
  ): vscode.CompletionItem[] | undefined {
    const types = this.typesFor(document.uri);
    if (!types) return undefined;
    const { text, start, offset } = part(document, pos);
    const location = jsonc.getLocation(text, offset);
    const path = location.path;
    if (path.length < 2) return undefined;
    const at = location.previousNode;
    const inString = at && (at.type === 'string' || at.type === 'property') && within(at, offset);
    const replace = inString ? rangeOf(document, start, at) : undefined;
    const present = new Set<string>();
    if (location.isAtPropertyKey) {
      const tree = jsonc.parseTree(text);
      const parent = tree && jsonc.findNodeAtLocation(tree, path.slice(0, -1));
      for (const prop of parent?.type === 'object' ? (parent.children ?? []) : []) {
        const key = prop.children?.[0];
        if (key && key !== at && typeof key.value === 'string') present.add(key.value);
      }
    }
    const items = metadataCompletions(types, path, location.isAtPropertyKey, present);
    if (items.length === 0) return undefined;
    return items.map((c, i) => {
      const kind =
        c.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.EnumMember;
      const item = new vscode.CompletionItem(c.label, kind);
      item.insertText = c.kind === 'key' && !inString ? `${c.insertText}: ` : c.insertText;
      item.filterText = c.insertText;
      item.range = replace;
      item.detail = c.detail;
      if (c.doc) item.documentation = new vscode.MarkdownString(c.doc);
      item.sortText = `0${String(i).padStart(3, '0')}`;
      return item;
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const types = this.typesFor(document.uri);
    if (!types) return undefined;
    const { text, start, offset } = part(document, position);
    const location = jsonc.getLocation(text, offset);
    const at = location.previousNode;
    if (!at || offset < at.offset || offset > at.offset + at.length) return undefined;
    const hover = metadataHover(types, location.path);
    if (!hover) return undefined;
    const markdown = new vscode.MarkdownString().appendCodeblock(hover.declaration, 'typescript');
    if (hover.doc) markdown.appendMarkdown(`\n\n${hover.doc}`);
    return new vscode.Hover(markdown, rangeOf(document, start, at));
  }
}
