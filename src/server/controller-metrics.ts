/**
 * @module Slipway's own metrics, served at `/metrics` for Prometheus (prom-client): releases by outcome,
 * step durations by kind, gate verdicts, rollbacks and API requests — read from the events the controller
 * writes, so what is counted is exactly what the audit log says happened.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { EventType, stepOf } from '../engine/events.js';
import type { StoredEvent } from '../store/store.js';

const OUTCOME = new Map<string, string>([
  [EventType.succeeded, 'succeeded'],
  [EventType.rolledBack, 'rolled-back'],
  [EventType.failed, 'failed'],
]);

export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly releases = new Counter({
    name: 'slipway_releases_finished_total',
    help: 'Releases that ended, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly steps = new Histogram({
    name: 'slipway_step_duration_seconds',
    help: 'How long each release step took, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 1800, 7200],
    registers: [this.registry],
  });
  private readonly verdicts = new Counter({
    name: 'slipway_gate_verdicts_total',
    help: 'Verdicts of checks, analyses and other gates, by step kind and verdict',
    labelNames: ['kind', 'verdict'] as const,
    registers: [this.registry],
  });
  private readonly rollbacks = new Counter({
    name: 'slipway_rollbacks_total',
    help: 'Rollbacks started (automatic, or by a person aborting)',
    registers: [this.registry],
  });
  private readonly requests = new Counter({
    name: 'slipway_api_requests_total',
    help: 'API requests, by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  /** A step's kind and start, by release and step id, until it completes. */
  private readonly started = new Map<string, { kind: string; at: number }>();

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'slipway_' });
  }

  observe(event: StoredEvent): void {
    const key = `${event.releaseId}/${stepOf(event)}`;
    if (event.type === EventType.stepStarted)
      this.started.set(key, { kind: event.payload.kind, at: Date.parse(event.time) });
    if (event.type === EventType.stepCompleted || event.type === EventType.gateFailed) {
      const step = this.started.get(key);
      this.started.delete(key);
      if (step && event.type === EventType.stepCompleted)
        this.steps.observe({ kind: step.kind }, (Date.parse(event.time) - step.at) / 1000);
      const verdict = event.payload.evidence?.verdict;
      if (verdict) this.verdicts.inc({ kind: step?.kind ?? 'unknown', verdict });
    }
    if (event.type === EventType.rollbackStarted) this.rollbacks.inc();
    const outcome = OUTCOME.get(event.type);
    if (outcome) {
      this.releases.inc({ outcome });
      for (const k of this.started.keys()) if (k.startsWith(`${event.releaseId}/`)) this.started.delete(k);
    }
  }

  request(method: string, route: string, status: number): void {
    this.requests.inc({ method, route, status: String(status) });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
