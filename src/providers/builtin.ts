/** @module The builtin metric provider: the per-version counters of targets that serve the traffic themselves (the local router). */
import type { TargetsByCluster, TrafficMetrics, TrafficSnapshot } from '../engine/ports.js';
import type { LatencyHistogram } from '../metrics/latency-histogram.js';

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
  constructor(private readonly targets: TargetsByCluster) {}

  snapshot(cluster: string, service: string, version: string): TrafficSnapshot | undefined {
    const t = this.targets.get(cluster)?.trafficOf?.(service, version);
    return t ? new Snapshot(t.requests, t.errors, t.latency) : undefined;
  }

  recentLatencies(cluster: string, service: string, version: string, n: number): number[] {
    return this.targets.get(cluster)?.trafficOf?.(service, version)?.recentLatencies(n) ?? [];
  }
}
