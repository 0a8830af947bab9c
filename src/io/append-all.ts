/** @module Appending a list of any length: `push(...items)` passes each item as an argument and overflows the stack past ~100k. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
