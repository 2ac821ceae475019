/**
 * Key names to share: a root key equal to one of them is returned as that very string. The validator
 * then stores and looks up keys whose hash is already computed and that are already internalized as
 * property names, instead of hashing a fresh copy of each key several times per keystroke.
 */
export class KeyTable {
  /** Names by length. */
  private readonly byLength: string[][] = [];

  constructor(names: Iterable<string>) {
    for (const name of names) (this.byLength[name.length] ??= []).push(name);
  }

  /** The shared string equal to `key`, or `key` itself. */
  canonical(key: string): string {
    const candidates = this.byLength[key.length];
    if (candidates === undefined) return key;
    // Most names of one length differ in their middle character: compare that first.
    const mid = key.length >> 1;
    const c = key.charCodeAt(mid);
    for (let i = 0; i < candidates.length; i++) {
      const name = candidates[i];
      if (name.charCodeAt(mid) === c && name === key) return name;
    }
    return key;
  }
}
