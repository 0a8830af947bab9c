/**
 * @module The Target port: what the release engine asks of a place that runs services.
 * Every operation is an idempotent *ensure*: calling it again after a crash converges on the same state.
 */
import type { LatencyHistogram } from '../metrics/latency-histogram.js';

/** A variant of an experiment step (`experiment-<name>`): its own version group for the step's length. */
export type ExperimentGroup = `experiment-${string}`;

/**
 * Traffic groups of one service. `stable` serves by default; `canary` and `preview` are the new version;
 * `baseline` is a fresh copy of stable's version started beside the canary, the canary's comparison; an
 * experiment's variants are groups of their own while it runs.
 */
export type TrafficGroup = 'stable' | 'canary' | 'preview' | 'baseline' | ExperimentGroup;
/** The groups every service has a place for (experiment groups come and go with their step). */
export const TRAFFIC_GROUPS: readonly TrafficGroup[] = ['stable', 'canary', 'preview', 'baseline'];

/** Groups in the order they are restored and shown: the usual ones (stable first), then an experiment's variants. */
export function inGroupOrder(named: readonly TrafficGroup[]): TrafficGroup[] {
  return [
    ...TRAFFIC_GROUPS.filter((g) => named.includes(g)),
    ...named.filter((g) => !TRAFFIC_GROUPS.includes(g)),
  ];
}

/** Groups whose traffic is counted apart from the other groups of their version: a fresh baseline, a variant. */
export type SeparateGroup = 'baseline' | ExperimentGroup;
export const isSeparateGroup = (group: TrafficGroup): group is SeparateGroup =>
  group === 'baseline' || group.startsWith('experiment-');

/** Percent of traffic per group; groups left out get none. */
export type Weights = Partial<Record<TrafficGroup, number>>;

/** A request header that pins it to a version, and one that pins it to a traffic group (checks use it). */
export const PIN_VERSION_HEADER = 'x-slipway-version';
export const PIN_GROUP_HEADER = 'x-slipway-group';

/** A service as the engine addresses it on one target. */
export interface ServiceRef {
  service: string;
  cluster: string;
}

/** A surge or unavailability bound: a count or a percentage of the desired replicas ("25%"). */
export type RolloutBound = number | `${number}%`;

/** How a replacement may go past or below the desired count: the release policy's maxSurge / maxUnavailable. */
export type RolloutBounds = Pick<EnsureReplicasRequest, 'maxSurge' | 'maxUnavailable'>;

/** Only the bounds a step or a policy sets: the others stay at the target's defaults. */
export function boundsOf(source: RolloutBounds | undefined): RolloutBounds {
  return {
    ...(source?.maxSurge !== undefined ? { maxSurge: source.maxSurge } : {}),
    ...(source?.maxUnavailable !== undefined ? { maxUnavailable: source.maxUnavailable } : {}),
  };
}

export interface EnsureReplicasRequest {
  group: TrafficGroup;
  version: string;
  replicas: number;
  /** How many replicas above `replicas` may exist during a replacement (default 25%). */
  maxSurge?: RolloutBound;
  /** How many below `replicas` may be unready during a replacement (default 0). */
  maxUnavailable?: RolloutBound;
  /** Give up (with an error) if the group is not ready by then. */
  deadlineMs?: number;
}

import type { HeaderValue } from './header-match.js';

/** A header rule that sends matching requests to a group (A/B routing). */
export interface HeaderMatch {
  headers: Record<string, HeaderValue>;
  group: TrafficGroup;
}

export interface ReplicaStatus {
  id: string;
  version: string;
  ready: boolean;
  restarts: number;
  pid?: number;
  port?: number;
}

export interface GroupStatus {
  group: TrafficGroup;
  /** Versions present in the group (two during a rolling replacement). */
  versions: string[];
  desired: number;
  ready: number;
  replicas: ReplicaStatus[];
}

export interface ServiceStatus extends ServiceRef {
  groups: GroupStatus[];
  weights: Weights;
  matches: HeaderMatch[];
  /** Where the service is reached (the router on the local target). */
  endpoint?: string;
  /** What a command check needs to reach the service (on a cluster: KUBECONFIG, the context, the namespace). */
  commandEnv?: Record<string, string>;
}

/** A check's HTTP request to a service (or one traffic group of it), however the target reaches it. */
export interface CheckRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The service port (default: its first). */
  port?: number;
  group?: TrafficGroup;
  timeoutMs: number;
}

