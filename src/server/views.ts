/** @module A release as JSON: what `status --json` prints and the API returns. */
import type { ReleaseView } from '../engine/controller.js';
import type { Evidence } from '../engine/events.js';
import type { StepRecord } from '../engine/state.js';
import type { Recovery } from '../plan/types.js';

interface StepView {
  startedAt?: string | undefined;
  completedAt?: string | undefined;
  attempts?: number;
  evidence?: Evidence;
}

const step = (r: StepRecord | undefined): StepView =>
  r
    ? {
        startedAt: r.startedAt,
        completedAt: r.completedAt,
        attempts: r.attempts,
        ...(r.evidence ? { evidence: r.evidence } : {}),
      }
    : {};

export interface SerializedRelease {
  id: string;
  kind: string;
  platform: string;
  createdBy: string;
  status: string;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  changes: { service: string; version: string }[];
  current?: string | undefined;
  failure?: { step?: string; reason: string; evidence?: Evidence } | undefined;
  abort?: { by: string; reason: string } | undefined;
  approvals: Record<string, string[]>;
  steps: (StepView & {
    id: string;
    kind: string;
    title: string;
    environment?: string;
    cluster?: string;
    service?: string;
  })[];
  rollback?: { reason: string; steps: (StepView & { id: string })[] } | undefined;
  /** The platform's recovery targets and the scenarios that concern this release's services. */
  recovery?: Recovery | undefined;
  warnings?: string[] | undefined;
}

export function serializeView(v: ReleaseView): SerializedRelease {
  const { release, plan, state } = v;
  return {
    id: release.id,
    kind: release.kind,
    platform: release.platform,
    createdBy: release.createdBy,
    status: state.status,
    startedAt: state.startedAt,
    finishedAt: state.finishedAt,
    changes: plan.request.changes,
    current: state.current,
    failure: state.failure,
    abort: state.abort,
    approvals: Object.fromEntries([...state.approvals].map(([env, by]) => [env, [...by]])),
    steps: plan.steps.map((s) => ({
      id: s.id,
      kind: s.kind,
      title: s.title,
      ...(s.environment ? { environment: s.environment } : {}),
      ...(s.cluster ? { cluster: s.cluster } : {}),
      ...(s.service ? { service: s.service } : {}),
      ...step(state.steps.get(s.id)),
    })),
    rollback: state.rollback
      ? {
          reason: state.rollback.reason,
          steps: [...state.rollback.steps.values()].map((r) => ({ id: r.id, ...step(r) })),
        }
      : undefined,
    ...(plan.recovery ? { recovery: plan.recovery } : {}),
    ...(plan.warnings?.length ? { warnings: plan.warnings } : {}),
  };
}
