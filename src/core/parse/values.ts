import type * as jsonc from 'jsonc-parser';

/**
 * `obj[key] = value` as JSON.parse does it: an own, enumerable property whatever the key, so that
 * `__proto__` is a key like any other (an assignment would set the object's prototype and lose it). Only
 * `__proto__` is an accessor of Object.prototype; every other key, assigned, is an own data property, and an
 * assignment keeps the object fast (defineProperty for every key was 6 % of a CSV validate).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * The value of a syntax tree node as JSON.parse would give it (the last occurrence of a key wins;
 * every key, `__proto__` too, an own property), built with a stack: no recursion, any depth.
 */
export function nodeValue(node: jsonc.Node): unknown {
  const make = (n: jsonc.Node): unknown =>
    n.type === 'object' ? {} : n.type === 'array' ? new Array<unknown>((n.children ?? []).length) : n.value;
  const root = make(node);
  const stack: Array<{ node: jsonc.Node; value: unknown }> = [{ node, value: root }];
  while (stack.length > 0) {
    const { node: n, value } = stack.pop()!;
    const kids = n.children ?? [];
    if (n.type === 'array') {
      const out = value as unknown[];
      for (let i = 0; i < kids.length; i++) {
        out[i] = make(kids[i]);
        if (kids[i].type === 'object' || kids[i].type === 'array')
          stack.push({ node: kids[i], value: out[i] });
      }
    } else if (n.type === 'object') {
      const out = value as Record<string, unknown>;
      for (const prop of kids) {
        const [key, child] = prop.children ?? [];
        if (!key || !child) continue;
        const v = make(child);
        setOwn(out, String(key.value), v);
        if (child.type === 'object' || child.type === 'array') stack.push({ node: child, value: v });
      }
    }
  }
  return root;
}
