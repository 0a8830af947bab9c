#!/usr/bin/env node
// The demo HTTP service. Its behaviour per version comes from the environment, so one spec can ship a
// healthy v2 and a faulty v3:
//   PORT                  port to listen on (set by Slipway's supervisor)
//   SLIPWAY_SERVICE/…VERSION  reported by /version and in each response's x-served-by header
//   DEMO_ERROR_RATE       share of requests answered 500 (0..1), default 0
//   DEMO_LATENCY_MS       median latency of a request, default 2
//   DEMO_LATENCY_SIGMA    log-normal spread of latency, default 0.3 (0 = constant)
//   DEMO_SLOW_START_MS    readiness stays 503 this long after start, default 0
//   DEMO_ERRORS_AFTER     DEMO_ERROR_RATE applies only after this many requests (a regression that
//                         shows later), default 0
//   DEMO_CRASH_AFTER      exit(1) after this many requests, default never
//   DEMO_EXIT_AT_START    exit with this code at once (a version that cannot start), default none
//   DEMO_SHUTDOWN_MS      bound on the graceful shutdown after SIGTERM, default 10000
// A WebSocket at /echo answers each text message with `service@version: message` (needs the `ws` package,
// which `npm ci` installs; without it /echo answers 501).
import { createServer } from 'node:http';

const env = (name, fallback) => {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : Number(value);
};
const port = env('PORT', 8080);
const service = process.env.SLIPWAY_SERVICE ?? 'demo';
const version = process.env.SLIPWAY_VERSION ?? 'dev';
const errorRate = env('DEMO_ERROR_RATE', 0);
const latencyMs = env('DEMO_LATENCY_MS', 2);
const sigma = env('DEMO_LATENCY_SIGMA', 0.3);
const slowStartMs = env('DEMO_SLOW_START_MS', 0);
const crashAfter = env('DEMO_CRASH_AFTER', Number.POSITIVE_INFINITY);
const errorsAfter = env('DEMO_ERRORS_AFTER', 0);
const shutdownMs = env('DEMO_SHUTDOWN_MS', 10_000);

if (process.env.DEMO_EXIT_AT_START) {
  console.error(`${service}@${version}: exiting at start (DEMO_EXIT_AT_START)`);
  process.exit(Number(process.env.DEMO_EXIT_AT_START) || 1);
}

const startedAt = Date.now();
let served = 0;
let stopping = false;

/** A log-normal sample with the given median: latency is skewed right, as real latency is. */
function latency() {
  if (sigma <= 0) return latencyMs;
  const u = 1 - Math.random();
  const v = Math.random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return latencyMs * Math.exp(sigma * normal);
}

const server = createServer((req, res) => {
  const headers = { 'content-type': 'application/json', 'x-served-by': `${service}@${version}/${process.pid}` };
  if (req.url === '/health') {
    res.writeHead(200, headers).end('{"status":"alive"}');
    return;
  }
  if (req.url === '/health/ready') {
    const ready = !stopping && Date.now() - startedAt >= slowStartMs;
    res.writeHead(ready ? 200 : 503, headers).end(ready ? '{"status":"ready"}' : '{"status":"starting"}');
    return;
  }
  if (req.url === '/version') {
    res.writeHead(200, headers).end(JSON.stringify({ service, version, pid: process.pid }));
    return;
  }
  served++;
  if (served > crashAfter) {
    // Crash mid-request, as a real fault would: this request never gets an answer.
    process.exit(1);
  }
  const fail = served > errorsAfter && Math.random() < errorRate;
  setTimeout(() => {
    res
      .writeHead(fail ? 500 : 200, headers)
      .end(fail ? '{"error":"injected failure"}' : JSON.stringify({ service, version, ok: true }));
  }, latency());
});

/** The WebSocket server of /echo, made at its first use. */
let echo;
server.on('upgrade', async (req, socket, head) => {
  const ws = req.url === '/echo' ? await import('ws').catch(() => undefined) : undefined;
  if (!ws) {
    socket.end(`HTTP/1.1 ${req.url === '/echo' ? '501 Not Implemented' : '404 Not Found'}\r\ncontent-length: 0\r\n\r\n`);
    return;
  }
  echo ??= new ws.WebSocketServer({ noServer: true });
  echo.handleUpgrade(req, socket, head, (client) =>
    client.on('message', (data) => client.send(`${service}@${version}: ${String(data)}`)),
  );
});

server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  // Finish what is in flight, accept nothing new, then exit; bounded so a stuck request cannot hold us.
  stopping = true;
  for (const client of echo?.clients ?? []) client.close(1001, 'going away'); // clients reconnect elsewhere
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), shutdownMs).unref();
});
