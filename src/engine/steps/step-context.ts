/** @module What a step's executor gets: the spec, the store, the targets, the metrics, and for waiting steps the runner's log. */
import { SlipwayError } from '../../errors/index.js';
import type { Step } from '../../plan/types.js';
import type { Platform } from '../../spec/schema/platform.js';
import type { Store } from '../../store/store.js';
import type { Snapshot, Target } from '../../targets/target.js';
import type { Evidence } from '../events.js';
import type { ImageRegistry, MetricProviders, TargetsByCluster, TrafficMetrics } from '../ports.js';
import type { ReleaseState } from '../state.js';
import type { BackgroundHost } from '../background-analyses.js';
import type { Clock } from '../../time/clock.js';

/** What the release runner lends a waiting step (approval, pause, bake): the log, the owner check, notifications. */
export interface WaitHost {
  releaseId: string;
  pollMs: number;
  /** When the step first started, from the log (a resumed wait counts from there). */
  startedAt: number;
  state(): Promise<ReleaseState>;
  /** Throws when the controller stops or loses the lease. */
  checkStillOwner(): void;
  /** A person aborted: the runner stops the gate and rolls back. */
  aborted(): void;
  /** A background analysis decided before its verdict step: the wait yields to it. */
  interrupted(): boolean;
  notifyApprovalNeeded(environment: string): Promise<void>;
  log(line: string): void;
}

export interface StepContext {
  spec: Platform;
  store: Store;
  targets: TargetsByCluster;
  metrics: TrafficMetrics;
  providers: MetricProviders;
  registry?: ImageRegistry;
  cwd: string;
  /** What time it is and how to wait: the analysis loop and the waiting steps read time only here. */
  clock: Clock;
  signal: AbortSignal;
  /** The snapshot this release took of a service on a cluster before changing it, if any. */
  snapshotOf?: (cluster: string, service: string) => Snapshot | undefined;
  waits?: WaitHost;
  /** The release's background analyses (started by one step, closed by a later one). */
  background?: BackgroundHost;
  /** An analysis's round while it runs (the dashboard's live chart). */
  onSample?: (evidence: Evidence) => void;
}

export interface StepOutcome {
  evidence?: Evidence;
  result?: Record<string, unknown>;
}

export type StepKind = Step['kind'];
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;
export type StepExecutor<K extends StepKind> = (ctx: StepContext, step: StepOf<K>) => Promise<StepOutcome>;

export function targetFor(ctx: StepContext, cluster: string): Target {
  const target = ctx.targets.get(cluster);
  if (!target) {
    throw new SlipwayError('ENGINE_NO_TARGET', `no target for cluster "${cluster}"`, {
      hint: 'every cluster is `local: {}` or `kubernetes: { context }`; is the spec the one the controller runs?',
    });
  }
  return target;
}

export function waitHost(ctx: StepContext): WaitHost {
  if (!ctx.waits) throw new SlipwayError('ENGINE_NO_WAIT_HOST', 'a waiting step needs the release runner');
  return ctx.waits;
}
