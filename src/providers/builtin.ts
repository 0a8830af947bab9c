/** @module The builtin metric provider: reads the local routers' per-version counters in-process. */
import type { TrafficMetrics, TrafficSnapshot } from '../engine/ports.js';
import type { LatencyHistogram } from '../metrics/latency-histogram.js';
import type { MetricsRegistry } from '../targets/local/metrics/metrics-registry.js';

class Snapshot implements TrafficSnapshot {
  constructor(
    readonly requests: number,
    readonly errors: number,
    private readonly latency: LatencyHistogram,
  ) {}

  quantile(q: number): number {
    return this.latency.quantile(q);
  }

  since(earlier: TrafficSnapshot): TrafficSnapshot {
    const e = earlier as Snapshot;
    return new Snapshot(this.requests - e.requests, this.errors - e.errors, this.latency.since(e.latency));
  }
}

export class BuiltinMetrics implements TrafficMetrics {
  constructor(private readonly registries: ReadonlyMap<string, MetricsRegistry>) {}

  snapshot(cluster: string, service: string, version: string): TrafficSnapshot | undefined {
    const m = this.registries.get(cluster)?.find(service, version);
    return m ? new Snapshot(m.requests, m.errors, m.latency.snapshot()) : undefined;
  }

  recentLatencies(cluster: string, service: string, version: string, n: number): number[] {
    return this.registries.get(cluster)?.find(service, version)?.recentLatencies(n) ?? [];
  }
}
