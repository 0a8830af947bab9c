/**
 * @module The fast path's connections to a replica: plain keep-alive sockets that carry one request at a
 * time, read the answer's head and pass its body on as it comes, framing included.
 */
import { connect, type Socket } from 'node:net';
import { ChunkedBody } from './http1/chunked-body.js';
import { HEAD_END } from './http1/request-head.js';
import { MalformedResponse, parseResponseHead, type ResponseHead } from './http1/response-head.js';

/** An answer's head longer than this is not HTTP a replica should send. */
const MAX_RESPONSE_HEAD = 64 * 1024;

/** What an upstream connection reports to the request it carries. */
export interface UpstreamReceiver {
  onHead(head: ResponseHead): void;
  /** A piece of the body as it came (chunk framing included); false asks the connection to pause. */
  onBody(piece: Buffer): boolean;
  onEnd(): void;
  onFailure(error: NodeJS.ErrnoException): void;
}

export class UpstreamConnection {
  private receiver: UpstreamReceiver | undefined;
  private method = 'GET';
  private pending: Buffer | undefined;
  private head: ResponseHead | undefined;
  private remaining = 0;
  private chunks: ChunkedBody | undefined;
  private error: NodeJS.ErrnoException | undefined;
  private reusable = true;

  constructor(
    private readonly pool: RawUpstreamPool,
    readonly socket: Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => (this.error ??= error));
    socket.on('timeout', () => this.onTimeout());
    // The replica closed its side: out of the idle list now, not at 'close' (a request could take it between).
    socket.on('end', () => {
      if (!this.receiver) this.pool.forget(this);
    });
    socket.on('close', () => this.onClose());
  }

  /** Sends a request (its whole head, no body) and reports its answer to `receiver`. */
  send(request: string, method: string, receiver: UpstreamReceiver, timeoutMs: number): void {
    this.receiver = receiver;
    this.method = method;
    this.socket.setTimeout(timeoutMs);
    this.socket.write(request, 'latin1');
  }

  /** Stops the request: the connection is closed, as a half-read answer cannot be skipped cheaply. */
  abort(): void {
    this.receiver = undefined;
    this.socket.destroy();
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  private onData(chunk: Buffer): void {
    if (!this.receiver) {
      this.socket.destroy(); // an answer nobody asked for: the connection cannot be trusted
      return;
    }
    try {
      if (!this.head) {
        const rest = this.readHead(chunk);
        if (rest === undefined) return;
        chunk = rest;
      }
      this.readBody(chunk);
    } catch (thrown) {
      if (!(thrown instanceof MalformedResponse)) throw thrown;
      this.fail(thrown); // no code: the 502's reason is what was wrong with the answer
    }
  }

  /** Collects the head; returns the bytes after it once it is complete and passed on. */
  private readHead(chunk: Buffer): Buffer | undefined {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (buffer.length > MAX_RESPONSE_HEAD) throw new MalformedResponse('an answer head over 64 KB');
      this.pending = buffer;
      return undefined;
    }
    this.pending = undefined;
    const head = parseResponseHead(buffer.toString('latin1', 0, end), this.method);
    const rest = buffer.subarray(end + 4);
    if (head.status < 200) return rest.length > 0 ? this.readHead(rest) : undefined; // interim: the final answer follows
    this.head = head;
    this.reusable = head.reusable;
    if (head.framing.kind === 'length') this.remaining = head.framing.bytes;
    if (head.framing.kind === 'chunked') this.chunks = new ChunkedBody();
    this.receiver!.onHead(head);
    return rest;
  }

  private readBody(chunk: Buffer): void {
    const framing = this.head!.framing.kind;
    if (framing === 'close') {
      if (chunk.length > 0 && !this.receiver!.onBody(chunk)) this.socket.pause();
      return;
    }
    let end = chunk.length;
    if (framing === 'length') {
      end = Math.min(this.remaining, chunk.length);
      this.remaining -= end;
    } else if (framing === 'chunked') {
      const at = this.chunks!.feed(chunk);
      if (at >= 0) end = at;
    } else end = 0;
    const done = framing === 'none' || (framing === 'length' ? this.remaining === 0 : this.chunks!.done);
    if (end < chunk.length) this.reusable = false; // bytes past the answer: the stream is out of step
    if (end > 0 && !this.receiver!.onBody(end === chunk.length ? chunk : chunk.subarray(0, end)) && !done)
      this.socket.pause();
    if (done) this.complete();
  }

  private complete(): void {
    const receiver = this.receiver!;
    this.receiver = undefined;
    this.head = undefined;
    this.chunks = undefined;
    this.pool.release(this, this.reusable);
    receiver.onEnd();
  }

  private fail(error: NodeJS.ErrnoException): void {
    const receiver = this.receiver;
    this.receiver = undefined;
    this.socket.destroy();
    receiver?.onFailure(error);
  }

  private onTimeout(): void {
    if (this.receiver) {
      this.fail(Object.assign(new Error('the upstream did not answer in time'), { code: 'ETIMEDOUT' }));
      return;
    }
    // Idle long enough: close before the replica does. Out of the idle list at once: 'close' comes a loop
    // turn later, and a request read in between must not be written to a socket already destroyed.
    this.pool.forget(this);
    this.socket.destroy();
  }

  private onClose(): void {
    this.pool.forget(this);
    if (!this.receiver) return;
    if (this.head?.framing.kind === 'close' && !this.error) {
      this.reusable = false;
      this.complete();
      return;
    }
    this.fail(
      this.error ??
        Object.assign(new Error('the upstream closed the connection mid-answer'), { code: 'ECONNRESET' }),
    );
  }
}

/** One replica's fast-path connections: idle ones are reused, most recent first. */
export class RawUpstreamPool {
  private readonly idle: UpstreamConnection[] = [];
  private readonly open = new Set<UpstreamConnection>();
  private retired = false;

  constructor(
    private readonly port: number,
    private readonly idleMs: number,
  ) {}

  /** A connection for one request: an idle one, or a new one (a write before it connects is queued). */
  take(): UpstreamConnection {
    for (let idle = this.idle.pop(); idle; idle = this.idle.pop()) {
      if (idle.socket.writable) return idle; // else the replica is closing it
    }
    const socket = connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    const connection = new UpstreamConnection(this, socket);
    this.open.add(connection);
    return connection;
  }

  release(connection: UpstreamConnection, reusable: boolean): void {
    if (!reusable || this.retired) {
      connection.socket.destroy();
      return;
    }
    connection.socket.setTimeout(this.idleMs);
    this.idle.push(connection);
  }

  forget(connection: UpstreamConnection): void {
    this.open.delete(connection);
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
  }

  /** No new requests: idle connections close now, busy ones after their answer (or now, `now`). */
  retire(now: boolean): void {
    this.retired = true;
    for (const connection of now ? [...this.open] : [...this.idle]) connection.socket.destroy();
  }
}
