// The files a run or an export writes hold names, emails and before-values: they are created
// readable and writable by their owner only (0600), as the history store's files are.
import { type FileHandle, open } from 'node:fs/promises';

export const PRIVATE_MODE = 0o600;

/**
 * `open(path, flags)` with the file's mode set to 0600: the mode given to `open` is cut by the
 * umask and ignored for a file that exists, so it is set again on the open file.
 */
export async function openPrivate(path: string, flags: 'w' | 'a'): Promise<FileHandle> {
  const handle = await open(path, flags, PRIVATE_MODE);
  try {
    await handle.chmod(PRIVATE_MODE);
  } catch {
    // a file system without modes (FAT, some network shares): the file stays as it was made
  }
  return handle;
}
