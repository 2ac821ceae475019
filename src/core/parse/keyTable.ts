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

/**
 * Values by name, found as KeyTable finds a name (by length, then the middle character, then the whole
 * string): a key just read from the text is compared, not hashed. For the few names of a declared object;
 * past `MAX_SCANNED` names it is a Map.
 */
export class NameMap<T> {
  private readonly byLength: Array<Array<{ name: string; value: T }>> = [];
  private map: Map<string, T> | undefined;
  private size = 0;

  set(name: string, value: T): void {
    if (this.map) {
      this.map.set(name, value);
      return;
    }
    const bucket = (this.byLength[name.length] ??= []);
    const known = bucket.find((e) => e.name === name);
    if (known) {
      known.value = value;
      return;
    }
    bucket.push({ name, value });
    if (++this.size > MAX_SCANNED) {
      this.map = new Map(this.byLength.flatMap((b) => (b ?? []).map((e) => [e.name, e.value] as const)));
      this.byLength.length = 0;
    }
  }

  get(key: string): T | undefined {
    if (this.map) return this.map.get(key);
    const bucket = this.byLength[key.length];
    if (bucket === undefined) return undefined;
    const mid = key.length >> 1;
    const c = key.charCodeAt(mid);
    for (let i = 0; i < bucket.length; i++) {
      const e = bucket[i];
      if (e.name.charCodeAt(mid) === c && e.name === key) return e.value;
    }
    return undefined;
  }
}

const MAX_SCANNED = 64;
