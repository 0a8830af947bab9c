/** @module A release's state: the fold of its events. Pure, so status, history and resume agree. */
import type { StoredEvent } from '../store/store.js';
import { type Evidence, EventType } from './events.js';

export type ReleaseStatus =
  | 'pending'
  | 'running'
  | 'waiting-approval'
  | 'paused'
  | 'rolling-back'
  | 'succeeded'
  | 'rolled-back'
  | 'failed';

export const TERMINAL: ReadonlySet<ReleaseStatus> = new Set(['succeeded', 'rolled-back', 'failed']);

export interface StepRecord {
  id: string;
  startedAt?: string;
  completedAt?: string;
  attempts: number;
  evidence?: Evidence;
  result?: Record<string, unknown>;
}

export interface ReleaseState {
  status: ReleaseStatus;
  steps: Map<string, StepRecord>;
  current?: string;
  approvals: Map<string, Set<string>>;
  promotions: number;
  /** Who promoted each step that waited for a person (a promote answers exactly the step waiting then). */
  promotedSteps: Map<string, string>;
  abort?: { by: string; reason: string };
  failure?: { step?: string; reason: string; evidence?: Evidence };
  rollback?: { reason: string; steps: Map<string, StepRecord> };
  notifications: Set<string>;
  startedAt?: string;
  finishedAt?: string;
}

export function foldEvents(events: readonly StoredEvent[]): ReleaseState {
  return applyEvents(emptyState(), events);
}

export function emptyState(): ReleaseState {
  return {
    status: 'pending',
    steps: new Map(),
    approvals: new Map(),
    promotions: 0,
    promotedSteps: new Map(),
    notifications: new Set(),
  };
}

/** Folds more events into a state, in place: a runner keeps one state and applies only what is new. */
export function applyEvents(state: ReleaseState, events: readonly StoredEvent[]): ReleaseState {
  const step = (map: Map<string, StepRecord>, id: string) => {
    let record = map.get(id);
    if (!record) {
      record = { id, attempts: 0 };
      map.set(id, record);
    }
    return record;
  };
  for (const e of events) {
    switch (e.type) {
      case EventType.created:
        state.startedAt = e.time;
        state.status = 'running';
        break;
      case EventType.stepStarted: {
        const r = step(state.steps, e.payload.step);
        r.attempts++;
        r.startedAt ??= e.time;
        state.current = r.id;
        const waiting = e.payload.waiting;
        state.status =
          waiting === 'approval' ? 'waiting-approval' : waiting === 'promotion' ? 'paused' : 'running';
        break;
      }
      case EventType.stepCompleted: {
        const r = step(state.steps, e.payload.step);
        r.completedAt = e.time;
        if (e.payload.evidence) r.evidence = e.payload.evidence;
        if (e.payload.result) r.result = e.payload.result;
        if (state.status !== 'rolling-back') state.status = 'running';
        break;
      }
      case EventType.gateFailed: {
        const { step: id, reason, evidence } = e.payload;
        state.failure = { step: id, reason, ...(evidence ? { evidence } : {}) };
        if (evidence) step(state.steps, id).evidence = evidence;
        break;
      }
      case EventType.approved: {
        const set = state.approvals.get(e.payload.environment) ?? new Set<string>();
        set.add(e.actor);
        state.approvals.set(e.payload.environment, set);
        break;
      }
      case EventType.promoteRequested:
        state.promotions++;
        if (e.payload.step) state.promotedSteps.set(e.payload.step, e.actor);
        break;
      case EventType.abortRequested:
        state.abort ??= { by: e.actor, reason: e.payload.reason || 'aborted' };
        break;
      case EventType.notificationSent:
        state.notifications.add(e.payload.key);
        break;
      case EventType.rollbackStarted:
        state.status = 'rolling-back';
        state.rollback ??= { reason: e.payload.reason, steps: new Map() };
        break;
      case EventType.rollbackStepStarted:
        if (state.rollback) {
          const r = step(state.rollback.steps, e.payload.step);
          r.attempts++;
          r.startedAt ??= e.time;
        }
        break;
      case EventType.rollbackStepCompleted:
        if (state.rollback) step(state.rollback.steps, e.payload.step).completedAt = e.time;
        break;
      case EventType.succeeded:
        state.status = 'succeeded';
        state.finishedAt = e.time;
        break;
      case EventType.rolledBack:
        state.status = 'rolled-back';
        state.finishedAt = e.time;
        break;
      case EventType.failed:
        state.status = 'failed';
        state.finishedAt = e.time;
        state.failure ??= { reason: e.payload.reason };
        break;
      case EventType.diagnostics:
        break;
    }
  }
  return state;
}
