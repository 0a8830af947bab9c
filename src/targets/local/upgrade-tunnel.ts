/**
 * @module WebSocket (any HTTP/1.1 Upgrade) through the router: the upgrade request is routed, counted and
 * retried like any other request; from the replica's answer on, client and replica are joined byte for
 * byte until either side closes. The tunnel is a request in flight only until that answer, not for its
 * whole life, so a replica's drain does not wait on long-lived sockets: they end when the replica stops,
 * and WebSocket clients reconnect (through the router, to a replica still serving).
 */
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { STATUS_LINE } from './http1/response-head.js';
import { CLIENT_CLOSED, type OwnAnswer, ownAnswerHttp, TripState, type Trips, UNROUTED } from './trip.js';

/** The replica's status line must come within this many bytes. */
const MAX_STATUS_LINE = 8192;

export interface TunnelOptions {
  service: string;
  trips: Trips;
  /** A replica that has not answered the upgrade by then gets a 504 (the router's upstream timeout). */
  upstreamTimeoutMs: number;
}

/**
 * What the router replaces or keeps to itself. The rest passes as it came — framing headers too (unlike on
 * the other paths, which frame the body anew), since the bytes after the head pass through unchanged.
 */
const REPLACED = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'x-forwarded-for',
]);

/** The upgrade request as the replica gets it: the connection's own headers replaced by the router's. */
export function upgradeRequestHead(req: IncomingMessage): string {
  let head = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    if (REPLACED.has(raw[i]!.toLowerCase())) continue;
    head += `${raw[i]}: ${raw[i + 1]}\r\n`;
  }
  return `${head}connection: upgrade\r\nx-forwarded-for: ${req.socket.remoteAddress ?? '127.0.0.1'}\r\n\r\n`;
}

/** Takes over a client connection whose request asked for an upgrade (Node's server hands it over). */
export function openTunnel(options: TunnelOptions, req: IncomingMessage, client: Duplex, head: Buffer): void {
  new Tunnel(options, req, client, head).attempt();
}

class Tunnel extends TripState {
  private socket: Socket | undefined;
  private joined = false;

  constructor(
    private readonly options: TunnelOptions,
    private readonly req: IncomingMessage,
    private readonly client: Duplex,
    private readonly head: Buffer,
  ) {
    super(req.method ?? 'GET');
    client.on('error', () => undefined); // 'close' follows
    client.once('close', () => this.clientGone());
  }

  attempt(): void {
    const refused = this.options.trips.start(this, this.req.headers);
    if (refused) return this.answer(refused, UNROUTED);
    const socket = connect({ port: this.upstream.port, host: '127.0.0.1', noDelay: true });
    this.socket = socket;
    socket.setTimeout(this.options.upstreamTimeoutMs);
    socket.once('connect', () => {
      socket.write(upgradeRequestHead(this.req), 'latin1');
      if (this.head.length > 0) socket.write(this.head);
    });
    let first = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      first = Buffer.concat([first, chunk]);
      const end = first.indexOf('\r\n');
      if (end < 0 && first.length < MAX_STATUS_LINE) return;
      socket.off('data', onData);
      const status = STATUS_LINE.exec(first.subarray(0, Math.max(end, 0)).toString('latin1'));
      if (!status) return this.failed(socket, new Error('the answer to the upgrade is not HTTP/1.x'));
      this.join(socket, Number(status[2]), first);
    };
    socket.on('data', onData);
    socket.once('timeout', () =>
      this.failed(socket, Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.once('error', (error) => this.failed(socket, error));
    socket.once('close', () =>
      this.failed(socket, Object.assign(new Error('closed'), { code: 'ECONNRESET' })),
    );
  }

  /** The replica answered: counted under its status, then both sockets carry each other's bytes. */
  private join(socket: Socket, status: number, first: Buffer): void {
    if (!this.options.trips.finish(this)) return;
    this.joined = true;
    this.options.trips.record(this, status);
    socket.setTimeout(0); // a WebSocket may idle for as long as its two ends like
    socket.removeAllListeners('timeout');
    socket.removeAllListeners('close');
    this.client.write(first);
    socket.pipe(this.client);
    this.client.pipe(socket);
    socket.once('close', () => this.client.destroy());
  }

  /** Before the replica's answer: another replica, or the router's own answer. After it: the end. */
  private failed(socket: Socket, error: NodeJS.ErrnoException): void {
    socket.destroy();
    if (this.joined || socket !== this.socket || !this.options.trips.finish(this)) return;
    this.socket = undefined;
    const answer = this.options.trips.afterFailure(this, error);
    if (answer) this.answer(answer, this.upstream.version);
    else this.attempt();
  }

  private clientGone(): void {
    this.socket?.destroy();
    if (!this.joined && this.options.trips.finish(this)) this.options.trips.record(this, CLIENT_CLOSED);
  }

  private answer(answer: OwnAnswer, version: string): void {
    this.client.end(ownAnswerHttp(this.options.service, answer, 'connection: close\r\n'));
    this.options.trips.recordOwn(answer.status, this.started, version);
  }
}
