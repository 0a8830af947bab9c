/** @module Per service × version traffic counters (a fresh baseline's apart), as the router records them. */
import { LatencyHistogram } from '../../../metrics/latency-histogram.js';
import type { SeparateGroup } from '../../target.js';

/** Prometheus-style buckets, so `histogram_quantile` works on the scraped series. */
export const PROMETHEUS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** Why a request to an upstream failed before a response came back. */
export type UpstreamFailure = 'refused' | 'reset' | 'timeout' | 'other';

/** How many recent latencies are kept raw for rank tests (Mann-Whitney). */
const RECENT = 4096;

export class VersionMetrics {
  readonly byStatus = new Map<number, number>();
  requests = 0;
  /** Responses with status ≥ 500, including the router's own 502/504 for a failed upstream. */
  errors = 0;
  readonly upstreamFailures: Record<UpstreamFailure, number> = { refused: 0, reset: 0, timeout: 0, other: 0 };
  /** Attempts repeated on another replica after a refused connection (the request itself is counted once). */
  retries = 0;
  inFlight = 0;
  /** When this version first answered with a server error (ms since the epoch). */
  firstErrorAt: number | undefined;
  readonly latency = new LatencyHistogram();
  readonly buckets = new Float64Array(PROMETHEUS_BUCKETS.length);
  readonly recent = new Float64Array(RECENT);
  recentCount = 0;

  constructor(
    readonly service: string,
    readonly version: string,
    /** A group counted apart from its version's others (a fresh baseline, an experiment's variant). */
    readonly group?: SeparateGroup,
  ) {}

  recordResponse(status: number, seconds: number): void {
    this.requests++;
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status >= 500) {
      this.errors++;
      this.firstErrorAt ??= Date.now();
    }
    this.latency.record(seconds);
    for (let i = 0; i < PROMETHEUS_BUCKETS.length; i++)
      if (seconds <= PROMETHEUS_BUCKETS[i]!) this.buckets[i]! += 1;
    this.recent[this.recentCount % RECENT] = seconds;
    this.recentCount++;
  }

  /** The last `n` latencies (at most 4096), oldest first. */
  recentLatencies(n = RECENT): number[] {
    const count = Math.min(n, this.recentCount, RECENT);
    const out: number[] = [];
    for (let i = this.recentCount - count; i < this.recentCount; i++) out.push(this.recent[i % RECENT]!);
    return out;
  }
}
