/**
 * @module The weighted router: one loopback port per service, keep-alive upstream connections, draining,
 * retry of refused connections for idempotent requests, and per-version metrics of every answer.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { type HeaderMatch, isSeparateGroup, type Weights } from '../target.js';
import { type BalanceMode, Balancer, type Upstream } from './balancer.js';
import type { MetricsRegistry } from './metrics/metrics-registry.js';
import type { VersionMetrics } from './metrics/version-metrics.js';
import { failureOf, forwardHeaders, hasBody, responseHeaders } from './proxy-headers.js';
import { UpstreamPools } from './upstream-pools.js';

/** Safe to send twice (RFC 9110 §9.2.2); only these are retried. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
/** A body larger than this is streamed, and so not retried. */
const MAX_BUFFERED_BODY = 1024 * 1024;
const MAX_ATTEMPTS = 3;
const UNROUTED = 'unrouted';
/** nginx's status for a client that closed the connection before the answer: not a server error. */
const CLIENT_CLOSED = 499;

export interface RouterOptions {
  service: string;
  metrics: MetricsRegistry;
  balance?: BalanceMode;
  /** An upstream that has not answered by then gets a 504 (default 30 s). */
  upstreamTimeoutMs?: number;
}

/** One request's trip through the router: what a retry needs, and what its answer is counted under. */
interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  started: number;
  /** The buffered body of a retryable request (a retry sends it again). */
  body: Buffer | undefined;
  retryable: boolean;
  /** Upstreams that refused it so far. */
  tried: Set<string> | undefined;
  upstream: Upstream;
  metrics: VersionMetrics;
  finished: boolean;
  status?: number;
  upstreamBroke?: boolean;
  controller?: Dispatcher.DispatchController;
}

export class Router {
  readonly balancer: Balancer;
  private readonly pools: UpstreamPools;
  private readonly server: Server;
  private readonly drainWaiters = new Map<string, () => void>();
  private port = 0;

