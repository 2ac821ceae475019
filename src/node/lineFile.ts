// A text file written as a stream (a run's report, a dry run's plan, an export): written to
// `PATH.partial` and moved into place by `commit()`, so that a file under its own name is whole.
import { createWriteStream, type WriteStream } from 'node:fs';
import { link, rename, unlink } from 'node:fs/promises';
import { openPrivate } from './privateFile';

/** Written in pieces of about this many characters. */
const PIECE = 64 * 1024;

export class LineFile {
  readonly partial: string;
  #stream: Promise<WriteStream> | undefined;
  #failure: Error | undefined;
  #buffer = '';

  /** `overwrite: false`: `commit()` fails with EEXIST when `path` exists by then (never replaces a file). */
  constructor(
    readonly path: string,
    private readonly options: { overwrite: boolean } = { overwrite: true },
  ) {
    this.partial = `${path}.partial`;
  }

  /** Adds `text`; resolves once the stream can take more (memory stays flat however large the file). */
  async write(text: string): Promise<void> {
    this.#buffer += text;
    if (this.#buffer.length >= PIECE) await this.#flush();
  }

  /** Writes what is left and moves the file into place (an empty file when nothing was written). */
  async commit(): Promise<void> {
    await this.#flush(true);
    await this.#close();
    if (this.options.overwrite) {
      await rename(this.partial, this.path);
      return;
    }
    try {
      await link(this.partial, this.path);
    } finally {
      await unlink(this.partial).catch(() => undefined);
    }
  }

  /** Drops what was written (a run that was refused writes no report). */
  async discard(): Promise<void> {
    this.#buffer = '';
    if (!this.#stream) return;
    await this.#close().catch(() => undefined);
    await unlink(this.partial).catch(() => undefined);
  }

  async #flush(always = false): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (!this.#buffer && !(always && !this.#stream)) return;
    const stream = await (this.#stream ??= this.#open());
    const text = this.#buffer;
    this.#buffer = '';
    if (!stream.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          stream.off('drain', done).off('error', done);
          resolve();
        };
        stream.on('drain', done).on('error', done);
      });
    }
    if (this.#failure) throw this.#failure;
  }

  async #open(): Promise<WriteStream> {
    // Created 0600 (it holds users' data); the stream closes the handle.
    const stream = createWriteStream('', { fd: await openPrivate(this.partial, 'w') });
    stream.on('error', (error) => (this.#failure = error));
    return stream;
  }

  async #close(): Promise<void> {
    const opening = this.#stream;
    this.#stream = undefined;
    if (!opening) return;
    const stream = await opening;
    return new Promise((resolve, reject) => {
      stream.end((error?: Error | null) =>
        error || this.#failure ? reject(error ?? this.#failure) : resolve(),
      );
    });
  }
}
