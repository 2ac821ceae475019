// Files read as UTF-8 strictly (the core's Utf8Reader): bytes that are not UTF-8 are an error at
// their line, never silently U+FFFD. For single files (read whole) and bulk files (streamed).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { CoreDiagnostic } from '../core/diagnostics';
import { readUtf8, Utf8Reader } from '../core/text/utf8Reader';

/** A file's text and, if it has one, the error at its first byte that is not UTF-8. */
export async function readUtf8File(
  path: string,
  options: { csv?: boolean } = {},
): Promise<{ text: string; problem: CoreDiagnostic | undefined }> {
  return readUtf8(await readFile(path), options);
}

/**
 * The chunks of a file as text, after the first one could be read (so an unreadable file is known
 * first); `problem` is told of the first byte that is not UTF-8 when it is read.
 */
export async function utf8Chunks(
  path: string,
  options: { csv?: boolean; chunkBytes: number },
  problem: (d: CoreDiagnostic) => void,
): Promise<AsyncIterable<string>> {
  const stream = createReadStream(path, { highWaterMark: options.chunkBytes });
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first: IteratorResult<Buffer>;
  try {
    first = await iterator.next();
  } catch (error) {
    stream.destroy();
    throw error;
  }
  return {
    async *[Symbol.asyncIterator]() {
      const reader = new Utf8Reader(options);
      let told = false;
      const tell = (): void => {
        if (told || !reader.problem) return;
        told = true;
        problem(reader.problem);
      };
      for (let next = first; !next.done; next = await iterator.next()) {
        const text = reader.push(next.value);
        tell();
        if (text) yield text;
      }
      const rest = reader.end();
      tell();
      if (rest) yield rest;
    },
  };
}
