/** @module Appends to a map of lists in place (spreading the list each time is quadratic at 10,000 workloads). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