  constructor(private readonly options: RouterOptions) {
    this.balancer = new Balancer(options.balance);
    this.pools = new UpstreamPools(options.upstreamTimeoutMs ?? 30_000);
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
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
        this.drainWaiters.delete(id);
        this.pools.retire(id, true);
        resolve();
      }, timeoutMs);
      this.drainWaiters.set(id, () => {
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const retryable = IDEMPOTENT.has(method);
    if (!retryable || !hasBody(req)) {
      this.attempt(req, res, started, undefined, retryable, undefined);
      return;
    }
    // Buffer a small idempotent body so that a refused attempt can be repeated on another replica.
    const chunks: Buffer[] = [];
    let size = 0;
    let streamed = false;
    req.on('data', (chunk: Buffer) => {
      if (streamed) return;
      size += chunk.length;
      chunks.push(chunk);
      if (size > MAX_BUFFERED_BODY) {
        streamed = true;
        req.pause();
        req.unshift(Buffer.concat(chunks));
        this.attempt(req, res, started, undefined, false, undefined);
      }
    });
    req.on('end', () => {
      if (!streamed) this.attempt(req, res, started, Buffer.concat(chunks), true, undefined);
    });
  }

  private attempt(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    body: Buffer | undefined,
    retryable: boolean,
    tried: Set<string> | undefined,
  ): void {
    const upstream = this.balancer.pick(req.headers, tried);
    if (!upstream) {
      const status = tried ? 502 : 503;
      this.answer(
        res,
        status,
        started,
        UNROUTED,
        status === 503 ? 'no ready replica' : 'every replica refused the connection',
      );
      return;
    }
    upstream.inFlight++;
    // Looked up once per upstream, not per request (the hot path allocates as little as it can).
    const metrics = (upstream.metrics ??= this.options.metrics.forVersion(
      this.options.service,
      upstream.version,
      isSeparateGroup(upstream.group) ? upstream.group : undefined,
    ));
    metrics.inFlight++;
    const x: Exchange = { req, res, started, body, retryable, tried, upstream, metrics, finished: false };
    this.pools.of(upstream).dispatch(
      {
        path: req.url ?? '/',
        method: req.method ?? 'GET',
        headers: forwardHeaders(req, body),
        body: body ?? (hasBody(req) ? req : null),
        idempotent: retryable,
      },
      this.answerFromUpstream(x),
    );
    res.once('close', () => {
      // The client went away before the answer was complete: stop the upstream request too. (Not
      // req's 'close': that fires as soon as the request body has been read.)
      if (!res.writableFinished) x.controller?.abort(new Error('client closed'));
    });
  }

  /** Streams the upstream's answer to the client: the status and headers, the body with backpressure. */
  private answerFromUpstream(x: Exchange): Dispatcher.DispatchHandler {
    const { res } = x;
    return {
      onRequestStart: (controller) => {
        x.controller = controller;
        if (res.destroyed) controller.abort(new Error('client closed'));
      },
      onResponseStart: (_c, statusCode, headers) => {
        if (statusCode < 200) return; // 1xx: the final answer follows
        x.status = statusCode;
        res.writeHead(statusCode, responseHeaders(headers));
      },
      onResponseData: (controller, chunk) => {
        if (!res.write(chunk)) {
          controller.pause();
          res.once('drain', () => controller.resume());
        }
      },
      onResponseEnd: () => {
        if (!this.finish(x)) return;
        res.end();
        x.metrics.recordResponse(x.status ?? 502, elapsed(x.started));
      },
      onResponseError: (_c, error) => {
        // Cut off half way: the replica's fault is an error; the client hanging up is not (nginx's 499).
        if (res.headersSent && !res.destroyed) x.upstreamBroke = true;
        this.upstreamFailed(x, error as NodeJS.ErrnoException);
      },
    };
  }

  /** Ends the exchange's accounting once; false when it had already ended. */
  private finish(x: Exchange): boolean {
    if (x.finished) return false;
    x.finished = true;
    const { upstream } = x;
    upstream.inFlight--;
    x.metrics.inFlight--;
    if (upstream.inFlight === 0 && upstream.draining) {
      this.drainWaiters.get(upstream.id)?.();
      this.drainWaiters.delete(upstream.id);
    }
    return true;
  }

  private upstreamFailed(x: Exchange, error: NodeJS.ErrnoException): void {
    if (!this.finish(x)) return;
    const { res, metrics, upstream } = x;
    if (res.headersSent) {
      if (!res.destroyed) res.destroy();
      metrics.recordResponse(
        x.upstreamBroke ? Math.max(x.status ?? 502, 502) : CLIENT_CLOSED,
        elapsed(x.started),
      );
      return;
    }
    if (res.destroyed) {
      // The client left first; this error is our own abort of the upstream request.
      metrics.recordResponse(CLIENT_CLOSED, elapsed(x.started));
      return;
    }
    const cause = failureOf(error);
    metrics.upstreamFailures[cause]++;
    // Only a refused connection proves the replica never saw the request. A reset may come after the
    // replica did the work (it crashed mid-request), so retrying it would hide a real failure.
    const attempts = (x.tried?.size ?? 0) + 1;
    if (x.retryable && cause === 'refused' && attempts < MAX_ATTEMPTS) {
      metrics.retries++;
      const next = x.tried ?? new Set<string>();
      next.add(upstream.id);
      this.attempt(x.req, res, x.started, x.body, x.retryable, next);
      return;
    }
    this.answer(
      res,
      cause === 'timeout' ? 504 : 502,
      x.started,
      upstream.version,
      `upstream ${upstream.id}: ${error.code ?? error.message}`,
    );
  }

  private answer(
    res: ServerResponse,
    status: number,
    started: number,
    version: string,
    reason: string,
  ): void {
    const metrics = this.options.metrics.forVersion(this.options.service, version);
    if (!res.headersSent) {
      res.writeHead(status, { 'content-type': 'application/json', 'x-slipway-error': reason.slice(0, 200) });
      res.end(
        JSON.stringify({
          error: status === 503 ? 'service unavailable' : 'bad gateway',
          reason,
          service: this.options.service,
        }),
      );
    }
    metrics.recordResponse(status, elapsed(started));
  }
}

const elapsed = (started: number) => (performance.now() - started) / 1000;
