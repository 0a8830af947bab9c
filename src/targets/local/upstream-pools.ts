/** @module The router's keep-alive connections: one undici pool per upstream replica. */
import { Pool } from 'undici';

/**
 * An idle connection is closed here before the replica's own keep-alive timeout (Node's default is 5 s)
 * can close it: otherwise a request sent as the replica closes it is reset, and a reset is never retried
 * (it may come from a replica that crashed mid-request).
 */
const IDLE_CONNECTION_MS = 4_000;

export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  /** @param timeoutMs an upstream that sends neither headers nor body for this long gets a 504. */
  constructor(private readonly timeoutMs: number) {}

  /** The upstream's pool, made on first use. */
  of(upstream: { id: string; port: number }): Pool {
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

  /**
   * Closes an upstream's connections: once its requests in flight are done, or at once (`now`: it crashed,
   * or its drain timed out).
   */
  retire(id: string, now = false): void {
    const pool = this.pools.get(id);
    if (!pool) return;
    this.pools.delete(id);
    (now ? pool.destroy() : pool.close()).catch(() => undefined);
  }

  retireAll(): void {
    for (const id of [...this.pools.keys()]) this.retire(id, true);
  }
}
