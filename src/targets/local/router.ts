/**
 * @module The weighted router: one loopback port per service, keep-alive upstream connections, draining,
 * retry of refused connections for idempotent requests, and per-version metrics of every answer. Plain
 * requests without a body take the fast path; the rest Node's HTTP server (the general path).
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { HeaderMatch, Weights } from '../target.js';
import { type BalanceMode, Balancer, type Upstream } from './balancer.js';
import { ClientConnection, type FastPathOptions } from './fast-path.js';
import { GeneralPath } from './general-path.js';
import type { MetricsRegistry } from './metrics/metrics-registry.js';
import { Trips } from './trip.js';
import { UpstreamPools } from './upstream-pools.js';

export interface RouterOptions {
  service: string;
  metrics: MetricsRegistry;
  balance?: BalanceMode;
  /** An upstream that has not answered by then gets a 504 (default 30 s). */
  upstreamTimeoutMs?: number;
}

export class Router {
  readonly balancer: Balancer;
  private readonly pools: UpstreamPools;
  private readonly trips: Trips;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private port = 0;

  constructor(options: RouterOptions) {
    this.balancer = new Balancer(options.balance);
    const upstreamTimeoutMs = options.upstreamTimeoutMs ?? 30_000;
    this.pools = new UpstreamPools(upstreamTimeoutMs);
    this.trips = new Trips(this.balancer, options.service, options.metrics);
    const general = new GeneralPath(options.service, this.trips, this.pools, upstreamTimeoutMs);
    const fast: FastPathOptions = {
      service: options.service,
      trips: this.trips,
      pools: this.pools,
      upstreamTimeoutMs,
      handOver: (socket) => general.take(socket),
    };
    this.server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      new ClientConnection(socket, fast);
    });
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** The port it listens on (0 before listen). */
  get listeningPort(): number {
    return this.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setWeights(weights: Weights, matches: HeaderMatch[] = []): void {
    this.balancer.setWeights(weights, matches);
  }

  addUpstream(upstream: Omit<Upstream, 'inFlight'>): void {
    this.balancer.add({ ...upstream, inFlight: 0 });
    this.pools.of(upstream);
  }

  /** Stops sending new requests to the upstream, then waits (at most `timeoutMs`) for those in flight. */
  async drain(id: string, timeoutMs: number): Promise<void> {
    const upstream = this.balancer.remove(id);
    if (!upstream || upstream.inFlight === 0) {
      this.pools.retire(id);
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.trips.cancelDrain(id);
        this.pools.retire(id, true);
        resolve();
      }, timeoutMs);
      this.trips.onDrained(id, () => {
        clearTimeout(timer);
        this.pools.retire(id);
        resolve();
      });
      // The upstream object is still referenced by requests in flight; the last one's done() resolves this.
      upstream.draining = true;
    });
  }

  /** Takes an upstream out at once (it crashed); requests in flight to it fail on their own. */
  removeUpstream(id: string): void {
    this.balancer.remove(id);
    this.pools.retire(id, true);
  }

  async close(): Promise<void> {
    this.pools.retireAll();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
