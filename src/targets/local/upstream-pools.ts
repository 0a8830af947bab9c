/**
 * @module The router's keep-alive connections to each replica: plain sockets for the fast path, an undici
 * pool for the general path.
 */
import { Pool } from 'undici';
import { RawUpstreamPool } from './raw-upstream.js';

/**
 * An idle connection is closed here well before the replica's own keep-alive timeout (Node's default is
 * 5 s) can close it: otherwise a request sent as the replica closes it is reset, and a reset is never
 * retried (it may come from a replica that crashed mid-request). The margin is wide because a busy
 * machine delays timers: at 4 s, the demo under CPU load lost requests to replicas closing first.
 */
const IDLE_CONNECTION_MS = 2_000;

interface UpstreamAddress {
  id: string;
  port: number;
}

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();
  private readonly raw = new Map<string, RawUpstreamPool>();

  /** @param timeoutMs an upstream that sends neither headers nor body for this long gets a 504. */
  constructor(private readonly timeoutMs: number) {}

  /** The upstream's undici pool (the general path), made on first use. */
  of(upstream: UpstreamAddress): Pool {
    let pool = this.pools.get(upstream.id);
    if (!pool) {
      pool = new Pool(`http://127.0.0.1:${upstream.port}`, {
        keepAliveTimeout: IDLE_CONNECTION_MS,
        keepAliveMaxTimeout: IDLE_CONNECTION_MS,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      this.pools.set(upstream.id, pool);
    }
    return pool;
  }

  /** The upstream's plain sockets (the fast path), made on first use. */
  rawOf(upstream: UpstreamAddress): RawUpstreamPool {
    let pool = this.raw.get(upstream.id);
    if (!pool) {
      pool = new RawUpstreamPool(upstream.port, IDLE_CONNECTION_MS);
      this.raw.set(upstream.id, pool);
    }
    return pool;
  }

  /**
   * Closes an upstream's connections: once its requests in flight are done, or at once (`now`: it crashed,
   * or its drain timed out).
   */
  retire(id: string, now = false): void {
    const pool = this.pools.get(id);
    this.pools.delete(id);
    if (pool) (now ? pool.destroy() : pool.close()).catch(() => undefined);
    this.raw.get(id)?.retire(now);
    this.raw.delete(id);
  }

  retireAll(): void {
    for (const id of new Set([...this.pools.keys(), ...this.raw.keys()])) this.retire(id, true);
  }
}
