/**
 * @module The router's fast path: plain HTTP/1.1 requests without a body (most of a service's traffic)
 * read straight off the client's socket and sent over a replica's keep-alive socket, the answer passed
 * back byte for byte. It skips Node's HTTP machinery, which costs more than the rest of the router; the
 * first request it does not recognise hands the connection to the general path for good.
 */
import type { Socket } from 'node:net';
import { HEAD_END, MAX_HEAD_BYTES, parseRequestHead, type RequestHead } from './http1/request-head.js';
import type { ResponseHead } from './http1/response-head.js';
import type { UpstreamConnection, UpstreamReceiver } from './raw-upstream.js';
import { CLIENT_CLOSED, type OwnAnswer, ownAnswerHttp, TripState, type Trips, UNROUTED } from './trip.js';
import type { UpstreamPools } from './upstream-pools.js';

/** An idle or half-sent client connection is closed after this (Node's server: keepAliveTimeout 65 s). */
const CLIENT_IDLE_MS = 65_000;

export interface FastPathOptions {
  service: string;
  trips: Trips;
  pools: UpstreamPools;
  upstreamTimeoutMs: number;
  /** Where a connection goes once the fast path cannot serve it. */
  handOver: (socket: Socket) => void;
}

/** One client connection on the fast path: reads one request at a time (pipelined ones wait their turn). */
export class ClientConnection {
  private buffered: Buffer | undefined;
  private exchange: FastExchange | undefined;
  private readonly onData = (chunk: Buffer) => this.read(chunk);
  private readonly onClose = () => this.exchange?.clientGone();
  private readonly onTimeout = () => {
    if (!this.exchange) this.socket.destroy();
  };

  constructor(
    readonly socket: Socket,
    private readonly options: FastPathOptions,
  ) {
    socket.setNoDelay(true);
    socket.setTimeout(CLIENT_IDLE_MS);
    socket.on('data', this.onData);
    socket.on('close', this.onClose);
    socket.on('timeout', this.onTimeout);
    socket.on('error', () => undefined); // 'close' follows; nothing to answer to a broken socket
  }

  /** The answer to the current request is written: read the next one. */
  done(close: boolean): void {
    this.exchange = undefined;
    if (close) {
      this.socket.end();
      return;
    }
    if (this.socket.isPaused()) this.socket.resume();
    if (this.buffered) this.next();
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered ? Buffer.concat([this.buffered, chunk]) : chunk;
    if (!this.exchange) this.next();
    else if (this.buffered.length > MAX_HEAD_BYTES) this.socket.pause(); // pipelined too far ahead
  }

  private next(): void {
    const buffer = this.buffered!;
    const end = buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (buffer.length > MAX_HEAD_BYTES) this.handOver();
      return;
    }
    const head = parseRequestHead(buffer.toString('latin1', 0, end));
    if (!head) {
      this.handOver();
      return;
    }
    this.buffered = end + 4 < buffer.length ? buffer.subarray(end + 4) : undefined;
    this.exchange = new FastExchange(this, head, this.options);
    this.exchange.attempt();
  }

  /** Puts back what was read and lets the general path (Node's HTTP server) have the connection. */
  private handOver(): void {
    const { socket } = this;
    socket.pause();
    socket.off('data', this.onData);
    socket.off('close', this.onClose);
    socket.off('timeout', this.onTimeout);
    if (this.buffered) socket.unshift(this.buffered);
    this.buffered = undefined;
    this.options.handOver(socket);
  }
}

/** One request on the fast path, from the choice of replica to the last byte of its answer. */
class FastExchange extends TripState implements UpstreamReceiver {
  private connection: UpstreamConnection | undefined;
  private headSent = false;
  private closeAfter = false;
  private corked = false;

  constructor(
    private readonly client: ClientConnection,
    private readonly head: RequestHead,
    private readonly options: FastPathOptions,
  ) {
    super(head.method);
  }

  attempt(): void {
    const { trips, pools, upstreamTimeoutMs } = this.options;
    const refused = trips.start(this, this.head.headers);
    if (refused) {
      this.answer(refused, UNROUTED);
      return;
    }
    const { socket } = this.client;
    const request = `${this.head.line}\r\n${this.head.forwarded}x-forwarded-for: ${socket.remoteAddress ?? '127.0.0.1'}\r\n\r\n`;
    this.connection = pools.rawOf(this.upstream).take();
    this.connection.send(request, this.head.method, this, upstreamTimeoutMs);
  }

  onHead(head: ResponseHead): void {
    this.status = head.status;
    this.headSent = true;
    this.closeAfter = this.head.close || head.framing.kind === 'close';
    // The head and the first piece of body leave in one write.
    this.client.socket.cork();
    this.corked = true;
    this.client.socket.write(head.head, 'latin1');
  }

  onBody(piece: Buffer): boolean {
    const { socket } = this.client;
    const flowing = socket.write(piece);
    this.uncork();
    if (!flowing) socket.once('drain', () => this.connection?.resume());
    return flowing;
  }

  onEnd(): void {
    this.uncork();
    this.connection = undefined;
    if (!this.options.trips.finish(this)) return;
    this.options.trips.record(this, this.status ?? 502);
    this.client.done(this.closeAfter);
  }

  onFailure(error: NodeJS.ErrnoException): void {
    this.uncork();
    this.connection = undefined;
    const { trips } = this.options;
    if (!trips.finish(this)) return;
    if (this.headSent) {
      // Cut off half way: the client cannot be told in a status, only by the connection breaking.
      this.client.socket.destroy();
      trips.record(this, Math.max(this.status ?? 502, 502));
      return;
    }
    const answer = trips.afterFailure(this, error);
    if (answer) this.answer(answer, this.upstream.version);
    else this.attempt();
  }

  /** The client closed its connection before the answer was complete: the upstream request stops too. */
  clientGone(): void {
    this.connection?.abort();
    this.connection = undefined;
    if (this.options.trips.finish(this)) this.options.trips.record(this, CLIENT_CLOSED);
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.client.socket.uncork();
  }

  private answer(answer: OwnAnswer, version: string): void {
    this.client.socket.write(ownAnswerHttp(this.options.service, answer));
    this.options.trips.recordOwn(answer.status, this.started, version);
    this.client.done(this.head.close);
  }
}
