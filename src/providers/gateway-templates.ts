/**
 * @module Built-in PromQL for the request counters and latency histograms of the gateways and meshes
 * platform teams run, so `errorRate`, the latency rules and the sequential error test need no hand-written
 * query. Metric and label names are the exporters' own (as Flagger's observers use them):
 *
 * - Traefik: `traefik_service_requests_total{service, code}` and
 *   `traefik_service_request_duration_seconds_bucket`; a Kubernetes backend's service label is
 *   `<namespace>-<service>-<port>@kubernetes…` (Gateway API and Ingress providers alike, sometimes behind a
 *   route prefix).
 * - ingress-nginx: `nginx_ingress_controller_requests{namespace, service, status}` and
 *   `nginx_ingress_controller_request_duration_seconds_bucket`.
 * - Istio: `istio_requests_total{reporter="destination", destination_workload_namespace,
 *   destination_workload, response_code}` and `istio_request_duration_milliseconds_bucket` (milliseconds).
 *
 * Envoy Gateway is not among them: it counts requests per route rule (`envoy_cluster_name=
 * "httproute/<ns>/<route>/rule/<n>"`), which a weighted canary shares with stable, so its counters cannot
 * tell the two versions apart (envoyproxy/gateway#6742).
 */
import { GATEWAY_COUNTS_BY, type GatewayName } from '../spec/gateways.js';
import type { TrafficBackend } from '../targets/target.js';

export { GATEWAYS, type GatewayName } from '../spec/gateways.js';

export interface GatewayTemplate {
  name: GatewayName;
  /** What its counters tell apart: a backend Service, or a workload (a mesh sees pods). */
  keyedBy: (typeof GATEWAY_COUNTS_BY)[GatewayName];
  requests: string;
  /** The label matcher of a 5xx answer. */
  serverError: string;
  buckets: string;
  /** Seconds per unit of the histogram's `le`. */
  latencyUnit: number;
  /** Label matchers that select the backends' series. */
  selector(backends: TrafficBackend[]): string;
}

/** Kubernetes names are DNS labels, but a regex must not trust that. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');
const anyOf = (values: string[]) => [...new Set(values)].map(escape).join('|');
const namespaceOf = (backends: TrafficBackend[]) => backends[0]?.namespace ?? '';

export const GATEWAY_TEMPLATES: Record<GatewayName, GatewayTemplate> = {
  traefik: {
    name: 'traefik',
    keyedBy: GATEWAY_COUNTS_BY.traefik,
    requests: 'traefik_service_requests_total',
    serverError: 'code=~"5.."',
    buckets: 'traefik_service_request_duration_seconds_bucket',
    latencyUnit: 1,
    selector: (b) =>
      `service=~"(.*-)?${escape(namespaceOf(b))}-(${anyOf(b.map((x) => x.service))})-[0-9]+@kubernetes.*"`,
  },
  'ingress-nginx': {
    name: 'ingress-nginx',
    keyedBy: GATEWAY_COUNTS_BY['ingress-nginx'],
    requests: 'nginx_ingress_controller_requests',
    serverError: 'status=~"5.."',
    buckets: 'nginx_ingress_controller_request_duration_seconds_bucket',
    latencyUnit: 1,
    selector: (b) => `namespace="${namespaceOf(b)}",service=~"${anyOf(b.map((x) => x.service))}"`,
  },
  istio: {
    name: 'istio',
    keyedBy: GATEWAY_COUNTS_BY.istio,
    requests: 'istio_requests_total',
    serverError: 'response_code=~"5.."',
    buckets: 'istio_request_duration_milliseconds_bucket',
    latencyUnit: 0.001,
    selector: (b) =>
      `reporter="destination",destination_workload_namespace="${namespaceOf(b)}",destination_workload=~"${anyOf(b.map((x) => x.workload))}"`,
  },
};

/**
 * The three queries of one window: request and 5xx counts, and the latency histogram, from `increase()`
 * over exactly the time since the analysis opened (to the millisecond: a longer range would count the
 * previous release's requests to a backend of the same name).
 */
export function windowQueries(t: GatewayTemplate, backends: TrafficBackend[], ms: number) {
  const sel = t.selector(backends);
  const range = `[${Math.max(1, Math.floor(ms))}ms]`;
  return {
    requests: `sum(increase(${t.requests}{${sel}}${range}))`,
    errors: `sum(increase(${t.requests}{${sel},${t.serverError}}${range}))`,
    buckets: `sum by (le) (increase(${t.buckets}{${sel}}${range}))`,
  };
}

/**
 * A quantile of cumulative histogram buckets, as PromQL's histogram_quantile computes it: linear within
 * the bucket the rank falls in; the highest finite bound when it falls in +Inf; NaN without observations.
 */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const total = sorted.at(-1)?.count ?? 0;
  if (sorted.length < 2 || sorted.at(-1)!.le !== Infinity || !(total > 0)) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < sorted.length; i++) {
    const b = sorted[i]!;
    if (b.count < rank) continue;
    if (b.le === Infinity) return sorted[i - 1]!.le;
    const lower = i > 0 ? sorted[i - 1]! : { le: 0, count: 0 };
    const inBucket = b.count - lower.count;
    if (inBucket <= 0) return b.le;
    return lower.le + ((b.le - lower.le) * (rank - lower.count)) / inBucket;
  }
  return sorted.at(-2)!.le;
}
