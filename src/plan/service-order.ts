/** @module The order services go in: priority groups first (1A, 1B, …), then dependencies before dependents. */
import type { Platform } from '../spec/schema/platform.js';

export function serviceOrder(spec: Platform, services: readonly string[]): string[] {
  const wanted = new Set(services);
  const ordered: string[] = [];
  const placed = new Set<string>();
  const visit = (name: string, stack: Set<string>) => {
    if (placed.has(name) || stack.has(name) || !wanted.has(name)) return;
    stack.add(name);
    for (const dep of spec.services[name]?.dependsOn ?? []) visit(dep, stack);
    stack.delete(name);
    placed.add(name);
    ordered.push(name);
  };
  for (const group of spec.priorities ?? []) for (const name of group.services) visit(name, new Set());
  for (const name of Object.keys(spec.services)) visit(name, new Set());
  return ordered;
}
