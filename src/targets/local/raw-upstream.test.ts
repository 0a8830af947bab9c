import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { ResponseHead } from './http1/response-head.js';
import { RawUpstreamPool } from './raw-upstream.js';

/** Sends one GET over the pool and resolves with its status, or the failure's code. */
function get(pool: RawUpstreamPool): Promise<string> {
  return new Promise((resolve) => {
    let status = 0;
    pool.take().send(
      'GET / HTTP/1.1\r\nHost: t\r\n\r\n',
      'GET',
      {
        onHead: (head: ResponseHead) => (status = head.status),
        onBody: () => true,
        onEnd: () => resolve(String(status)),
        onFailure: (error) => resolve(error.code ?? 'failed'),
      },
      5_000,
    );
  });
}

describe('RawUpstreamPool', () => {
  it('never hands out an idle connection whose idle timeout fired in the same loop turn', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const pool = new RawUpstreamPool((server.address() as AddressInfo).port, 50);
    try {
      assert.equal(await get(pool), '200');
      // A request due just after the idle timeout, with the loop blocked past both: the timeout closes the
      // connection, and the request, in the same timers phase, must get a new one.
      const next = new Promise<string>((resolve) => setTimeout(() => void get(pool).then(resolve), 60));
      const until = Date.now() + 150;
      while (Date.now() < until); // a busy machine: timers late
      assert.equal(await next, '200');
    } finally {
      pool.retire(true);
      server.closeAllConnections();
      server.close();
    }
  });
});
