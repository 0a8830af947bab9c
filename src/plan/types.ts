/** @module A release plan: the ordered, idempotent steps that move services from one version to the next. */
import type {
  ExperimentGroup,
  HeaderMatch,
  RolloutBound,
  SeparateGroup,
  TrafficGroup,
  Weights,
} from '../targets/target.js';

export interface ServiceChange {
  service: string;
  version: string;
  /** When the version was committed (ISO 8601), for the DORA lead time. */
  committedAt?: string;
}

export interface ReleaseRequest {
  changes: ServiceChange[];
  /** Environments to go through, in spec order (default: all). */
  environments?: string[];
}

interface StepBase {
  /** Stable across plan computations and restarts: the key of the step's events. */
  id: string;
  title: string;
  environment?: string;
  cluster?: string;
  service?: string;
}

export type Step =
  | (StepBase & { kind: 'preflight'; check: 'spec' })
  | (StepBase & {
      kind: 'preflight';
      check: 'images';
      registry: string;
      images: { service: string; image: string; version: string }[];
    })
  | (StepBase & {
      kind: 'preflight';
      check: 'cluster';
      cluster: string;
      services: { service: string; version: string }[];
    })
  | (StepBase & {
      kind: 'backup';
      environment: string;
      /** What the environment's stage will change: each is snapshotted before anything changes. */
      touches?: { cluster: string; service: string; version: string }[];
    })
  | (StepBase & {
      kind: 'approval';
      environment: string;
      role?: string;
      approvals: number;
      /** Without enough approvals by then, the gate fails (and what the release changed is rolled back). */
      timeoutMs?: number;
    })
  | (StepBase & {
      kind: 'ensure-replicas';
      cluster: string;
      service: string;
      group: TrafficGroup;
      version: string;
      replicas: number;
      maxSurge?: RolloutBound;
      maxUnavailable?: RolloutBound;
      deadlineMs: number;
      /** A rollback's stable step: restore the release's snapshot where there is one. */
      restore?: boolean;
    })
  | (StepBase & {
      kind: 'set-weights';
      cluster: string;
      service: string;
      weights: Weights;
      matches?: HeaderMatch[];
    })
  | (StepBase & {
      kind: 'promote';
      cluster: string;
      service: string;
      from: 'canary' | 'preview';
      version: string;
      replicas: number;
      /** The release policy's, for stable's replacement. */
      maxSurge?: RolloutBound;
      maxUnavailable?: RolloutBound;
    })
  | (StepBase & {
      kind: 'scale-to-zero';
      cluster: string;
      service: string;
      group: TrafficGroup;
      /** A rollback of a first deployment: restore the release's snapshot where there is one. */
      restore?: boolean;
    })
  | (StepBase & {
      kind: 'check';
      cluster: string;
      service: string;
      /** A check of the spec's `checks`, or the name of a `prerequisites` entry (with `prerequisite`). */
      check: string;
      /** The check is this prerequisite's `check` command, run on the cluster before the release. */
      prerequisite?: boolean;
      group?: TrafficGroup;
      version: string;
    })
  | (StepBase &
      AnalysisFields & {
        kind: 'analysis';
        /**
         * The verdict of the background analysis this step id started: the step closes its window (the
         * promotion is next) and waits until it decides, rather than judging a window of its own.
         */
        endsBackground?: string;
      })
  | (StepBase &
      AnalysisFields & {
        kind: 'background-analysis';
        /**
         * `until-closed` (release.analysis beside steps): the window stays open until its closing step;
         * `own`: one of several analyses of a step run in parallel, each over its own `durationMs`.
         */
        window: 'until-closed' | 'own';
      })
  | (StepBase & { kind: 'pause'; durationMs?: number; untilPromoted?: boolean })
  | (StepBase & { kind: 'bake'; environment: string; durationMs: number })
  | (StepBase & {
      kind: 'criteria';
      /** start: count what the touched services served so far; check: judge the release against the criteria. */
      phase: 'start' | 'check';
      /** The services and versions whose traffic is counted, where. */
      counted: { cluster: string; service: string; versions: string[] }[];
    })
  | (StepBase & {
      kind: 'watch';
      /** After the last promotion, how long the release stays open. */
      durationMs: number;
      intervalMs: number;
      /** The released services' alerts with `action: rollback`: one that fires rolls the release back. */
      alerts: WatchedAlert[];
    })
  | (StepBase & {
      kind: 'record-version';
      environment: string;
      cluster: string;
      service: string;
      version: string;
    });

export type StepKind = Step['kind'];

/** What an analysis judges, where: an analysis step's, or a background analysis's (run until its verdict step). */
export interface AnalysisFields {
  cluster: string;
  service: string;
  template: string;
  /** The window (a background analysis's nominal one: the range of its PromQL queries). */
  durationMs: number;
  version: string;
  /** The judged version's traffic is this group's alone (an experiment's variant). */
  group?: ExperimentGroup;
  baselineVersion?: string;
  /** The baseline is a fresh group at baselineVersion started with the canary, not the stable pods. */
  baselineGroup?: 'baseline';
  /** This analysis's share of its template's α: the release's error budget spread over its analyses. */
  alphaShare?: number;
  /** Values the step gives the template's arguments ({{args.NAME}}). */
  args?: Record<string, string>;
}

export interface WatchedAlert {
  service: string;
  name: string;
  expr: string;
  /** How long the expression must hold before the alert fires (Prometheus' `for`). */
  forMs: number;
}

/** Who changes what where: the basis of rollback. */
export interface Touch {
  environment: string;
  cluster: string;
  service: string;
  from?: string;
  to: string;
  replicas: number;
  strategy: 'rolling' | 'blue-green' | 'canary' | 'initial';
  /** Groups a canary runs beside it (a fresh baseline, experiment variants): a rollback empties them too. */
  separateGroups?: SeparateGroup[];
}

export interface Stage {
  environment: string;
  approval?: { role?: string; approvals: number };
  waves: { clusters: string[]; services: string[] }[];
}

/** The platform's disaster-recovery targets and the scenarios that concern a release's services. */
export interface Recovery {
  targets?: string;
  scenarios: {
    scenario: string;
    rto: string;
    rpo: string;
    procedure?: string;
    services?: string[];
    /** The backups a restore would use: `service schedule`. */
    backups?: string[];
  }[];
}

export interface Plan {
  platform: string;
  request: ReleaseRequest;
  stages: Stage[];
  steps: Step[];
  touches: Touch[];
  /** What a person should know before running it (shared objects across stages, recovery points). */
  warnings?: string[];
  recovery?: Recovery;
}
