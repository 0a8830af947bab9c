/** @module Parsing of flag values shared by commands. */
import { SlipwayError } from '../errors/index.js';

/** The value if it is one of `allowed`, else a user error naming the choices. */
export function parseFormat(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value))
    throw new SlipwayError('CLI_BAD_FORMAT', `unknown format "${value}"`, {
      hint: `use one of: ${allowed.join(', ')}`,
    });
  return value;
}

/** `"a, b,,c"` → `['a', 'b', 'c']`; undefined stays undefined (the flag was not given). */
export const splitList = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
