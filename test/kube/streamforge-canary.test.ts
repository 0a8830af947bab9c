/**
 * examples/streamforge as written — queue-manager exposed through Traefik's Gateway API listener, a canary
 * judged on Traefik's metrics — released on a simulated cluster `k2` whose data plane is counted as
 * Traefik counts it and scraped by a real Prometheus. Only the Prometheus URL and the analysis's pace
 * (2 m windows every 30 s) are changed for the test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { startPrometheus } from '../analysis/prometheus-harness.js';
import { SimulatedGateway } from '../kube-sim/simulated-gateway.js';
import { liveObject, startClusters, startKubeRuntime } from './kube-harness.js';

describe('examples/streamforge on a simulated cluster', { timeout: 240_000 }, () => {
  it('fails a queue-manager canary with 5 % errors on Traefik metrics and promotes a healthy one', async () => {
    await using clusters = await startClusters(['k2']);
    const gateway = new SimulatedGateway(clusters.sim('k2'), {
      namespace: 'stf',
      services: ['queue-manager'],
      requestsPerSecond: 400,
      // v3 errs less than v1: a healthy canary the sequential test accepts well inside its window (at equal
      // rates it may run to its maximum sample and end inconclusive, in a few runs of a hundred).
      errorRatio: (version) => (version === 'v2' ? 0.05 : version === 'v3' ? 0.0005 : 0.002),
    });
    const prometheus = await startPrometheus([await gateway.start()]);
    try {
      const original = readFileSync('examples/streamforge/slipway.yaml', 'utf8');
      const spec = original
        .replace('url: "https://prometheus.dmz.home"', `url: "${prometheus.url}"`)
        .replace('{ analysis: service-health, for: 2m }', '{ analysis: service-health, for: 15s }')
        .replace(/(service-health:[\s\S]*?interval: )30s/, '$11s');
      assert.notEqual(spec, original);
      assert.match(spec, /gateway: traefik/);
      await using h = await startKubeRuntime(spec, clusters.kubeconfig, clusters.dir);
      const c = h.controller;
      const sim = clusters.sim('k2');
      const get = liveObject(sim, 'stf');
      const release = async (version: string) =>
        c.wait((await c.release({ changes: [{ service: 'queue-manager', version }] }, 't')).release.id);
      const image = () =>
        get('Deployment', 'queue-manager')?.['spec']['template']['spec']['containers'][0]['image'];
      const analysisOf = (r: Awaited<ReturnType<typeof release>>) =>
        [...r.state.steps.values()].find((s) => s.evidence?.['template'])?.evidence;

      assert.equal((await release('v1')).state.status, 'succeeded', h.lines.join('\n'));
      const bad = await release('v2');
      const tallyAfterV2 = gateway.tally();
      assert.equal(bad.state.status, 'rolled-back', JSON.stringify(analysisOf(bad)));
      assert.equal(analysisOf(bad)?.verdict, 'fail');
      assert.match(image(), /queue-manager:v1$/);
      assert.equal(get('HTTPRoute', 'queue-manager')!['spec']['rules'][0]['backendRefs'].length, 1);

      const good = await release('v3');
      // On failure, where the requests went (by backend, version and code) before and after v3.
      const where = () => JSON.stringify({ afterV2: tallyAfterV2, now: gateway.tally() });
      assert.equal(good.state.status, 'succeeded', `${JSON.stringify(analysisOf(good))} ${where()}`);
      assert.equal(analysisOf(good)?.verdict, 'pass');
      // The template's latency rule reads Traefik's histogram: judged on quantiles at the end of the window.
      assert.match(analysisOf(good)?.summary ?? '', /no error regression.*p95 latency/);
      assert.match(image(), /queue-manager:v3$/);
    } finally {
      await gateway.stop();
      await prometheus.stop();
    }
  });
});
