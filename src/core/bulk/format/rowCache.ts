import type { RowCache } from './checkFile';
import type { RowResult } from './rowCheck';
import type { BulkOptions } from './types';

/**
 * The rows of one open document, kept between checks so that a keystroke checks only the rows it changed.
 * Each check is a generation: what it did not ask for is dropped at its end, so the cache holds the rows of
 * the current text and nothing older. A change of options, or of a CSV file's header, empties it.
 */
export class GenerationalRowCache implements RowCache {
  private readonly rows = new Map<string, { result: RowResult | null; generation: number }>();
  private generation = 0;
  private optionsKey = '';
  private metadataTypes: BulkOptions['metadataTypes'];
  private header: string | undefined;
  /** Rows checked (not found in the cache) during the last generation. */
  checked = 0;

  /** Starts a check of the whole text under `options`. */
  begin(options: BulkOptions): void {
    const key = `${options.defaultApiVersion} ${options.allowSecrets === true}`;
    if (key !== this.optionsKey || options.metadataTypes !== this.metadataTypes) {
      this.optionsKey = key;
      this.metadataTypes = options.metadataTypes;
      this.rows.clear();
    }
    this.generation++;
    this.checked = 0;
  }

  /** Ends the check: the rows it did not ask for are forgotten. */
  end(): void {
    for (const [text, entry] of this.rows) if (entry.generation !== this.generation) this.rows.delete(text);
  }

  forHeader(raw: string): void {
    if (raw === this.header) return;
    this.header = raw;
    this.rows.clear();
  }

  get(text: string): RowResult | null | undefined {
    const entry = this.rows.get(text);
    if (!entry) return undefined;
    entry.generation = this.generation;
    return entry.result;
  }

  set(text: string, result: RowResult | null): void {
    this.checked++;
    this.rows.set(text, { result, generation: this.generation });
  }
}
