/** Router retry semantics against a real server and a port that refuses connections. */
import assert from 'node:assert/strict';
import { connect, createServer as createNetServer } from 'node:net';
import { describe, it } from 'node:test';
import { behind, behindServer, setup } from './router-harness.js';

describe('router retries', () => {
  it('retries a refused connection for idempotent requests, and counts it apart', async () => {
    await using s = await setup();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${s.router.url}/x`, {
        method: i % 2 ? 'GET' : 'PUT',
        body: i % 2 ? undefined : 'payload',
      });
      assert.equal(res.status, 200);
      await res.text();
    }
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.requests, 20);
    assert.equal(v1.errors, 0);
    assert.ok(v1.retries >= 5, `retries ${v1.retries}`);
    assert.equal(v1.upstreamFailures.refused, v1.retries);
  });

  it('never retries a POST: a refused POST is a 502', async () => {
    await using s = await setup();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${s.router.url}/x`, { method: 'POST', body: 'order' });
      statuses.push(res.status);
      await res.text();
    }
    assert.ok(statuses.includes(502) && statuses.includes(200), statuses.join(','));
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.retries, 0);
    assert.equal(v1.errors, statuses.filter((s) => s === 502).length);
  });
});

describe('router counters of a fresh baseline', () => {
  it('counts a baseline group apart from stable at the same version, labelled group="baseline"', async () => {
    await using s = await setup();
    s.router.removeUpstream('dead');
    const live = s.router.balancer.pick({})!.port;
    s.router.addUpstream({ id: 'fresh', version: 'v1', group: 'baseline', port: live });
    s.router.setWeights({ stable: 50, baseline: 50 });
    for (let i = 0; i < 20; i++) await (await fetch(`${s.router.url}/x`)).text();
    assert.equal(s.metrics.find('web', 'v1')!.requests, 10);
    assert.equal(s.metrics.find('web', 'v1', 'baseline')!.requests, 10);
    const text = s.metrics.toPrometheusText();
    assert.match(text, /http_requests_total\{cluster="test",service="web",version="v1",status="200"\} 10/);
    assert.match(
      text,
      /http_requests_total\{cluster="test",service="web",version="v1",group="baseline",status="200"\} 10/,
    );
  });
});

const until = async (ok: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
};

describe('what the router passes on', () => {
  it('keeps repeated response headers, drops hop-by-hop ones, and sends a streamed body whole', async () => {
    let received = 0;
    await using s = await behind((req, res) => {
      req.on('data', (c: Buffer) => (received += c.length));
      req.on('end', () => {
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        res.setHeader('keep-alive', 'timeout=5');
        res.setHeader('proxy-authenticate', 'Basic');
        res.setHeader('x-app', 'yes');
        res.end(`got ${received}`);
      });
    });
    const big = Buffer.alloc(3 * 1024 * 1024, 7); // past the retry buffer: streamed
    const res = await fetch(`${s.router.url}/upload`, { method: 'PUT', body: big });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), `got ${big.length}`);
    assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(res.headers.get('x-app'), 'yes');
    // Hop-by-hop: the client's connection is the router's (its own keep-alive), not the upstream's.
    assert.equal(res.headers.get('keep-alive'), 'timeout=65');
    assert.equal(res.headers.get('proxy-authenticate'), null);
  });

  it('answers 504 when the upstream does not answer in time, counted as a timeout', async () => {
    await using s = await behind(() => undefined, { upstreamTimeoutMs: 300 });
    const res = await fetch(`${s.router.url}/slow`);
    assert.equal(res.status, 504);
    await res.text();
    const v1 = s.metrics.find('web', 'v1')!;
    assert.equal(v1.upstreamFailures.timeout, 1);
    assert.equal(v1.errors, 1);
  });

  it('counts an answer the upstream breaks off half way as an error, never retried', async () => {
    let calls = 0;
    await using s = await behind((_req, res) => {
      calls++;
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 50);
    });
    await assert.rejects(async () => (await fetch(`${s.router.url}/cut`)).text());
    await until(() => (s.metrics.find('web', 'v1')?.errors ?? 0) === 1, 'the cut answer counted as an error');
    assert.equal(s.metrics.find('web', 'v1')!.byStatus.get(502), 1);
    assert.equal(calls, 1);
  });

  it("stops the upstream request when the client leaves, and counts it as nginx's 499, not an error", async () => {
    let upstreamClosed = false;
    await using s = await behind((req) => req.socket.once('close', () => (upstreamClosed = true)));
    const controller = new AbortController();
    const pending = fetch(`${s.router.url}/wait`, { signal: controller.signal });
    await until(() => (s.metrics.find('web', 'v1')?.inFlight ?? 0) === 1, 'the request in flight');
    controller.abort();
    await assert.rejects(pending);
    await until(() => s.metrics.find('web', 'v1')!.byStatus.get(499) === 1, 'counted as 499');
    assert.equal(s.metrics.find('web', 'v1')!.errors, 0);
    await until(() => upstreamClosed, 'the upstream connection closed');
  });
});

/** Sends raw bytes on one connection and collects what comes back until `done` says so (or the peer closes). */
async function rawExchange(port: number, bytes: string, done: (text: string) => boolean) {
  const socket = connect(port, '127.0.0.1');
  socket.write(bytes);
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('close', () => (closed = true));
  await until(() => closed || done(text), `an answer to ${JSON.stringify(bytes.slice(0, 40))}`);
  socket.destroy();
  return { text, closed };
}

