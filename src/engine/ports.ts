/** @module What the engine needs from the outside world, as interfaces only. */
import type { MetricProvider } from '../analysis/metric-provider.js';
import type { Platform } from '../spec/schema/platform.js';
import type { SeparateGroup, Target } from '../targets/target.js';

/** One version's traffic over a window: counts, and its latency distribution. */
export interface TrafficWindow {
  requests: number;
  errors: number;
  /** Latency quantile in seconds (NaN when there is no data). */
  quantile(q: number): number;
}

/** A read of a version's traffic: the window so far, or why there is no answer (inconclusive, never a pass). */
export type TrafficRead = { kind: 'window'; window: TrafficWindow } | { kind: 'problem'; message: string };

/** One version's traffic counted from the moment it was opened. */
export interface TrafficCursor {
  read(signal?: AbortSignal): Promise<TrafficRead>;
  /** The most recent per-request latencies (seconds, oldest first), where the source keeps them (rank tests). */
  recentLatencies?(n: number): number[];
}

/** Which version's traffic, where. */
export interface TrafficRef {
  cluster: string;
  service: string;
  namespace: string;
  version: string;
  /** A group counted apart (a fresh baseline, an experiment's variant), not the version's other groups. */
  group?: SeparateGroup;
}

/**
 * Where request counts come from: the local router's own counters (builtin), or a gateway's or mesh's
 * metrics in Prometheus. Either way the analysis reads counts over its window, never rates.
 */
export interface TrafficMetrics {
  /** Starts counting the version's traffic now. */
  open(ref: TrafficRef): Promise<TrafficCursor>;
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
    | 'approval-needed'
    | 'step-completed'
    | 'paused'
    | 'inconclusive'
    | 'aborted';
  releaseId: string;
  platform: string;
  text: string;
  details?: Record<string, unknown>;
}

export interface Notifier {
  /** Never throws and never waits long: a dead webhook must not hold a release. */
  send(message: NotificationMessage): void;
  /** Whether any channel takes this occasion (else it is not even recorded). */
  wants?(event: NotificationMessage['event']): boolean;
}

/** The metric provider an analysis template names, or why there is none (a PromQL source is an adapter). */
export interface MetricProviders {
  forTemplate(definition: NonNullable<Platform['analysis']>[string]): {
    provider?: MetricProvider;
    /** The template's own source of request counts (a gateway's metrics), instead of the builtin one. */
    traffic?: TrafficMetrics;
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
