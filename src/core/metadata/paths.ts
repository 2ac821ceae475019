/**
 * Key paths inside the metadata fields, e.g. `public_metadata.role` or `private_metadata.billing.plan`: the
 * field, then one key per level, joined by dots. A key that itself holds a dot or a backslash is written with
 * a backslash before it (`public_metadata.a\.b`), so every path splits back into its keys.
 */
export function joinPath(keys: readonly string[]): string {
  return keys.map((k) => k.replace(/[\\.]/g, (c) => `\\${c}`)).join('.');
}

export function splitPath(path: string): string[] {
  // Most paths are plain fields or keys without escapes: no string built a character at a time.
  if (!path.includes('\\')) return path.split('.');
  const keys: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && i + 1 < path.length) current += path[++i];
    else if (c === '.') {
      keys.push(current);
      current = '';
    } else current += c;
  }
  keys.push(current);
  return keys;
}

/** The top-level field of a path (`public_metadata` of `public_metadata.role`); a plain field is its own. */
export function fieldOfPath(path: string): string {
  return path.includes('.') || path.includes('\\') ? splitPath(path)[0] : path;
}

/** True when `path` names a key inside a field (has a dot outside a backslash escape). */
export function isKeyPath(path: string): boolean {
  return path.includes('.') && splitPath(path).length > 1;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value at `keys` below `root`, or undefined when a key on the way is absent (or not an object). */
export function valueAt(root: unknown, keys: readonly string[]): unknown {
  let node = root;
  for (const k of keys) {
    if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, k)) return undefined;
    node = node[k];
  }
  return node;
}
