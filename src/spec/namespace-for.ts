/** @module The namespace a service lands in on a cluster: its own, else the cluster's, else the environment's. */
import type { Platform } from './schema/platform.js';

export function namespaceFor(spec: Platform, environment: string, cluster: string, service: string): string {
  const env = spec.environments[environment]!;
  return (
    spec.services[service]?.namespace ??
    env.clusters[cluster]?.kubernetes?.namespace ??
    env.namespace ??
    'default'
  );
}
