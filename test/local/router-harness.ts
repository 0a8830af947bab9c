/** Routers in front of upstreams the test writes, for the router's tests. */
import { createServer, Server as HttpServer } from 'node:http';
import { type AddressInfo, type Server as NetServer } from 'node:net';
import { freePort } from '../../src/targets/local/free-port.js';
import { MetricsRegistry } from '../../src/targets/local/metrics/metrics-registry.js';
import { Router } from '../../src/targets/local/router.js';

/** A router in front of one upstream whose handler the test writes. */
export const behind = (
  handler: Parameters<typeof createServer>[1],
  options: { upstreamTimeoutMs?: number; balance?: 'round-robin' } = {},
) => behindServer(createServer(handler), options);

/** A router in front of one upstream server (HTTP, or raw TCP that writes whatever the test wants). */
export async function behindServer(
  server: NetServer,
  options: { upstreamTimeoutMs?: number; balance?: 'round-robin' },
) {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const metrics = new MetricsRegistry('test');
  const router = new Router({ service: 'web', metrics, ...options });
  await router.listen();
  router.addUpstream({
    id: 'live',
    version: 'v1',
    group: 'stable',
    port: (server.address() as AddressInfo).port,
  });
  return {
    router,
    metrics,
    async [Symbol.asyncDispose]() {
      await router.close();
      if (server instanceof HttpServer) server.closeAllConnections();
      server.close();
    },
  };
}

/** A live upstream and one whose port refuses connections, taken in turn. */
export async function setup() {
  const s = await behind(
    (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end('ok'));
    },
    { balance: 'round-robin' },
  );
  s.router.addUpstream({ id: 'dead', version: 'v1', group: 'stable', port: await freePort() });
  return s;
}
