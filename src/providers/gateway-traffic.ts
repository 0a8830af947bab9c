/**
 * @module Request counts from a gateway's or mesh's metrics in Prometheus: for a version, the backends
 * that carry its requests now (asked of the cluster's target), and over the window since the analysis
 * opened it, `increase()` of their request and 5xx counters and latency buckets — counts, as the
 * sequential test needs, never rates. A question Prometheus cannot answer is a problem (inconclusive).
 */
import type {
  TargetsByCluster,
  TrafficCursor,
  TrafficMetrics,
  TrafficRead,
  TrafficRef,
} from '../engine/ports.js';
import type { TrafficBackend } from '../targets/target.js';
import { bucketQuantile, type GatewayTemplate, windowQueries } from './gateway-templates.js';
import type { PrometheusProvider } from './prometheus.js';

/** The backends' series are counted only if they tell this version apart from the others. */
function unseparable(t: GatewayTemplate, ref: TrafficRef, backends: TrafficBackend[]): string | undefined {
  const shared = backends.find((b) => b.sharedService);
  if (t.keyedBy !== 'service' || !shared) return undefined;
  return (
    `${t.name} counts requests per Service, and ${ref.version} shares the Service ${shared.service} with ` +
    'another version (a canary by replica ratio), so its requests cannot be told apart: expose the service ' +
    'through a gateway route (expose.via: gateway) or count by workload with a mesh (gateway: istio)'
  );
}

/** A bucket's `le` label: Prometheus writes the last one `+Inf`. */
const parseBound = (le: string | undefined) => (le === '+Inf' ? Infinity : Number(le));

export class GatewayTraffic implements TrafficMetrics {
  constructor(
    private readonly prometheus: PrometheusProvider,
    private readonly template: GatewayTemplate,
    private readonly targets: TargetsByCluster,
  ) {}

  async open(ref: TrafficRef): Promise<TrafficCursor> {
    const opened = Date.now();
    return { read: (signal) => this.read(ref, opened, signal) };
  }

  private async read(ref: TrafficRef, opened: number, signal?: AbortSignal): Promise<TrafficRead> {
    const t = this.template;
    const target = this.targets.get(ref.cluster);
    if (!target?.backendsOf)
      return {
        kind: 'problem',
        message: `the ${target?.kind ?? 'unknown'} target of ${ref.cluster} cannot say which backends serve ${ref.version}`,
      };
    let backends: TrafficBackend[];
    try {
      backends = await target.backendsOf(ref.service, ref.version, ref.group);
    } catch (error) {
      return { kind: 'problem', message: (error as Error).message };
    }
    const empty = { requests: 0, errors: 0, quantile: () => Number.NaN };
    if (backends.length === 0) return { kind: 'window', window: empty };
    const problem = unseparable(t, ref, backends);
    if (problem) return { kind: 'problem', message: problem };
    const q = windowQueries(t, backends, Date.now() - opened);
    const [requests, errors, buckets] = await Promise.all([
      this.prometheus.query(q.requests, signal),
      this.prometheus.query(q.errors, signal),
      this.prometheus.querySeries(q.buckets, signal),
    ]);
    for (const r of [requests, errors, buckets])
      if (r.kind === 'error' || r.kind === 'unreachable')
        return { kind: 'problem', message: `${t.name} metrics: ${r.kind}: ${r.message}` };
    // No series yet is no request yet (a window shorter than a scrape, a backend never called).
    const count = (r: typeof requests) => (r.kind === 'value' ? Math.max(0, Math.round(r.value)) : 0);
    const n = count(requests);
    const bucketList =
      buckets.kind === 'series'
        ? buckets.series.map((s) => ({ le: parseBound(s.labels['le']), count: s.value }))
        : [];
    return {
      kind: 'window',
      window: {
        requests: n,
        errors: Math.min(n, count(errors)),
        quantile: (x) => bucketQuantile(x, bucketList) * t.latencyUnit,
      },
    };
  }
}
