// `--metadata-types PATH`, and without it the declarations found under the current folder: the metadata types
// `validate` and `send` check metadata against (src/core/metadataTypes).
import type { MetadataTypes } from '../core/metadataTypes/model';
import type { Result } from '../core/result';
import { loadMetadataTypes } from '../node/metadataTypes/load';
import type { CliIO } from './io';

export const METADATA_TYPES_OPTION = { 'metadata-types': { type: 'string' } } as const;

export const METADATA_TYPES_USAGE = `  --metadata-types PATH  check metadata against this file: TypeScript declarations
                    (UserPublicMetadata…) or a JSON Schema whose properties has public_metadata,
                    private_metadata, unsafe_metadata (default: the global declarations in the
                    .ts/.d.ts files under the current folder, outside node_modules and build output)`;

/** The metadata types of the command, or the usage error of a --metadata-types file that gives none. */
export async function cliMetadataTypes(
  io: CliIO,
  explicit: string | undefined,
): Promise<Result<{ types: MetadataTypes | undefined }>> {
  if (explicit !== undefined && !explicit.trim())
    return { ok: false, message: '--metadata-types needs a path.' };
  const loaded = await loadMetadataTypes(io.cwd, explicit);
  if (loaded.error) return { ok: false, message: `--metadata-types: ${loaded.error}.` };
  return { ok: true, types: loaded.types };
}
