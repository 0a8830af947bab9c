/**
 * Progressive delivery on a simulated cluster: a canary by HTTPRoute weights (the service is exposed
 * through a gateway), by an ingress-nginx canary Ingress, by replica ratio (not exposed), and blue-green by one switch of the
 * Service's selector — promoted, and switched back at once on a failed gate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../local/local-harness.js';
import { liveObject, startClusters, startKubeRuntime } from './kube-harness.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: progressive }
environments:
  production:
    namespace: shop
    clusters: { east: { kubernetes: { context: sim-east, gateway: { name: gw, namespace: infra } } } }
services:
  storefront:
    image: registry.example.com/shop/storefront
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }
    expose: { type: public, host: shop.example.com }
    release:
      strategy: canary
      steps: [{ weight: 25 }, { match: { headers: { x-beta: "on" } } }, { pause: { untilPromoted: true } }, { weight: 50 }]
      checks: [smoke]
  api:
    image: registry.example.com/shop/api
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }
    release:
      strategy: canary
      steps: [{ weight: 25 }, { pause: { untilPromoted: true } }, { weight: 50 }]
  cart:
    image: registry.example.com/shop/cart
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }
    expose: { type: public, host: cart.example.com, via: ingress, ingressClass: nginx }
    release:
      strategy: canary
      steps: [{ weight: 20 }, { match: { headers: { x-beta: "on" } } }, { pause: { untilPromoted: true } }]
  web:
    image: registry.example.com/shop/web
    version: v1
    port: 8080
    replicas: 2
    health: { readiness: /health }
    release:
      strategy: blue-green
      previewChecks: [smoke]
      checks: [after-switch]
checks:
  smoke: { http: { path: /health, expect: 200 } }
  after-switch:
    command: { run: 'test "{{version}}" != v3', timeout: 10s }
`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('progressive delivery on a simulated cluster', { timeout: 120_000 }, () => {
  it('canary by route weights and A/B header rule, canary by replica ratio, blue-green switch and switch-back', async () => {
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const sim = clusters.sim('sim-east');
    const get = liveObject(sim, 'shop');
    const first = await c.wait(
      (
        await c.release(
          {
            changes: [
              { service: 'storefront', version: 'v1' },
              { service: 'api', version: 'v1' },
              { service: 'cart', version: 'v1' },
              { service: 'web', version: 'v1' },
            ],
          },
          't',
        )
      ).release.id,
    );
    assert.equal(first.state.status, 'succeeded', h.lines.join('\n'));

    // Canaries: paused at 25 %.
    const id = (await c.release({ changes: [{ service: 'storefront', version: 'v2' }] }, 't')).release.id;
    await eventually(async () => (await c.get(id)).state.status === 'paused', 30_000, 'the storefront pause');
    const rules = get('HTTPRoute', 'storefront')!['spec']['rules'] as Obj[];
    assert.deepEqual(
      rules.at(-1)!['backendRefs'].map((b: Obj) => [b['name'], b['weight']]),
      [
        ['storefront', 75],
        ['storefront-canary', 25],
      ],
    );
    assert.deepEqual(rules[0]!['matches'][0]['headers'], [{ type: 'Exact', name: 'x-beta', value: 'on' }]);
    assert.equal(
      get('Deployment', 'storefront-canary')!['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/shop/storefront:v2',
    );
    assert.equal(
      get('Service', 'storefront')!['spec']['selector']['app.kubernetes.io/version'],
      'v1',
      "the route's stable backend reaches only stable pods: the canary's share is its weight, no more",
    );
    await c.promote(id, 't');
    assert.equal((await c.wait(id)).state.status, 'succeeded', h.lines.join('\n'));
    assert.equal(
      get('Deployment', 'storefront')!['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/shop/storefront:v2',
    );
    assert.equal(get('Deployment', 'storefront-canary'), undefined, 'the canary is gone');
    assert.deepEqual(
      (get('HTTPRoute', 'storefront')!['spec']['rules'] as Obj[]).map((r) =>
        r['backendRefs'].map((b: Obj) => b['name']),
      ),
      [['storefront']],
    );
    assert.deepEqual(get('Service', 'storefront')!['spec']['selector'], {
      'app.kubernetes.io/name': 'storefront',
    });

    const ratio = (await c.release({ changes: [{ service: 'api', version: 'v2' }] }, 't')).release.id;
    await eventually(async () => (await c.get(ratio)).state.status === 'paused', 30_000, 'the api pause');
    assert.deepEqual(
      [get('Deployment', 'api')!['spec']['replicas'], get('Deployment', 'api-canary')!['spec']['replicas']],
      [3, 1],
      '25 % of 4 pods is one',
    );
    await c.promote(ratio, 't');
    assert.equal((await c.wait(ratio)).state.status, 'succeeded', h.lines.join('\n'));
    assert.deepEqual(
      [get('Deployment', 'api')!['spec']['replicas'], get('Deployment', 'api-canary')],
      [4, undefined],
    );

    // ingress-nginx: the canary's share is a canary Ingress (weight and one header), as Argo Rollouts does it.
    const nginx = (await c.release({ changes: [{ service: 'cart', version: 'v2' }] }, 't')).release.id;
    await eventually(async () => (await c.get(nginx)).state.status === 'paused', 30_000, 'the cart pause');
    const canaryIngress = get('Ingress', 'cart-canary')!;
    assert.deepEqual(
      Object.fromEntries(
        Object.entries(canaryIngress['metadata']['annotations']).filter(([k]) => k.includes('canary')),
      ),
      {
        'nginx.ingress.kubernetes.io/canary': 'true',
        'nginx.ingress.kubernetes.io/canary-weight': '20',
        'nginx.ingress.kubernetes.io/canary-by-header': 'x-beta',
        'nginx.ingress.kubernetes.io/canary-by-header-value': 'on',
      },
    );
    assert.equal(
      canaryIngress['spec']['rules'][0]['http']['paths'][0]['backend']['service']['name'],
      'cart-canary',
    );
    assert.equal(get('Deployment', 'cart')!['spec']['replicas'], 4, 'not split by replica ratio');
    assert.equal(get('Service', 'cart')!['spec']['selector']['app.kubernetes.io/version'], 'v1');
    await c.promote(nginx, 't');
    assert.equal((await c.wait(nginx)).state.status, 'succeeded', h.lines.join('\n'));
    assert.equal(get('Ingress', 'cart-canary'), undefined, 'the canary Ingress is gone');
    assert.equal(get('Deployment', 'cart-canary'), undefined);
    assert.deepEqual(get('Service', 'cart')!['spec']['selector'], { 'app.kubernetes.io/name': 'cart' });

    // Blue-green: v2 switches and is promoted; v3 fails after the switch and is switched back at once.
    const green = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 't')).release.id,
    );
    assert.equal(green.state.status, 'succeeded', h.lines.join('\n'));
    assert.deepEqual(
      get('Service', 'web')!['spec']['selector'],
      { 'app.kubernetes.io/name': 'web' },
      'selector back as render wrote it',
    );
    assert.equal(get('Deployment', 'web-preview'), undefined);
    const blue = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v3' }] }, 't')).release.id,
    );
    assert.equal(blue.state.status, 'rolled-back');
    const switched = blue.state.steps.get('production/east/web/03-weights');
    assert.ok(switched?.completedAt, 'it had switched to the preview');
    assert.deepEqual(
      get('Service', 'web')!['spec']['selector'],
      { 'app.kubernetes.io/name': 'web' },
      'the preview gone, the Service selects as render wrote it (only v2 pods are left)',
    );
    assert.equal(
      get('Deployment', 'web')!['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/shop/web:v2',
    );
    assert.equal(get('Deployment', 'web-preview'), undefined, 'the preview is gone');
  });
});
