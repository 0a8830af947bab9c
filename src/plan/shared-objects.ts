/**
 * @module Where two stages of one release would change the same objects: the same service in the same
 * namespace of the same Kubernetes context, from two clusters of the spec (a staging cluster that is the
 * production cluster's context, with a service that pins its own namespace). Staging would then change
 * production before its approval. The plan says so.
 */
import { namespaceFor } from '../spec/namespace-for.js';
import type { Platform } from '../spec/schema/platform.js';
import type { Touch } from './types.js';

export function sharedObjectWarnings(spec: Platform, touches: readonly Touch[]): string[] {
  const places = new Map<string, Touch[]>();
  for (const t of touches) {
    const context = spec.environments[t.environment]?.clusters[t.cluster]?.kubernetes?.context;
    if (!context) continue;
    const key = `${context}/${namespaceFor(spec, t.environment, t.cluster, t.service)}/${t.service}`;
    places.set(key, [...(places.get(key) ?? []), t]);
  }
  const warnings: string[] = [];
  for (const [key, group] of places) {
    const where = [...new Set(group.map((t) => `${t.environment}/${t.cluster}`))];
    if (where.length < 2) continue;
    const [context, namespace, service] = key.split('/');
    warnings.push(
      `${service} is released into namespace ${namespace} of context ${context} from ${where.join(' and ')}: ` +
        `the first changes the objects of the others (give them different namespaces or contexts)`,
    );
  }
  return warnings;
}
