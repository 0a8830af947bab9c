/**
 * @module An analysis over time: one point per round (error rates, p95s, the sequential statistic and its
 * bounds, each PromQL metric's value), kept in the evidence so the dashboard can chart why a verdict came.
 * Bounded: when full, every other point is dropped, so a long run keeps its shape at half the resolution.
 */
import type { TrafficWindow } from '../engine/ports.js';
import type { Judgement } from './judges/verdict.js';

export interface TracePoint {
  /** Milliseconds since the analysis began. */
  t: number;
  canaryRequests?: number;
  canaryErrorRate?: number;
  baselineErrorRate?: number;
  /** ln Λ of the sequential error test, and the bound at which it fails the canary. */
  logLambda?: number;
  failBound?: number;
  /** The statistic that accepts a healthy canary once at or below acceptBound. */
  logAccept?: number;
  acceptBound?: number;
  canaryP95Ms?: number;
  baselineP95Ms?: number;
  /** PromQL metrics by name. */
  metrics?: Record<string, number>;
}

export const MAX_TRACE_POINTS = 120;

const finite = (x: unknown): number | undefined =>
  typeof x === 'number' && Number.isFinite(x) ? Number(x.toPrecision(6)) : undefined;

const SEQUENTIAL_FIELDS = ['logLambda', 'failBound', 'logAccept', 'acceptBound'] as const;

const errorRate = (w: TrafficWindow | undefined) => (w && w.requests > 0 ? w.errors / w.requests : undefined);

/** One round's point, from its judgements and the two versions' traffic since the analysis began. */
export function tracePoint(
  t: number,
  canaryRequests: number,
  round: Judgement[],
  windows: { canary?: TrafficWindow; baseline?: TrafficWindow },
): TracePoint {
  const point: TracePoint = { t, canaryRequests };
  const canaryRate = finite(errorRate(windows.canary));
  const baselineRate = finite(errorRate(windows.baseline));
  if (canaryRate !== undefined) point.canaryErrorRate = canaryRate;
  if (baselineRate !== undefined) point.baselineErrorRate = baselineRate;
  const sequential = round.find((j) => 'logLambda' in j.evidence)?.evidence ?? {};
  for (const field of SEQUENTIAL_FIELDS) {
    const value = finite(sequential[field]);
    if (value !== undefined) point[field] = value;
  }
  const canaryP95 = finite((windows.canary?.quantile(0.95) ?? NaN) * 1000);
  const baselineP95 = finite((windows.baseline?.quantile(0.95) ?? NaN) * 1000);
  if (canaryP95 !== undefined) point.canaryP95Ms = canaryP95;
  if (baselineP95 !== undefined) point.baselineP95Ms = baselineP95;
  const metrics: Record<string, number> = {};
  for (const j of round) {
    const name = j.evidence['metric'];
    const value = finite(j.evidence['value'] ?? j.evidence['canary']);
    if (typeof name === 'string' && value !== undefined) metrics[name] = value;
  }
  if (Object.keys(metrics).length > 0) point.metrics = metrics;
  return point;
}

/** Appends a point, halving the resolution when the trace is full. */
export function appendPoint(trace: TracePoint[], point: TracePoint): void {
  trace.push(point);
  if (trace.length > MAX_TRACE_POINTS) {
    const kept = trace.filter((_, i) => i % 2 === 0 || i === trace.length - 1);
    trace.splice(0, trace.length, ...kept);
  }
}
