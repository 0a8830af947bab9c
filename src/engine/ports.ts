/** @module What the engine needs from the outside world, as interfaces only. */
import type { MetricProvider } from '../analysis/metric-provider.js';
import type { Platform } from '../spec/schema/platform.js';
import type { Target } from '../targets/target.js';

/** Traffic counters of one version on one cluster, cumulative since the target started. */
export interface TrafficSnapshot {
  requests: number;
  errors: number;
  /** Latency quantile in seconds (NaN when there is no data). */
  quantile(q: number): number;
  /** Latency distribution since an earlier snapshot of the same version. */
  since(earlier: TrafficSnapshot): TrafficSnapshot;
}

/** The builtin metric source: the router's counters (issue 5 adds Prometheus behind the same idea). */
export interface TrafficMetrics {
  snapshot(cluster: string, service: string, version: string): TrafficSnapshot | undefined;
  /** The most recent latencies (seconds) of the version, oldest first, for rank tests. */
  recentLatencies(cluster: string, service: string, version: string, n: number): number[];
}

export interface NotificationMessage {
  /** Unique per release and event, so a message is never sent twice. */
  key: string;
  event:
    | 'release-started'
    | 'gate-failed'
    | 'rollback'
    | 'release-succeeded'
    | 'release-failed'
    | 'approval-needed';
  releaseId: string;
  platform: string;
  text: string;
  details?: Record<string, unknown>;
}

export interface Notifier {
  /** Never throws and never waits long: a dead webhook must not hold a release. */
  send(message: NotificationMessage): void;
}

/** The metric provider an analysis template names, or why there is none (a PromQL source is an adapter). */
export interface MetricProviders {
  forTemplate(definition: NonNullable<Platform['analysis']>[string]): {
    provider?: MetricProvider;
    problem?: string;
  };
}

export interface ImageCheck {
  found: boolean;
  detail: string;
}

/** Where images live: whether a tag exists, before a release asks clusters to pull it. */
export interface ImageRegistry {
  exists(image: string, tag: string): Promise<ImageCheck>;
}

/** Targets by cluster name. */
export type TargetsByCluster = ReadonlyMap<string, Target>;
