/** @module The gateways and meshes whose request metrics Slipway reads, and what their counters tell apart. */

/** Per backend Service (a gateway), or per workload (a mesh sees pods). */
export const GATEWAY_COUNTS_BY = {
  traefik: 'service',
  'ingress-nginx': 'service',
  istio: 'workload',
} as const;

export type GatewayName = keyof typeof GATEWAY_COUNTS_BY;
export const GATEWAYS = Object.keys(GATEWAY_COUNTS_BY) as GatewayName[];
