/** @module A refinement: exactly one of a set of keys is present. */
import type { z } from 'zod';

/** Adds an issue unless exactly one of `keys` is set; used for tagged alternatives like `{ local } | { kubernetes }`. */
export function exactlyOneOf<K extends string>(keys: readonly K[], what: string) {
  return (value: Partial<Record<K, unknown>>, ctx: z.RefinementCtx): void => {
    const present = keys.filter((key) => value[key] !== undefined);
    if (present.length === 1) return;
    ctx.addIssue({
      code: 'custom',
      message:
        present.length === 0
          ? `${what} needs exactly one of ${keys.map((k) => `"${k}"`).join(', ')}`
          : `${what} has ${present.map((k) => `"${k}"`).join(' and ')}; choose exactly one`,
      params: { slipwayCode: 'SPEC_INVALID_VALUE' },
    });
  };
}
