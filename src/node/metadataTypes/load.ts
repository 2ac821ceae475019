// The metadata types in force for a folder: the file a setting or --metadata-types names (TypeScript
// declarations
// or a JSON Schema), else the declarations found under the folder. The parser bundle is loaded only when a
// TypeScript file is to be read.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { metadataTypesFromJsonSchema } from '../../core/metadataTypes/fromJsonSchema';
import type { MetadataTypes } from '../../core/metadataTypes/model';
import { findDeclarationFiles } from './discover';

export interface LoadedMetadataTypes {
  /** Undefined when nothing declares the metadata (or the named file could not be read: see `error`). */
  types: MetadataTypes | undefined;
  /** Why the named file gave no types ('cannot read …', 'not a JSON Schema with public_metadata…'). */
  error?: string;
}

type ParserBundle = {
  readDeclarations(files: readonly { file: string; text: string }[]): MetadataTypes | undefined;
};

/**
 * The parser bundle: dist/metadataTypes.js next to the running bundle (the extension, the CLI); run from the
 * compiled sources instead (tests in process), the entry module itself, next to this one.
 */
export function defaultParserBundle(): string {
  const bundled = join(__dirname, 'metadataTypes.js');
  return existsSync(bundled) ? bundled : join(__dirname, 'parserBundle.js');
}

function parser(bundle: string): ParserBundle {
  // A computed path: esbuild leaves this require to run time, so the parser stays out of the main bundles.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(bundle) as ParserBundle;
}

/**
 * The metadata types for `root`: from `explicit` (a path, relative to `root`) when given, else discovered
 * under `root`. Never throws: a problem with the named file is in `error`.
 */
export async function loadMetadataTypes(
  root: string,
  explicit: string | undefined,
  bundle = defaultParserBundle(),
): Promise<LoadedMetadataTypes> {
  if (explicit) {
    const path = isAbsolute(explicit) ? explicit : resolve(root, explicit);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return { types: undefined, error: `cannot read the metadata types file '${explicit}'` };
    }
    if (/\.json$/i.test(path)) {
      let schema: unknown;
      try {
        schema = JSON.parse(text);
      } catch {
        return { types: undefined, error: `'${explicit}' is not valid JSON` };
      }
      const types = metadataTypesFromJsonSchema(schema, explicit);
      if (types) return { types };
      const fields = "'public_metadata', 'private_metadata' or 'unsafe_metadata'";
      return {
        types: undefined,
        error: `'${explicit}' is not a JSON Schema whose 'properties' has ${fields}`,
      };
    }
    const types = parser(bundle).readDeclarations([{ file: explicit, text }]);
    if (types) return { types };
    const names = 'UserPublicMetadata, UserPrivateMetadata or UserUnsafeMetadata';
    return { types: undefined, error: `'${explicit}' declares no global ${names}` };
  }
  const files = await findDeclarationFiles(root);
  if (files.length === 0) return { types: undefined };
  return { types: parser(bundle).readDeclarations(files) };
}
