import type * as jsonc from 'jsonc-parser';

/** A top-level property of the root object: its key, its value node and the property node. */
export interface RootProperty {
  key: string;
  keyNode: jsonc.Node;
  value: jsonc.Node | undefined;
  node: jsonc.Node;
}

/** The root object's properties, from the tree the core pipeline already built (no second parse). */
export function rootProperties(root: jsonc.Node | undefined): RootProperty[] {
  if (!root || root.type !== 'object') return [];
  const out: RootProperty[] = [];
  for (const node of root.children ?? []) {
    const [keyNode, value] = node.children ?? [];
    if (keyNode && typeof keyNode.value === 'string') out.push({ key: keyNode.value, keyNode, value, node });
  }
  return out;
}

/** The root property whose value contains `offset` (the cursor is in its value), if any. */
export function propertyValueAt(root: jsonc.Node | undefined, offset: number): RootProperty | undefined {
  return rootProperties(root).find(
    (p) => p.value && offset >= p.value.offset && offset <= p.value.offset + p.value.length,
  );
}
