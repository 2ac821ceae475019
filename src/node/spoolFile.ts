// The users an export has read, kept in a file until its CSV header is known (an export with a
// column per metadata key path): written as a LineFile, read back line by line, then removed.
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ExportSpool } from '../core/bulk/export/export';
import { LineFile } from './lineFile';

export class SpoolFile implements ExportSpool {
  readonly #file: LineFile;
  /** `FILE.spool` beside the export, created 0600 as every run file is. */
  readonly path: string;

  constructor(exportPath: string) {
    this.path = `${exportPath}.spool`;
    this.#file = new LineFile(this.path);
  }

  append(text: string): Promise<void> {
    return this.#file.write(text);
  }

  async *lines(): AsyncIterable<string> {
    await this.#file.commit();
    const input = createReadStream(this.path, { encoding: 'utf8' });
    try {
      for await (const line of createInterface({ input, crlfDelay: Infinity })) if (line) yield line;
    } finally {
      input.destroy();
    }
  }

  /** Removes the file (and its partial), whatever happened. */
  async dispose(): Promise<void> {
    await this.#file.discard();
    await rm(this.path, { force: true });
  }
}
