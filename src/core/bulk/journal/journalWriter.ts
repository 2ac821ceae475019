import { redactSecrets } from '../../redact';
import { type JournalMark, encodeMark } from './marks';
import type { JournalIndex, JournalStore } from './journalIndex';

interface Waiting {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends marks with group commit: marks written while a flush is under way (and all marks of
 * one tick) go to disk together, in one append and one fsync; each `write` resolves once its
 * mark is on disk. After a failed flush every write rejects (the run stops: what is not on disk
 * must not be acted on).
 */
export class JournalWriter {
  readonly #store: JournalStore;
  readonly #index: JournalIndex | undefined;
  #lines: string[] = [];
  #waiting: Waiting[] = [];
  #running: Promise<void> | undefined;
  #failure: unknown;
  /** Flushes done and lines written (group sizes). */
  flushes = 0;
  lines = 0;

  constructor(store: JournalStore, index?: JournalIndex) {
    this.#store = store;
    this.#index = index;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  /** Resolves when `mark` is on disk. The index sees it at once. */
  write(mark: JournalMark): Promise<void> {
    this.#index?.note(mark);
    const line = encodeMark(mark);
    // Keys start with sk_: a line without it has no key to mask (the row's own secrets are masked where the
    // mark is made).
    return this.writeLine(line.includes('sk_') ? redactSecrets(line, []) : line);
  }

  writeLine(line: string): Promise<void> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#lines.push(line);
      this.#waiting.push({ resolve, reject });
      this.#running ??= Promise.resolve().then(() => this.#flushAll());
    });
  }

  /** Resolves when everything written so far is on disk (rejects if a flush failed). */
  async drain(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#failure !== undefined) throw this.#failure;
  }

  async #flushAll(): Promise<void> {
    while (this.#lines.length > 0) {
      const lines = this.#lines;
      const waiting = this.#waiting;
      this.#lines = [];
      this.#waiting = [];
      try {
        await this.#store.append(lines);
        this.flushes++;
        this.lines += lines.length;
        for (const w of waiting) w.resolve();
      } catch (error) {
        this.#failure = error ?? new Error('The journal could not be written.');
        for (const w of [...waiting, ...this.#waiting]) w.reject(this.#failure);
        this.#lines = [];
        this.#waiting = [];
      }
    }
    this.#running = undefined;
  }
}
