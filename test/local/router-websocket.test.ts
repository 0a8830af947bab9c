/**
 * WebSockets through the local router, with the real `ws` server and client: the upgrade is routed, retried
 * and counted like a request, then the two ends talk through the router until either closes; a replica's
 * drain does not wait for an open tunnel; a refused upgrade and an unroutable one get their status.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort } from '../../src/targets/local/free-port.js';
import { behindServer } from './router-harness.js';

/** A router in front of an echo WebSocket server that remembers each upgrade request it saw. */
async function echoBehindRouter() {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const upgrades: IncomingMessage[] = [];
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    upgrades.push(req);
    socket.on('message', (data, binary) => socket.send(binary ? data : `echo ${String(data)}`));
  });
  const s = await behindServer(server, { balance: 'round-robin' });
  return {
    ...s,
    upgrades,
    async [Symbol.asyncDispose]() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await s[Symbol.asyncDispose]();
    },
  };
}

/** Opens a WebSocket; answers it open, or the status of the answer that refused it. */
function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function reply(ws: WebSocket, message: string | Buffer): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    const early = () => reject(new Error('closed before the reply'));
    ws.once('close', early);
    ws.once('message', (data, binary) => {
      ws.off('close', early);
      resolve(binary ? (data as Buffer) : String(data));
    });
    ws.send(message);
  });
}

const closed = (ws: WebSocket) =>
  new Promise<number>((resolve) =>
    ws.readyState === WebSocket.CLOSED ? resolve(ws.readyState) : ws.once('close', (code) => resolve(code)),
  );

describe('WebSockets through the router', () => {
  it('passes messages both ways, counts the upgrade as one request answered 101, and forwards who asked', async () => {
    await using s = await echoBehindRouter();
    const ws = await open(`${s.router.url.replace('http', 'ws')}/live?room=7`);
    assert.equal(await reply(ws, 'hello'), 'echo hello');
    const big = Buffer.alloc(256 * 1024, 7);
    assert.deepEqual(await reply(ws, big), big);
    for (let i = 0; i < 50; i++) assert.equal(await reply(ws, `m${i}`), `echo m${i}`);
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.requests, 1);
    assert.equal(v1.errors, 0);
    assert.match(s.metrics.toPrometheusText(), /http_requests_total\{[^}]*version="v1",status="101"\} 1/);
    const seen = s.upgrades[0]!;
    assert.equal(seen.url, '/live?room=7');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    ws.close(1000);
    assert.equal(await closed(ws), 1000);
  });

  it('retries an upgrade a replica refused to connect on another, and leaves open tunnels out of a drain', async () => {
    await using s = await echoBehindRouter();
    s.router.addUpstream({ id: 'dead', version: 'v1', group: 'stable', port: await freePort() });
    const sockets = await Promise.all(
      Array.from({ length: 6 }, () => open(`${s.router.url.replace('http', 'ws')}/x`)),
    );
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.requests, 6);
    assert.ok(v1.retries >= 1, `retries ${v1.retries}`);
    s.router.removeUpstream('dead');
    // A drain waits for requests in flight, not for tunnels already answered: it ends at once, and the
    // tunnels still carry messages until the replica or the client closes them.
    let drained = false;
    const drain = s.router.drain('live', 600_000).then(() => (drained = true));
    await new Promise((r) => setImmediate(r));
    assert.ok(drained, 'the drain waited for an open WebSocket');
    await drain;
    for (const ws of sockets) assert.equal(await reply(ws, 'still'), 'echo still');
    for (const ws of sockets) ws.close();
  });

  it("passes a replica's refusal of the upgrade on with its status, and answers 503 when nothing is ready", async () => {
    const server = createServer((_req, res) => res.writeHead(404).end());
    server.on('upgrade', (_req, socket) =>
      socket.end('HTTP/1.1 426 Upgrade Required\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'),
    );
    await using s = await behindServer(server, {});
    const url = `${s.router.url.replace('http', 'ws')}/x`;
    await assert.rejects(open(url), /status 426/);
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.requests, 1);
    assert.match(s.metrics.toPrometheusText(), /http_requests_total\{[^}]*version="v1",status="426"\} 1/);
    s.router.removeUpstream('live');
    await assert.rejects(open(url), /status 503/);
    assert.match(
      s.metrics.toPrometheusText(),
      /http_requests_total\{[^}]*version="unrouted",status="503"\} 1/,
    );
  });

  it('answers 504 to an upgrade the replica never answers, counted as a timeout', async () => {
    const server = createServer();
    let asked = 0;
    server.on('upgrade', () => asked++); // takes the connection and says nothing
    await using s = await behindServer(server, { upstreamTimeoutMs: 300 });
    await assert.rejects(open(`${s.router.url.replace('http', 'ws')}/x`), /status 504/);
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(asked, 1, 'the replica was asked for the upgrade');
    assert.equal(v1.upstreamFailures.timeout, 1);
    assert.equal(v1.errors, 1);
  });
});
