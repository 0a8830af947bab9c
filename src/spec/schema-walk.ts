/** @module Finds what the schema allows at a spec path, to suggest the key a person meant. */
import type { z } from 'zod';
import type { SpecPath } from './spec-path.js';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Unwraps optional/default/pipe/lazy and splits unions into their options. */
function expand(schema: z.ZodType, seen = 0): z.ZodType[] {
  if (seen > 20) return [];
  const def = defOf(schema);
  if (def.innerType) return expand(def.innerType, seen + 1);
  if (def.type === 'pipe' && def.in) return expand(def.in, seen + 1);
  if (def.type === 'lazy' && def.getter) return expand(def.getter(), seen + 1);
  if (def.type === 'union' && def.options) return def.options.flatMap((o) => expand(o, seen + 1));
  return [schema];
}

function child(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape && typeof segment === 'string') {
    const next = def.shape[segment];
    return next ? [next] : [];
  }
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element) return [def.element];
  return [];
}

/** Keys an object at `path` may have (the union of every alternative's keys). */
export function allowedKeys(root: z.ZodType, path: SpecPath): string[] {
  let current = expand(root);
  for (const segment of path) current = current.flatMap((s) => child(s, segment)).flatMap((s) => expand(s));
  const keys = new Set<string>();
  for (const schema of current) {
    const def = defOf(schema);
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) keys.add(key);
  }
  return [...keys];
}
