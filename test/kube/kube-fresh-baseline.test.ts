/**
 * A fresh baseline on a simulated cluster: a service exposed through a gateway gets `<service>-baseline` (its
 * own workload and Service at stable's version) beside the canary, a third backend of the HTTPRoute with the
 * canary's weight, counted apart from stable; it is removed on rollback and before a promotion.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../local/local-harness.js';
import {
  gatewayCanarySpec,
  liveObject,
  routeBackends,
  startClusters,
  startKubeRuntime,
} from './kube-harness.js';

const SPEC = gatewayCanarySpec(`      baseline: fresh
      steps: [{ weight: 25 }, { pause: { untilPromoted: true } }]
`);

describe('a fresh baseline on a simulated cluster', { timeout: 120_000 }, () => {
  it('is a third route backend at stable’s version, counted apart, gone on rollback and before promotion', async () => {
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const sim = clusters.sim('sim-east');
    const get = liveObject(sim, 'shop');
    const image = (name: string) =>
      get('Deployment', name)?.['spec']['template']['spec']['containers'][0]['image'];
    const backends = () => routeBackends(get, 'storefront');
    const release = async (version: string) =>
      (await c.release({ changes: [{ service: 'storefront', version }] }, 't')).release.id;
    assert.equal((await c.wait(await release('v1'))).state.status, 'succeeded', h.lines.join('\n'));

    const paused = async (version: string) => {
      const id = await release(version);
      await eventually(async () => (await c.get(id)).state.status === 'paused', 30_000, 'the pause');
      return id;
    };
    const aborted = await paused('v2');
    assert.deepEqual(backends(), [
      ['storefront', 50],
      ['storefront-canary', 25],
      ['storefront-baseline', 25],
    ]);
    assert.equal(image('storefront-baseline'), 'registry.example.com/shop/storefront:v1');
    assert.equal(get('Deployment', 'storefront-baseline')!['spec']['replicas'], 1, 'as large as the canary');
    assert.equal(get('Service', 'storefront-baseline')!['spec']['selector']['slipway.dev/group'], 'baseline');
    const target = h.runtime.targets.get('east')!;
    assert.deepEqual(
      (await target.backendsOf!('storefront', 'v1', 'baseline')).map((b) => [b.workload, b.service]),
      [['storefront-baseline', 'storefront-baseline']],
    );
    assert.deepEqual(
      (await target.backendsOf!('storefront', 'v1')).map((b) => b.workload),
      ['storefront'],
      'stable’s version without the group: the fresh baseline is counted apart',
    );
    await c.abort(aborted, 't');
    assert.equal((await c.wait(aborted)).state.status, 'rolled-back', h.lines.join('\n'));
    assert.equal(get('Deployment', 'storefront-baseline'), undefined, 'the baseline is gone on rollback');
    assert.equal(get('Service', 'storefront-baseline'), undefined);
    assert.deepEqual(
      backends().map(([name]) => name),
      ['storefront'],
    );

    const promoted = await paused('v3');
    await c.promote(promoted, 't');
    assert.equal((await c.wait(promoted)).state.status, 'succeeded', h.lines.join('\n'));
    assert.equal(get('Deployment', 'storefront-baseline'), undefined, 'the baseline is gone after promotion');
    assert.equal(image('storefront'), 'registry.example.com/shop/storefront:v3');
    assert.deepEqual(
      backends().map(([name]) => name),
      ['storefront'],
    );
  });
});