export interface CheckResponse {
  status: number;
  body: string;
}

/**
 * What a release is about to change on a target, as it is now (JSON, opaque to the engine): enough to put
 * it back exactly. Taken before the first change and kept in the release's log.
 */
export type Snapshot = Record<string, unknown>;

/** What a target found before a release touches it: each finding says what is wrong and how to fix it. */
export interface PreflightResult {
  ok: boolean;
  /** One line on what was checked (server version, services). */
  summary: string;
  findings: string[];
}

/** What a target counts of one version's traffic (the local router does; a cluster leaves it to Prometheus). */
export interface VersionTraffic {
  requests: number;
  errors: number;
  /** The latency distribution so far (a copy: later requests do not change it). */
  latency: LatencyHistogram;
  /** The most recent latencies in seconds (up to 4096), oldest first. */
  recent: number[];
}

/**
 * The objects that carry one version's requests on a cluster, as a gateway's or mesh's metrics name them:
 * the Service the requests reach it by, and its workload.
 */
export interface TrafficBackend {
  namespace: string;
  service: string;
  workload: string;
  /** Another version's pods are behind the same Service (a canary by replica ratio). */
  sharedService: boolean;
}

/** What a target can do beyond the basics, so the engine asks instead of branching on its kind. */
export interface TargetCapabilities {
  /** Traffic split by weight between groups. */
  weights: boolean;
  /** Requests routed to a group by header (A/B). */
  headerRouting: boolean;
  /** What runs there outlives Slipway and can be asked (a cluster), rather than being only what Slipway started. */
  liveState: boolean;
}

/** The port. The local target and the Kubernetes target implement it; the engine knows nothing else. */
export interface Target {
  readonly kind: string;
  readonly capabilities: TargetCapabilities;
  /**
   * The version's traffic counters, where the target itself serves the traffic: those of `group` when it is
   * one counted apart (a fresh baseline, an experiment's variant), else the version's other groups'.
   */
  trafficOf?(service: string, version: string, group?: SeparateGroup): Promise<VersionTraffic | undefined>;
  /** Where the version's requests go now, where something else counts them (a cluster's gateway); as trafficOf for `group`. */
  backendsOf?(service: string, version: string, group?: SeparateGroup): Promise<TrafficBackend[]>;
  /** Version V runs N ready replicas in the group, replacing others within the surge/unavailable bounds. */
  ensureReplicas(ref: ServiceRef, request: EnsureReplicasRequest): Promise<GroupStatus>;
  /** Traffic is split between groups by these weights (they sum to 100). */
  ensureWeights(ref: ServiceRef, weights: Weights, matches?: HeaderMatch[]): Promise<void>;
  /**
   * The group's version becomes stable: stable is replaced by it within `bounds` and the group is emptied.
   * Idempotent: done again after a crash (the group already gone, stable at `version`), it finishes what is left.
   */
  promote(
    ref: ServiceRef,
    from: Exclude<TrafficGroup, 'stable'>,
    version: string,
    bounds?: RolloutBounds,
  ): Promise<void>;
  /** The group has no replicas (and receives no traffic). */
  scaleToZero(ref: ServiceRef, group: TrafficGroup): Promise<void>;
  /**
   * Files about the service as this target sees it (replica logs; workloads and pods), for a diagnostics
   * bundle: name → text. Never the environment of what runs (secrets live there).
   */
  diagnostics?(ref: ServiceRef): Promise<Record<string, string>>;
  /** What runs now. */
  observe(ref: ServiceRef): Promise<ServiceStatus>;
  /** Can these services at these versions be released here? (reachability, permissions, CRDs, commands) */
  preflight(services: { service: string; version: string }[]): Promise<PreflightResult>;
  /** What `version` of the service would change here, as it is now. */
  snapshot(ref: ServiceRef, version: string): Promise<Snapshot>;
  /**
   * Puts back what a snapshot holds (objects the release created are removed); `fallback` is the stable
   * group it should amount to (none: nothing ran before), used where the snapshot holds nothing more precise.
   */
  restore(
    ref: ServiceRef,
    snapshot: Snapshot,
    fallback?: EnsureReplicasRequest,
  ): Promise<GroupStatus | undefined>;
  /** Sends a check's request to the service (pinned to a group when given): the router locally, the API server's service proxy on a cluster. */
  send(ref: ServiceRef, request: CheckRequest): Promise<CheckResponse>;
  /** Stops everything this target started. */
  close(): Promise<void>;
}
