/**
 * @module The limits every YAML reader applies — the spec loader and the manifest reader alike — and the
 * walk that checks a parsed document against them without recursion (a hostile file cannot overflow the
 * stack): how deep it nests, how many values it holds, how many aliases it may expand.
 */
export const YAML_LIMITS = {
  /** Deeper than any spec or Kubernetes object (CRD schemas included) is written by hand. */
  depth: 64,
  /** Values in one document. */
  nodes: 500_000,
  /** Aliases one document may expand (yaml's maxAliasCount): an alias bomb stops here. */
  aliases: 100,
} as const;

/** Where a document nests too deep, and how many values it has (stops counting past the limit). */
export function measureDocument(data: unknown): { tooDeepAt?: (string | number)[]; nodes: number } {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    nodes++;
    if (nodes > YAML_LIMITS.nodes) return { nodes };
    if (value === null || typeof value !== 'object') continue;
    if (path.length >= YAML_LIMITS.depth) return { tooDeepAt: path, nodes };
    for (const [key, child] of Object.entries(value))
      stack.push({ value: child, path: [...path, Array.isArray(value) ? Number(key) : key] });
  }
  return { nodes };
}
