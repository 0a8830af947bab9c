/** A test's exporter on loopback: serves `body()` for a real Prometheus to scrape; `tick` runs every 250 ms. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export function metricsExporter(body: () => string, tick: () => void) {
  const timer = setInterval(tick, 250);
  const server = createServer((_req, res) => res.end(body()));
  return {
    /** Listens and answers `host:port`. */
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    stop: () => (clearInterval(timer), new Promise<void>((r) => server.close(() => r()))),
  };
}
