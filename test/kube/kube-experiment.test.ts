/**
 * An experiment step on a simulated cluster: each variant of a service exposed through a gateway is its own
 * workload and Service (`<service>-experiment-<name>`) at its version and a backend of the HTTPRoute with its
 * weight, taken from stable; when the step ends the route is as before and the variant is gone.
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

const SPEC = gatewayCanarySpec(`      steps:
        - { weight: 25 }
        - experiment: { for: 3s, variants: [{ name: next, version: v3, weight: 10, replicas: 2 }] }
        - { pause: { untilPromoted: true } }
`);

describe('an experiment step on a simulated cluster', { timeout: 120_000 }, () => {
  it('runs a variant as a route backend with its weight, then removes it', async () => {
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const get = liveObject(clusters.sim('sim-east'), 'shop');
    const backends = () => routeBackends(get, 'storefront');
    const release = async (version: string) =>
      (await c.release({ changes: [{ service: 'storefront', version }] }, 't')).release.id;
    assert.equal((await c.wait(await release('v1'))).state.status, 'succeeded', h.lines.join('\n'));

    const id = await release('v2');
    await eventually(
      async () => get('Deployment', 'storefront-experiment-next') !== undefined && backends().length === 3,
      30_000,
      'the experiment',
    );
    assert.deepEqual(backends(), [
      ['storefront', 65],
      ['storefront-canary', 25],
      ['storefront-experiment-next', 10],
    ]);
    const variant = get('Deployment', 'storefront-experiment-next')!;
    assert.equal(
      variant['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/shop/storefront:v3',
    );
    assert.equal(variant['spec']['replicas'], 2);
    const target = h.runtime.targets.get('east')!;
    assert.deepEqual(
      (await target.backendsOf!('storefront', 'v3', 'experiment-next')).map((b) => b.service),
      ['storefront-experiment-next'],
    );
    assert.equal(
      (await target.observe({ service: 'storefront', cluster: 'east' })).weights['experiment-next'],
      10,
    );

    await eventually(async () => (await c.get(id)).state.status === 'paused', 30_000, 'the pause after it');
    assert.equal(get('Deployment', 'storefront-experiment-next'), undefined, 'the variant is gone');
    assert.equal(get('Service', 'storefront-experiment-next'), undefined);
    assert.deepEqual(backends(), [
      ['storefront', 75],
      ['storefront-canary', 25],
    ]);
    await c.promote(id, 't');
    assert.equal((await c.wait(id)).state.status, 'succeeded', h.lines.join('\n'));

    // A rollback after the experiment removes its (already gone) variant again without a fault.
    const aborted = await release('v4');
    await eventually(async () => (await c.get(aborted)).state.status === 'paused', 30_000, 'the v4 pause');
    await c.abort(aborted, 't');
    assert.equal((await c.wait(aborted)).state.status, 'rolled-back', h.lines.join('\n'));
    const steps = (await c.get(aborted)).state.rollback!.steps;
    assert.ok(
      steps.get('rollback/production/east/storefront/3-experiment-next')?.completedAt,
      'its rollback step ran',
    );
    assert.equal(
      get('Deployment', 'storefront')!['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/shop/storefront:v2',
    );
  });
});
