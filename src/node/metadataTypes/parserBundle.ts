// The entry of dist/metadataTypes.js: @babel/parser (TypeScript plugin) and the walk of its tree, in a bundle
// of
// their own, loaded only when a workspace declares metadata types (src/node/metadataTypes/load.ts).
import { parse, type ParserPlugin } from '@babel/parser';
import {
  metadataTypesFrom,
  type AstNode,
  type ParsedDeclarationFile,
} from '../../core/metadataTypes/fromDeclarations';
import type { MetadataTypes } from '../../core/metadataTypes/model';

/**
 * The metadata types declared in `files` (each parsed as TypeScript declarations; a syntax error is skipped
 * past).
 */
export function readDeclarations(
  files: readonly { file: string; text: string }[],
): MetadataTypes | undefined {
  const parsed: ParsedDeclarationFile[] = [];
  for (const { file, text } of files) {
    try {
      const plugins: ParserPlugin[] = [['typescript', { dts: file.endsWith('.d.ts') }]];
      const ast = parse(text, { sourceType: 'module', plugins, errorRecovery: true });
      parsed.push({ file, text, program: ast.program as unknown as AstNode });
    } catch {
      // A file the parser cannot read even with error recovery declares nothing we can use.
    }
  }
  return metadataTypesFrom(parsed);
}
