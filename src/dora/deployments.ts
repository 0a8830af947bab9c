/**
 * @module What the audit log says a release deployed: one deployment per service and environment it
 * reached (a step of it started there), with when it was asked for, when it ended and how, when its first
 * gate failed, and when its version was committed if the request said so.
 */
import { EventType, stepOf } from '../engine/events.js';
import type { Touch } from '../plan/types.js';
import type { ReleaseRecord, StoredEvent } from '../store/store.js';

export interface Deployment {
  releaseId: string;
  /** A release, or a person's `slipway rollback`. */
  kind: 'release' | 'rollback';
  service: string;
  environment: string;
  version: string;
  createdAt: number;
  finishedAt?: number;
  /** succeeded, rolled-back or failed once finished. */
  outcome: string;
  failedAt?: number;
  committedAt?: number;
}

const END = new Map<string, string>([
  [EventType.succeeded, 'succeeded'],
  [EventType.rolledBack, 'rolled-back'],
  [EventType.failed, 'failed'],
]);

export function deploymentsOf(record: ReleaseRecord, events: StoredEvent[]): Deployment[] {
  const touches = ((record.plan as { touches?: Touch[] }).touches ?? []) as Touch[];
  const started = events
    .filter((e) => e.type === EventType.stepStarted || e.type === EventType.rollbackStepStarted)
    .map((e) => stepOf(e) ?? '');
  const end = events.find((e) => END.has(e.type));
  const failed = events.find((e) => e.type === EventType.gateFailed || e.type === EventType.failed);
  const commits = new Map(
    ((record.request as { changes?: { service: string; committedAt?: string }[] }).changes ?? []).map((c) => [
      c.service,
      c.committedAt ? Date.parse(c.committedAt) : undefined,
    ]),
  );
  const seen = new Set<string>();
  const out: Deployment[] = [];
  for (const t of touches) {
    const key = `${t.environment}/${t.service}`;
    if (seen.has(key) || !started.some((id) => id.includes(`${t.environment}/${t.cluster}/${t.service}/`)))
      continue;
    seen.add(key);
    const committedAt = commits.get(t.service);
    out.push({
      releaseId: record.id,
      kind: record.kind,
      service: t.service,
      environment: t.environment,
      version: t.to,
      createdAt: Date.parse(record.createdAt),
      ...(end ? { finishedAt: Date.parse(end.time) } : {}),
      outcome: end ? END.get(end.type)! : record.status,
      ...(failed ? { failedAt: Date.parse(failed.time) } : {}),
      ...(committedAt !== undefined && Number.isFinite(committedAt) ? { committedAt } : {}),
    });
  }
  return out;
}
