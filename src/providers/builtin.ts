/** @module The builtin traffic source: the per-version counters of targets that serve the traffic themselves (the local router). */
import type {
  TargetsByCluster,
  TrafficCursor,
  TrafficMetrics,
  TrafficRef,
  TrafficWindow,
} from '../engine/ports.js';
import type { VersionTraffic } from '../targets/target.js';

/** The counters since an earlier reading (the whole count when there was none: the version had no traffic yet). */
function since(now: VersionTraffic, start: VersionTraffic | undefined): TrafficWindow {
  if (!start) return { requests: now.requests, errors: now.errors, quantile: (q) => now.latency.quantile(q) };
  const latency = now.latency.since(start.latency);
  return {
    requests: now.requests - start.requests,
    errors: now.errors - start.errors,
    quantile: (q) => latency.quantile(q),
  };
}

const EMPTY: TrafficWindow = { requests: 0, errors: 0, quantile: () => Number.NaN };

export class BuiltinMetrics implements TrafficMetrics {
  constructor(private readonly targets: TargetsByCluster) {}

  async open(ref: TrafficRef): Promise<TrafficCursor> {
    const target = this.targets.get(ref.cluster);
    if (!target?.trafficOf) {
      const message =
        `cluster ${ref.cluster} does not count requests itself (${target?.kind ?? 'unknown'} target): ` +
        'name the gateway whose metrics count them, e.g. provider: { prometheus: { url, gateway: traefik } }';
      return { read: async () => ({ kind: 'problem', message }) };
    }
    const count = () => target.trafficOf!(ref.service, ref.version, ref.group);
    const start = await count();
    // The latencies of the last read: the rank test asks for them right after a read.
    let recent: number[] = start?.recent ?? [];
    return {
      read: async () => {
        const now = await count();
        recent = now?.recent ?? [];
        return { kind: 'window', window: now ? since(now, start) : EMPTY };
      },
      recentLatencies: (n) => recent.slice(Math.max(0, recent.length - n)),
    };
  }
}
