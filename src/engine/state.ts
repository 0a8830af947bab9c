/** @module A release's state: the fold of its events. Pure, so status, history and resume agree. */
import type { StoredEvent } from '../store/store.js';
import { type EventPayload, type Evidence, EventType } from './events.js';

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

const str = (v: unknown) => (typeof v === 'string' ? v : '');

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
    const p = e.payload as EventPayload;
    switch (e.type) {
      case EventType.created:
        state.startedAt = e.time;
        state.status = 'running';
        break;
      case EventType.stepStarted: {
        const r = step(state.steps, str(p.step));
        r.attempts++;
        r.startedAt ??= e.time;
        state.current = r.id;
        state.status =
          p.waiting === 'approval' ? 'waiting-approval' : p.waiting === 'promotion' ? 'paused' : 'running';
        break;
      }
      case EventType.stepCompleted: {
        const r = step(state.steps, str(p.step));
        r.completedAt = e.time;
        if (p.evidence) r.evidence = p.evidence as Evidence;
        if (p.result) r.result = p.result as Record<string, unknown>;
        if (state.status !== 'rolling-back') state.status = 'running';
        break;
      }
      case EventType.gateFailed:
        state.failure = {
          step: str(p.step),
          reason: str(p.reason),
          ...(p.evidence ? { evidence: p.evidence as Evidence } : {}),
        };
        if (p.evidence) step(state.steps, str(p.step)).evidence = p.evidence as Evidence;
        break;
      case EventType.approved: {
        const env = str(p.environment);
        const set = state.approvals.get(env) ?? new Set<string>();
        set.add(e.actor);
        state.approvals.set(env, set);
        break;
      }
      case EventType.promoteRequested:
        state.promotions++;
        if (p.step) state.promotedSteps.set(str(p.step), e.actor);
        break;
      case EventType.abortRequested:
        state.abort ??= { by: e.actor, reason: str(p.reason) || 'aborted' };
        break;
      case EventType.notificationSent:
        state.notifications.add(str(p.key));
        break;
      case EventType.rollbackStarted:
        state.status = 'rolling-back';
        state.rollback ??= { reason: str(p.reason), steps: new Map() };
        break;
      case EventType.rollbackStepStarted:
        if (state.rollback) {
          const r = step(state.rollback.steps, str(p.step));
          r.attempts++;
          r.startedAt ??= e.time;
        }
        break;
      case EventType.rollbackStepCompleted:
        if (state.rollback) step(state.rollback.steps, str(p.step)).completedAt = e.time;
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
        state.failure ??= { reason: str(p.reason) };
        break;
      default:
        break;
    }
  }
  return state;
}
