/**
 * @module One request's trip through the router, whichever path carries it: the replica it is sent to,
 * what is counted while it is in flight, and what a failed attempt leads to (another replica, or a 502/504).
 */
import { STATUS_CODES } from 'node:http';
import { isSeparateGroup } from '../target.js';
import type { Balancer, RequestHeaders, Upstream } from './balancer.js';
import type { MetricsRegistry } from './metrics/metrics-registry.js';
import type { VersionMetrics } from './metrics/version-metrics.js';
import { failureOf } from './proxy-headers.js';

/** Safe to send twice (RFC 9110 §9.2.2); only these are retried. */
export const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const MAX_ATTEMPTS = 3;
export const UNROUTED = 'unrouted';
/** nginx's status for a client that closed the connection before the answer: not a server error. */
export const CLIENT_CLOSED = 499;

export interface Trip {
  started: number;
  retryable: boolean;
  /** Upstreams that refused it so far. */
  tried: Set<string> | undefined;
  upstream: Upstream;
  metrics: VersionMetrics;
  finished: boolean;
  /** The upstream's status, once its answer's head came. */
  status?: number;
}

/** A trip as an object of its own, for the paths that keep one per request (the fast path, a tunnel). */
export abstract class TripState implements Trip {
  started = performance.now();
  retryable: boolean;
  tried: Set<string> | undefined;
  upstream!: Upstream;
  metrics!: VersionMetrics;
  finished = true;
  status?: number;

  constructor(method: string) {
    this.retryable = IDEMPOTENT.has(method);
  }
}

/** What the client gets when no replica answered. */
export interface OwnAnswer {
  status: number;
  reason: string;
}

export class Trips {
  private readonly drainWaiters = new Map<string, () => void>();

  constructor(
    private readonly balancer: Balancer,
    private readonly service: string,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** Sends the trip to a replica (counted in flight), or says what to answer when none is left. */
  start(trip: Trip, headers: RequestHeaders): OwnAnswer | undefined {
    const upstream = this.balancer.pick(headers, trip.tried);
    if (!upstream) {
      return trip.tried
        ? { status: 502, reason: 'every replica refused the connection' }
        : { status: 503, reason: 'no ready replica' };
    }
    upstream.inFlight++;
    // Looked up once per upstream, not per request (the hot path allocates as little as it can).
    trip.metrics = upstream.metrics ??= this.metrics.forVersion(
      this.service,
      upstream.version,
      isSeparateGroup(upstream.group) ? upstream.group : undefined,
    );
    trip.metrics.inFlight++;
    trip.upstream = upstream;
    trip.finished = false;
    return undefined;
  }

  /** Ends the attempt's accounting once; false when it had already ended. */
  finish(trip: Trip): boolean {
    if (trip.finished) return false;
    trip.finished = true;
    const { upstream } = trip;
    upstream.inFlight--;
    trip.metrics.inFlight--;
    if (upstream.inFlight === 0 && upstream.draining) {
      this.drainWaiters.get(upstream.id)?.();
      this.drainWaiters.delete(upstream.id);
    }
    return true;
  }

  /**
   * After an attempt failed before any answer: undefined to try another replica, else what to answer.
   * Only a refused connection proves the replica never saw the request; a reset may come after it did the
   * work (it crashed mid-request), so retrying that would hide a real failure.
   */
  afterFailure(trip: Trip, error: NodeJS.ErrnoException): OwnAnswer | undefined {
    const cause = failureOf(error);
    trip.metrics.upstreamFailures[cause]++;
    const attempts = (trip.tried?.size ?? 0) + 1;
    if (trip.retryable && cause === 'refused' && attempts < MAX_ATTEMPTS) {
      trip.metrics.retries++;
      (trip.tried ??= new Set<string>()).add(trip.upstream.id);
      return undefined;
    }
    return {
      status: cause === 'timeout' ? 504 : 502,
      reason: `upstream ${trip.upstream.id}: ${error.code ?? error.message}`,
    };
  }

  /** Counts an answer under the version that gave it. */
  record(trip: Trip, status: number): void {
    trip.metrics.recordResponse(status, elapsed(trip.started));
  }

  /** Counts an answer of the router's own (no replica's), under the version tried or `unrouted`. */
  recordOwn(status: number, started: number, version: string): void {
    this.metrics.forVersion(this.service, version).recordResponse(status, elapsed(started));
  }

  /** Resolves when the upstream's last request in flight is done. */
  onDrained(id: string, done: () => void): void {
    this.drainWaiters.set(id, done);
  }

  cancelDrain(id: string): void {
    this.drainWaiters.delete(id);
  }
}

/** The body of an answer of the router's own. */
export function ownAnswerBody(service: string, answer: OwnAnswer): string {
  return JSON.stringify({
    error: answer.status === 503 ? 'service unavailable' : 'bad gateway',
    reason: answer.reason,
    service,
  });
}

/** An answer of the router's own as raw HTTP/1.1, for the paths that write to the client's socket themselves. */
export function ownAnswerHttp(service: string, answer: OwnAnswer, extraHeaders = ''): string {
  const body = ownAnswerBody(service, answer);
  const reason = answer.reason.slice(0, 200).replace(/[^\x20-\x7e]/g, '?');
  return (
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n` +
    `content-type: application/json\r\nx-slipway-error: ${reason}\r\n${extraHeaders}` +
    `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const elapsed = (started: number) => (performance.now() - started) / 1000;
