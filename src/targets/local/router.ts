/**
 * @module The weighted router: one loopback port per service, keep-alive upstream connections, draining,
 * retry of refused connections for idempotent requests, and per-version metrics of every answer.
 */
import {
  Agent,
  createServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type HeaderMatch, isSeparateGroup, type Weights } from '../target.js';
import { type BalanceMode, Balancer, type Upstream } from './balancer.js';
import type { MetricsRegistry } from './metrics/metrics-registry.js';
import type { UpstreamFailure } from './metrics/version-metrics.js';

/** Safe to send twice (RFC 9110 §9.2.2); only these are retried. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);
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

const FREE_SOCKET_TIMEOUT_MS = 4_000;

export class Router {
  readonly balancer: Balancer;
  // An idle upstream connection is closed here before the replica's own keep-alive timeout (Node's
  // default is 5 s) can close it: otherwise a request sent as the replica closes it is reset, and a reset
  // is never retried (it may come from a replica that crashed mid-request). `timeout` applies to free
  // sockets only; a request in flight has its own.
  private readonly agent = new Agent({
    keepAlive: true,
    maxFreeSockets: 1024,
    scheduling: 'lifo',
    timeout: FREE_SOCKET_TIMEOUT_MS,
  });
  private readonly server: Server;
  private readonly drainWaiters = new Map<string, () => void>();
  private port = 0;

  constructor(private readonly options: RouterOptions) {
    this.balancer = new Balancer(options.balance);
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
  }

  /** Stops sending new requests to the upstream, then waits (at most `timeoutMs`) for those in flight. */
  async drain(id: string, timeoutMs: number): Promise<void> {
    const upstream = this.balancer.remove(id);
    if (!upstream || upstream.inFlight === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters.delete(id);
        resolve();
      }, timeoutMs);
      this.drainWaiters.set(id, () => {
        clearTimeout(timer);
        resolve();
      });
      // The upstream object is still referenced by requests in flight; the last one's done() resolves this.
      upstream.draining = true;
    });
  }

  /** Takes an upstream out at once (it crashed); requests in flight to it fail on their own. */
  removeUpstream(id: string): void {
    this.balancer.remove(id);
  }

  async close(): Promise<void> {
    this.agent.destroy();
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
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      upstream.inFlight--;
      metrics.inFlight--;
      if (upstream.inFlight === 0 && upstream.draining) {
        this.drainWaiters.get(upstream.id)?.();
        this.drainWaiters.delete(upstream.id);
      }
    };

    const upstreamReq = request({
      host: '127.0.0.1',
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req, body),
      agent: this.agent,
      timeout: this.options.upstreamTimeoutMs ?? 30_000,
    });
    let upstreamBroke = false;
    upstreamReq.on('response', (upstreamRes) => {
      const status = upstreamRes.statusCode ?? 502;
      res.writeHead(status, responseHeaders(upstreamRes.rawHeaders));
      upstreamRes.on('aborted', () => (upstreamBroke = true));
      upstreamRes.on('error', () => {
        upstreamBroke = true;
        res.destroy();
      });
      upstreamRes.pipe(res);
      res.once('close', () => {
        done();
        if (res.writableFinished) {
          metrics.recordResponse(status, elapsed(started));
          return;
        }
        upstreamRes.destroy();
        // Cut off half way: the replica's fault is an error; the client hanging up is not (nginx's 499).
        metrics.recordResponse(upstreamBroke ? Math.max(status, 502) : CLIENT_CLOSED, elapsed(started));
      });
    });
    upstreamReq.on('timeout', () =>
      upstreamReq.destroy(Object.assign(new Error('upstream timeout'), { code: 'ETIMEDOUT' })),
    );
    upstreamReq.on('error', (error: NodeJS.ErrnoException) => {
      if (finished) return;
      done();
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (res.destroyed) {
        // The client left first; this error is our own abort of the upstream request.
        metrics.recordResponse(CLIENT_CLOSED, elapsed(started));
        return;
      }
      const cause = failureOf(error);
      metrics.upstreamFailures[cause]++;
      // Only a refused connection proves the replica never saw the request. A reset may come after the
      // replica did the work (it crashed mid-request), so retrying it would hide a real failure.
      const attempts = (tried?.size ?? 0) + 1;
      if (retryable && cause === 'refused' && attempts < MAX_ATTEMPTS) {
        metrics.retries++;
        const next = tried ?? new Set<string>();
        next.add(upstream.id);
        this.attempt(req, res, started, body, retryable, next);
        return;
      }
      this.answer(
        res,
        cause === 'timeout' ? 504 : 502,
        started,
        upstream.version,
        `upstream ${upstream.id}: ${error.code ?? error.message}`,
      );
    });
    res.once('close', () => {
      // The client went away before the answer was complete: stop the upstream request too. (Not
      // req's 'close': that fires as soon as the request body has been read.)
      if (!res.writableFinished && !upstreamReq.destroyed) upstreamReq.destroy();
    });
    if (body) upstreamReq.end(body);
    else if (hasBody(req)) req.pipe(upstreamReq);
    else upstreamReq.end();
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

/**
 * Request headers for the upstream, as a raw list (no object built per request): hop-by-hop ones dropped
 * (the agent manages the connection), X-Forwarded-For set by us, and the length of a buffered body.
 */
function forwardHeaders(req: IncomingMessage, body: Buffer | undefined): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name === 'x-forwarded-for' || (body && name === 'content-length')) continue;
    out.push(raw[i]!, raw[i + 1]!);
  }
  out.push('x-forwarded-for', req.socket.remoteAddress ?? '127.0.0.1');
  if (body) out.push('content-length', String(body.length));
  return out;
}

/** The upstream's response headers as a raw list (repeated ones such as Set-Cookie kept), hop-by-hop dropped. */
function responseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2)
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function failureOf(error: NodeJS.ErrnoException): UpstreamFailure {
  switch (error.code ?? '') {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

const elapsed = (started: number) => (performance.now() - started) / 1000;
