/**
 * @module A bounded loopback load generator: open loop at a fixed rate (requests are sent on schedule
 * whether or not earlier ones came back, so a slow server cannot slow the test down) or closed loop with
 * a fixed concurrency; it stops by itself at its duration or request count.
 */
import { Agent, request } from 'node:http';
import { LatencyHistogram } from '../metrics/latency-histogram.js';
import { assertLoopback } from './loopback.js';

export interface LoadOptions {
  url: string;
  /** Requests per second (open loop). Without it, `concurrency` requests are kept in flight (closed loop). */
  rps?: number;
  /** With `rps`: at most this many requests in flight (more wait for a connection), as a load tool's virtual users. */
  concurrency?: number;
  durationMs: number;
  /** Stop after this many requests even if time remains. */
  maxRequests?: number;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface LoadReport {
  requests: number;
  ok: number;
  /** Status ≥ 500 or no response at all. */
  failed: number;
  networkErrors: number;
  byStatus: Record<string, number>;
  /** Which version answered (from the demo's x-served-by header), when known. */
  byVersion: Record<string, number>;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number; mean: number };
}

export class LoadGenerator {
  private readonly target: URL;
  private readonly agent: Agent;
  private readonly latency = new LatencyHistogram();
  private readonly byStatus = new Map<string, number>();
  private readonly byVersion = new Map<string, number>();
  private requests = 0;
  private ok = 0;
  private failed = 0;
  private networkErrors = 0;
  private maxLatency = 0;
  private inFlight = 0;
  private started = 0;
  private stopped = false;
  private finished: Promise<void> | undefined;
  private stopNow: (() => void) | undefined;

  constructor(private readonly options: LoadOptions) {
    this.target = assertLoopback(options.url);
    const sockets = options.concurrency ?? Math.max(16, Math.ceil((options.rps ?? 100) / 20));
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets });
  }

  start(): this {
    this.started = performance.now();
    this.finished = new Promise<void>((resolve) => {
      const end = () => {
        this.stopped = true;
        resolve();
      };
      this.stopNow = end;
      setTimeout(end, this.options.durationMs).unref();
      if (this.options.rps !== undefined) this.openLoop(this.options.rps);
      else for (let i = 0; i < (this.options.concurrency ?? 8); i++) this.closedLoop();
    });
    return this;
  }

  /** Stops sending, waits for answers in flight (bounded), and reports. */
  async stop(): Promise<LoadReport> {
    this.stopNow?.();
    await this.finished;
    const deadline = Date.now() + (this.options.timeoutMs ?? 10_000) + 1000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    this.agent.destroy();
    return this.report();
  }

  /** Runs to the end of the duration and reports. */
  async run(): Promise<LoadReport> {
    this.start();
    await this.finished;
    return this.stop();
  }

  report(): LoadReport {
    const seconds = (performance.now() - this.started) / 1000;
    const q = (p: number) => round(this.latency.quantile(p) * 1000);
    return {
      requests: this.requests,
      ok: this.ok,
      failed: this.failed,
      networkErrors: this.networkErrors,
      byStatus: Object.fromEntries(this.byStatus),
      byVersion: Object.fromEntries(this.byVersion),
      seconds: round(seconds),
      rps: round(this.requests / Math.max(seconds, 1e-9)),
      latencyMs: {
        p50: q(0.5),
        p90: q(0.9),
        p95: q(0.95),
        p99: q(0.99),
        max: round(this.maxLatency * 1000),
        mean: round((this.latency.sum / Math.max(1, this.latency.count)) * 1000),
      },
    };
  }

  private limitReached(): boolean {
    return (
      this.stopped || (this.options.maxRequests !== undefined && this.requests >= this.options.maxRequests)
    );
  }

  private openLoop(rps: number): void {
    let sent = 0;
    const tick = () => {
      if (this.limitReached()) return;
      const due = Math.floor(((performance.now() - this.started) / 1000) * rps);
      // Bounded catch-up: after a stall, do not fire thousands of requests at once.
      const burst = Math.min(due - sent, Math.max(50, rps / 10));
      for (let i = 0; i < burst && !this.limitReached(); i++) {
        sent++;
        this.send(() => undefined);
      }
      if (due - sent > rps) sent = due - rps;
      setTimeout(tick, 2);
    };
    tick();
  }

  private closedLoop(): void {
    if (this.limitReached()) return;
    this.send(() => this.closedLoop());
  }

  private send(next: () => void): void {
    this.requests++;
    this.inFlight++;
    const begun = performance.now();
    const finish = (status: string) => {
      this.inFlight--;
      const seconds = (performance.now() - begun) / 1000;
      this.latency.record(seconds);
      if (seconds > this.maxLatency) this.maxLatency = seconds;
      this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
      if (status === 'error' || Number(status) >= 500) this.failed++;
      else this.ok++;
      next();
    };
    const req = request(
      {
        host: this.target.hostname.replace(/^\[|\]$/g, ''),
        port: this.target.port || 80,
        path: `${this.target.pathname}${this.target.search}`,
        agent: this.agent,
        headers: this.options.headers,
        timeout: this.options.timeoutMs ?? 10_000,
      },
      (res) => {
        const servedBy = res.headers['x-served-by'];
        if (typeof servedBy === 'string') {
          const version = servedBy.split('@')[1]?.split('/')[0] ?? servedBy;
          this.byVersion.set(version, (this.byVersion.get(version) ?? 0) + 1);
        }
        res.resume();
        res.on('end', () => finish(String(res.statusCode ?? 0)));
        res.on('error', () => {
          this.networkErrors++;
          finish('error');
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      this.networkErrors++;
      finish('error');
    });
    req.end();
  }
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : 0);
