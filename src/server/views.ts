/** @module A release as JSON: what `status --json` prints and the API returns. */
import type { ReleaseView } from '../engine/controller.js';
import type { StepRecord } from '../engine/state.js';

const step = (r: StepRecord | undefined) =>
  r
    ? {
        startedAt: r.startedAt,
        completedAt: r.completedAt,
        attempts: r.attempts,
        ...(r.evidence ? { evidence: r.evidence } : {}),
      }
    : {};

export function serializeView(v: ReleaseView) {
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
      ...step(state.steps.get(s.id)),
    })),
    rollback: state.rollback
      ? {
          reason: state.rollback.reason,
          steps: [...state.rollback.steps.values()].map((r) => ({ id: r.id, ...step(r) })),
        }
      : undefined,
  };
}

export type SerializedRelease = ReturnType<typeof serializeView>;
