/** @module A parsed spec file: its YAML document and a way to turn spec paths into file positions. */
import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { SourceLocation } from '../errors/index.js';
import { formatPath, type SpecPath } from './spec-path.js';

export interface SpecSource {
  file: string;
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
}

interface Found {
  node: Node | null;
  key: Node | null;
  /** How much of the path exists in the file. */
  depth: number;
}

function find(source: SpecSource, path: SpecPath): Found {
  let node: unknown = source.document.contents;
  let key: Node | null = null;
  let depth = 0;
  for (const segment of path) {
    let next: unknown;
    let nextKey: Node | null = null;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (pair) {
        next = pair.value;
        nextKey = (pair.key as Node) ?? null;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      next = node.items[segment];
    }
    if (next === undefined) break;
    // A present key with an empty value (`key:`) has a null node; stop at the key.
    if (next === null) return { node: null, key: nextKey, depth: depth + 1 };
    node = next;
    key = nextKey;
    depth++;
  }
  return { node: (node as Node) ?? null, key, depth };
}

export function positionOf(source: SpecSource, offset: number): { line: number; column: number } {
  const { line, col } = source.lineCounter.linePos(offset);
  return { line, column: col };
}

/**
 * Where a spec path is in the file. `at: 'key'` points at the key (for unknown keys),
 * `'value'` at the value; a path that does not exist points at its deepest existing parent.
 */
export function locate(source: SpecSource, path: SpecPath, at: 'key' | 'value' = 'value'): SourceLocation {
  const found = find(source, path);
  const target = (at === 'key' || found.node === null) && found.key ? found.key : (found.node ?? found.key);
  const offset = target?.range?.[0] ?? 0;
  return { file: source.file, ...positionOf(source, offset), path: formatPath(path) };
}
