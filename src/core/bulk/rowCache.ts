import type { RowCache } from './file';
import type { RowResult } from './row';
import type { BulkOptions } from './types';

/**
 * The rows of one open document, kept between checks so that a keystroke checks only the rows it changed.
 * Each check is a generation: what it did not ask for is dropped at its end, so the cache holds the rows of the
 * current text and nothing older. A change of options, or of a CSV file's header, empties it.
 */
export class GenerationalRowCache implements RowCache {
  private previous = new Map<string, RowResult | null>();
  private current = new Map<string, RowResult | null>();
  private optionsKey = '';
  private header: string | undefined;
  /** Rows checked (not found in the cache) during the last generation. */
  checked = 0;

  /** Starts a check of the whole text under `options`. */
  begin(options: BulkOptions): void {
    const key = `${options.defaultApiVersion} ${options.allowSecrets === true}`;
    if (key !== this.optionsKey) {
      this.optionsKey = key;
      this.previous.clear();
    }
    this.current = new Map();
    this.checked = 0;
  }

  /** Ends the check: the rows it did not ask for are forgotten. */
  end(): void {
    this.previous = this.current;
  }

  forHeader(raw: string): void {
    if (raw === this.header) return;
    this.header = raw;
    this.previous.clear();
    this.current.clear();
  }

  get(text: string): RowResult | null | undefined {
    let hit = this.current.get(text);
    if (hit !== undefined) return hit;
    hit = this.previous.get(text);
    if (hit !== undefined) this.current.set(text, hit);
    return hit;
  }

  set(text: string, result: RowResult | null): void {
    this.checked++;
    this.current.set(text, result);
  }
}
