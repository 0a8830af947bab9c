/**
 * @module `local.basePort`: ports that stay the same across controller restarts, so clients keep the
 * service — the cluster's admin endpoint (`/metrics`, `/status`) at basePort, each service's router at
 * basePort + 1 + its place among the spec's local services.
 */
import type { LocalServiceConfig } from './service-config.js';

export function fixedPorts(
  basePort: number | undefined,
  services: LocalServiceConfig[],
): { adminPort?: number; routerPorts?: Record<string, number> } {
  if (basePort === undefined) return {};
  return {
    adminPort: basePort,
    routerPorts: Object.fromEntries(services.map((s, i) => [s.name, basePort + 1 + i])),
  };
}
