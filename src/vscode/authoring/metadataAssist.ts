import * as jsonc from 'jsonc-parser';
import * as vscode from 'vscode';
import { metadataCompletions, metadataHover } from '../../core/metadataTypes/assist';
import type { MetadataTypes } from '../../core/metadataTypes/model';
import { bulkFormatOfDocument } from '../documents';

/** The part of a document a metadata value is written in: the whole file, or the line of a JSONL row. */
function part(document: vscode.TextDocument, position: vscode.Position): { text: string; start: number; offset: number } {
  if (bulkFormatOfDocument(document) === 'jsonl') {
    const line = document.lineAt(position.line);
    return { text: line.text, start: document.offsetAt(line.range.start), offset: position.character };
  }
  return { text: document.getText(), start: 0, offset: document.offsetAt(position) };
}

/**
 * Completion and hover of metadata keys and literal values from the team's declarations (src/core/metadataTypes):
 * the declared keys with their types and doc comments, and the literals a key allows ('admin', 'member').
 */
export class MetadataAssist implements vscode.CompletionItemProvider, vscode.HoverProvider {
  constructor(private readonly typesFor: (uri: vscode.Uri) => MetadataTypes | undefined) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] | undefined {
    const types = this.typesFor(document.uri);
    if (!types) return undefined;
    const { text, start, offset } = part(document, position);
    const location = jsonc.getLocation(text, offset);
    const path = location.path;
    if (path.length < 2) return undefined;
    const at = location.previousNode;
    const inString = at && (at.type === 'string' || at.type === 'property') && at.offset <= offset && offset <= at.offset + at.length;
    const replace = inString ? new vscode.Range(document.positionAt(start + at.offset), document.positionAt(start + at.offset + at.length)) : undefined;
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
      const item = new vscode.CompletionItem(c.label, c.kind === 'key' ? vscode.CompletionItemKind.Property : vscode.CompletionItemKind.EnumMember);
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
    return new vscode.Hover(markdown, new vscode.Range(document.positionAt(start + at.offset), document.positionAt(start + at.offset + at.length)));
  }
}