describe('the fast path (plain requests without a body)', () => {
  it('answers pipelined requests in order, then hands the connection to the general path at a body', async () => {
    const seen: string[] = [];
    await using s = await behind((req, res) => {
      seen.push(`${req.method} ${req.url} xff=${String(req.headers['x-forwarded-for'])}`);
      req.resume();
      req.on('end', () => res.end(`${req.method} ${req.url};`));
    });
    const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: t\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n`;
    const post = 'POST /order HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody';
    const { text } = await rawExchange(
      s.router.listeningPort,
      get('/a') + get('/b') + post + get('/c'),
      (t) => t.includes('GET /c;'),
    );
    const bodies = [...text.matchAll(/([A-Z]+ \/\w+);/g)].map((m) => m[1]);
    assert.deepEqual(bodies, ['GET /a', 'GET /b', 'POST /order', 'GET /c']);
    // The client's own X-Forwarded-For is replaced by the address the router saw.
    assert.deepEqual(seen.slice(0, 2), ['GET /a xff=127.0.0.1', 'GET /b xff=127.0.0.1']);
    assert.equal(s.metrics.find('web', 'v1')!.requests, 4);
  });

  it('closes the connection after the answer when the client asks, and serves HTTP/1.0 on the general path', async () => {
    await using s = await behind((req, res) => res.end(`${req.method} ${req.url} HTTP/${req.httpVersion};`));
    const close = await rawExchange(
      s.router.listeningPort,
      'GET /bye HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n',
      () => false,
    );
    assert.ok(close.closed);
    assert.match(close.text, /GET \/bye HTTP\/1\.1;$/);
    const old = await rawExchange(s.router.listeningPort, 'GET /old HTTP/1.0\r\n\r\n', () => false);
    assert.ok(old.closed);
    assert.match(old.text, /^HTTP\/1\.1 200 OK\r\n[^]*GET \/old HTTP\/1\.1;$/);
    assert.equal(s.metrics.find('web', 'v1')!.requests, 2);
  });

  it('passes on chunked and sized answers, HEAD and 204 without a body, repeated headers kept', async () => {
    await using s = await behind((req, res) => {
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('proxy-authenticate', 'Basic');
      if (req.url === '/empty') res.writeHead(204).end();
      else if (req.url === '/sized')
        res.setHeader('content-length', '12').end(req.method === 'HEAD' ? undefined : 'sized answer');
      else {
        res.write('chunk one, ');
        setTimeout(() => res.end('chunk two'), 20);
      }
    });
    const chunked = await fetch(`${s.router.url}/chunked`);
    assert.equal(await chunked.text(), 'chunk one, chunk two');
    assert.deepEqual(chunked.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.equal(chunked.headers.get('proxy-authenticate'), null);
    assert.equal(await (await fetch(`${s.router.url}/sized`)).text(), 'sized answer');
    const head = await fetch(`${s.router.url}/sized`, { method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), '12');
    assert.equal(await head.text(), '');
    assert.equal((await fetch(`${s.router.url}/empty`)).status, 204);
    assert.equal(await (await fetch(`${s.router.url}/sized`)).text(), 'sized answer'); // the connection still in step
    assert.equal(s.metrics.find('web', 'v1')!.requests, 5);
  });

  it('streams a large answer whole, sized or chunked, to a client that reads slowly', async () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    await using s = await behind((req, res) => {
      if (req.url === '/sized') res.setHeader('content-length', String(80 * piece.length));
      let sent = 0;
      const more = () => {
        while (sent < 80) {
          sent++;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    for (const path of ['/sized', '/chunked']) {
      const res = await fetch(`${s.router.url}${path}`);
      let received = 0;
      for await (const chunk of res.body!) {
        received += (chunk as Uint8Array).length;
        if (received < 1024 * 1024) await new Promise((r) => setTimeout(r, 1)); // slow at first: backpressure
      }
      assert.equal(received, 80 * piece.length, path);
    }
    assert.equal(s.metrics.find('web', 'v1')!.byStatus.get(200), 2);
  });

  it('passes on an answer that ends with its connection, and closes the client connection after it', async () => {
    await using s = await behindServer(
      createNetServer((socket) =>
        socket.once('data', () =>
          socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'),
        ),
      ),
      {},
    );
    const { text, closed } = await rawExchange(
      s.router.listeningPort,
      'GET / HTTP/1.1\r\nHost: t\r\n\r\n',
      () => false,
    );
    assert.ok(closed);
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /connection: close\r\n\r\nuntil the end$/);
  });

  it('answers 502 to an answer that is not HTTP, counted as an error', async () => {
    await using s = await behindServer(
      createNetServer((socket) => socket.once('data', () => socket.end('<html>oops</html>\r\n\r\n'))),
      {},
    );
    const res = await fetch(`${s.router.url}/`);
    assert.equal(res.status, 502);
    assert.match(res.headers.get('x-slipway-error') ?? '', /^upstream live: /);
    assert.equal(((await res.json()) as { service: string }).service, 'web');
    assert.equal(s.metrics.find('web', 'v1')!.errors, 1);
  });
});
