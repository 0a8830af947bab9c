/** Router retry semantics against a real server and a port that refuses connections. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { freePort } from '../../src/targets/local/free-port.js';
import { MetricsRegistry } from '../../src/targets/local/metrics/metrics-registry.js';
import { Router } from '../../src/targets/local/router.js';

async function setup() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const metrics = new MetricsRegistry('test');
  const router = new Router({ service: 'web', metrics, balance: 'round-robin' });
  await router.listen();
  router.addUpstream({
    id: 'live',
    version: 'v1',
    group: 'stable',
    port: (server.address() as AddressInfo).port,
  });
  router.addUpstream({ id: 'dead', version: 'v1', group: 'stable', port: await freePort() });
  return {
    router,
    metrics,
    async [Symbol.asyncDispose]() {
      await router.close();
      server.close();
    },
  };
}

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
