/**
 * @module The router's general path: Node's HTTP server and undici pools, for every request the fast
 * path leaves (a body, chunked framing, HTTP/1.0, an Expect, an Upgrade, an unusual head). A connection
 * handed over stays here; Node's parser judges and answers what is malformed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { forwardHeaders, hasBody, responseHeaders } from './proxy-headers.js';
import {
  CLIENT_CLOSED,
  IDEMPOTENT,
  type OwnAnswer,
  ownAnswerBody,
  type Trip,
  type Trips,
  UNROUTED,
} from './trip.js';
import { openTunnel } from './upgrade-tunnel.js';
import type { UpstreamPools } from './upstream-pools.js';

/** A body larger than this is streamed, and so not retried. */
const MAX_BUFFERED_BODY = 1024 * 1024;

interface Exchange extends Trip {
  req: IncomingMessage;
  res: ServerResponse;
  /** The buffered body of a retryable request (a retry sends it again). */
  body: Buffer | undefined;
  upstreamBroke?: boolean;
  controller?: Dispatcher.DispatchController;
}

export class GeneralPath {
  private readonly server: Server;

  constructor(
    private readonly service: string,
    private readonly trips: Trips,
    private readonly pools: UpstreamPools,
    upstreamTimeoutMs: number,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 65_000;
    const tunnels = { service, trips, upstreamTimeoutMs };
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      openTunnel(tunnels, req, socket, head),
    );
  }

  /** Takes over a client connection (bytes already read were put back on the socket). */
  take(socket: Socket): void {
    this.server.emit('connection', socket);
    socket.resume(); // the fast path paused it to hand it over; Node's server does not resume it
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const retryable = IDEMPOTENT.has(req.method ?? 'GET');
    if (!retryable || !hasBody(req)) {
      this.attempt(this.exchange(req, res, started, undefined, retryable));
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
        this.attempt(this.exchange(req, res, started, undefined, false));
      }
    });
    req.on('end', () => {
      if (!streamed) this.attempt(this.exchange(req, res, started, Buffer.concat(chunks), true));
    });
  }

  private exchange(
    req: IncomingMessage,
    res: ServerResponse,
    started: number,
    body: Buffer | undefined,
    retryable: boolean,
  ): Exchange {
    return { req, res, started, body, retryable, tried: undefined, finished: true } as Exchange;
  }

  private attempt(x: Exchange): void {
    const { req, res } = x;
    const refused = this.trips.start(x, req.headers);
    if (refused) {
      this.answer(res, refused, x.started, UNROUTED);
      return;
    }
    this.pools.of(x.upstream).dispatch(
      {
        path: req.url ?? '/',
        method: req.method ?? 'GET',
        headers: forwardHeaders(req, x.body),
        body: x.body ?? (hasBody(req) ? req : null),
        idempotent: x.retryable,
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
        if (!this.trips.finish(x)) return;
        res.end();
        this.trips.record(x, x.status ?? 502);
      },
      onResponseError: (_c, error) => {
        // Cut off half way: the replica's fault is an error; the client hanging up is not (nginx's 499).
        if (res.headersSent && !res.destroyed) x.upstreamBroke = true;
        this.upstreamFailed(x, error as NodeJS.ErrnoException);
      },
    };
  }

  private upstreamFailed(x: Exchange, error: NodeJS.ErrnoException): void {
    if (!this.trips.finish(x)) return;
    const { res } = x;
    if (res.headersSent) {
      if (!res.destroyed) res.destroy();
      this.trips.record(x, x.upstreamBroke ? Math.max(x.status ?? 502, 502) : CLIENT_CLOSED);
      return;
    }
    if (res.destroyed) {
      // The client left first; this error is our own abort of the upstream request.
      this.trips.record(x, CLIENT_CLOSED);
      return;
    }
    const answer = this.trips.afterFailure(x, error);
    if (answer) this.answer(res, answer, x.started, x.upstream.version);
    else this.attempt(x);
  }

  private answer(res: ServerResponse, answer: OwnAnswer, started: number, version: string): void {
    if (!res.headersSent) {
      res.writeHead(answer.status, {
        'content-type': 'application/json',
        'x-slipway-error': answer.reason.slice(0, 200),
      });
      res.end(ownAnswerBody(this.service, answer));
    }
    this.trips.recordOwn(answer.status, started, version);
  }
}
