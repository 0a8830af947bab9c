/**
 * Canary analysis on a cluster from a gateway's metrics, with no query written by hand: the simulator's
 * data plane counts requests as Traefik, ingress-nginx and Istio do, a real Prometheus scrapes it, and the
 * built-in templates read canary and baseline counts with `increase()`. A canary with 5 % errors against
 * a 1 % baseline is failed by the sequential test and rolled back; a healthy one is promoted — through a
 * route's weights (Traefik), a canary Ingress's weight (ingress-nginx) and by replica ratio counted per
 * workload (Istio) and through a route's header rule alone (A/B, Traefik: only the requests with the header reach
 * the canary, and the test judges them against everyone else's); a blue-green stack with 5 % errors is switched back on Istio's counts of its workload,
 * a healthy one kept. ingress-nginx counts per Service, which a replica-ratio canary (a service with no
 * Ingress) shares with stable: that analysis is inconclusive, and says why — and the plan warned.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPrometheus, type RunningPrometheus } from '../analysis/prometheus-harness.js';
import { runCli } from '../cli/cli-helpers.js';
import { SimulatedGateway } from '../kube-sim/simulated-gateway.js';
import { startClusters, startKubeRuntime } from './kube-harness.js';

const PROM_ENV = 'SLIPWAY_TEST_GATEWAY_PROMETHEUS';

const template = (gateway: string, extra = '', maxDuration = '60s') => `
    provider: { prometheus: { urlEnv: ${PROM_ENV}, gateway: ${gateway} } }
    interval: 1s
    minSample: 200
    maxDuration: ${maxDuration}
    errorRate: { max: 4% }
    sequential: { alpha: 0.001, errorRatio: 2, minIncrease: 1% }${extra}`;

const service = (name: string, extra: string, gate: string) => `
  ${name}:
    image: registry.example.com/shop/${name}
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }${extra}
    release:
      strategy: canary
      steps: [{ weight: 50 }, { analysis: ${gate}, for: 30s }]`;

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: gateway-metrics }
environments:
  production:
    namespace: shop
    clusters: { east: { kubernetes: { context: sim-east, gateway: { name: gw, namespace: infra } } } }
services:
  checkout:
    image: registry.example.com/shop/checkout
    version: v1
    port: 8080
    replicas: 2
    health: { readiness: /health }
    release: { strategy: blue-green, analysis: [istio-alone] }${service('storefront', '\n    expose: { type: public, host: shop.example.com }', 'traefik-gate')}${service('api', '', 'istio-gate')}${service('cart', '\n    expose: { type: public, host: cart.example.com, via: ingress, ingressClass: nginx }', 'nginx-gate')}${service('search', '', 'nginx-gate')}
  beta:
    image: registry.example.com/shop/beta
    version: v1
    port: 8080
    replicas: 4
    health: { readiness: /health }
    expose: { type: public, host: beta.example.com }
    release:
      strategy: canary
      # A/B: only the requests with x-beta: on reach the canary; judged against everyone else's.
      steps: [{ match: { headers: { x-beta: "on" } } }, { analysis: traefik-ab-gate, for: 30s }]
analysis:
  traefik-gate:${template('traefik')}
  # The A/B canary sees 20 % of the traffic (80 requests/s): accepting a healthy one takes ~15 s at the median but
  # 1-2 % of runs need over 60 s (a Monte Carlo of the two judges), so this gate may run on to 120 s.
  traefik-ab-gate:${template('traefik', '', '120s')}
  istio-gate:${template('istio', '\n    latencyP95: { max: 2s }')}
  nginx-gate:${template('ingress-nginx')}
  # Blue-green judges the switched stack alone (the old one serves nothing): a ceiling, no comparison. The ceiling
  # is a sequential test: 5 % against 3 % needs a few thousand requests (~8 000 at 400 rps within 20 s).
  istio-alone:
    provider: { prometheus: { urlEnv: ${PROM_ENV}, gateway: istio } }
    interval: 1s
    minSample: 200
    maxDuration: 20s
    errorRate: { max: 3% }
`;

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('canary analysis from gateway metrics in a real Prometheus', { timeout: 300_000 }, () => {
  let prometheus: RunningPrometheus | undefined;
  let gateway: SimulatedGateway | undefined;
  let clusters: Awaited<ReturnType<typeof startClusters>> | undefined;

  before(async () => {
    clusters = await startClusters(['sim-east']);
    gateway = new SimulatedGateway(clusters.sim('sim-east'), {
      namespace: 'shop',
      services: ['storefront', 'api', 'cart', 'search', 'checkout', 'beta'],
      requestsPerSecond: 400,
      errorRatio: (version) => (version === 'v2' ? 0.05 : 0.01),
      headerTraffic: { headers: { 'x-beta': 'on' }, share: 0.2 },
    });
    prometheus = await startPrometheus([await gateway.start()]);
    process.env[PROM_ENV] = prometheus.url;
  });
  after(async () => {
    await gateway?.stop();
    await prometheus?.stop();
    await clusters?.[Symbol.asyncDispose]();
    delete process.env[PROM_ENV];
  });

  it('fails a 5 % error canary and promotes a healthy one (Traefik route, ingress-nginx canary Ingress, Istio by workload); a Service shared by a replica-ratio canary is inconclusive', async () => {
    await using h = await startKubeRuntime(SPEC, clusters!.kubeconfig, clusters!.dir);
    const c = h.controller;
    const sim = clusters!.sim('sim-east');
    const image = (name: string) =>
      (
        sim.store.get(
          sim.served().find((r) => r.kind === 'Deployment')!,
          'shop',
          name,
        )?.object as Obj | undefined
      )?.['spec']['template']['spec']['containers'][0]['image'];
    const release = async (service: string, version: string) =>
      c.wait((await c.release({ changes: [{ service, version }] }, 't')).release.id);
    const analysisOf = (r: Awaited<ReturnType<typeof release>>) =>
      [...r.state.steps.values()].find((s) => s.evidence?.['template'])?.evidence;

    // The plan says beforehand which analysis cannot separate the versions.
    const plan = await runCli(
      'plan',
      'search@v3',
      'cart@v3',
      'api@v3',
      '-f',
      `${clusters!.dir}/slipway.yaml`,
    );
    assert.match(
      plan.stdout,
      /analysis nginx-gate of v3 vs v1 .*warning: ingress-nginx counts requests per Service, which this replica-ratio canary shares with stable/,
    );
    assert.equal(plan.stdout.match(/counts requests per Service/g)?.length, 1, plan.stdout);
    assert.match(
      plan.stdout,
      /analysis nginx-gate of v3 vs v1 .*search|search[\s\S]*analysis nginx-gate of v3 vs v1 .*warning/,
    );

    const first = await c.wait(
      (
        await c.release(
          {
            changes: ['storefront', 'api', 'cart', 'search', 'checkout', 'beta'].map((s) => ({
              service: s,
              version: 'v1',
            })),
          },
          't',
        )
      ).release.id,
    );
    assert.equal(first.state.status, 'succeeded', h.lines.join('\n'));

    for (const [svc, gate] of [
      ['storefront', 'traefik-gate'],
      ['api', 'istio-gate'],
      ['cart', 'nginx-gate'],
      ['beta', 'traefik-ab-gate'],
    ] as const) {
      const bad = await release(svc, 'v2');
      const evidence = analysisOf(bad);
      // On failure, where the requests went (backend, version, code): whether counts reached the right series.
      const tally = () => JSON.stringify(gateway!.tally());
      assert.equal(bad.state.status, 'rolled-back', `${svc}: ${JSON.stringify(evidence)} ${tally()}`);
      assert.equal(evidence?.['template'], gate);
      assert.equal(evidence?.verdict, 'fail', JSON.stringify(evidence));
      assert.match(evidence?.summary ?? '', /errors|error rate/);
      // Counted from the gateway's metrics; the sequential test may fail a 5 % canary before minSample (it needs
      // no minimum: its α holds at any sample), so only that there were counts.
      assert.ok(
        (evidence?.['canaryRequests'] as number) > 20,
        `judged on counted canary requests: ${JSON.stringify(evidence)}`,
      );
      assert.equal(image(svc), `registry.example.com/shop/${svc}:v1`);
      if (svc === 'beta') {
        // A/B: the canary was reached by the 20 % of requests with the header, and by nothing else.
        const sequential = (evidence?.['judgements'] as Obj[]).find((j) => 'canaryShare' in j)!;
        const share = sequential['canaryShare'] as number;
        assert.ok(share > 0.12 && share < 0.3, `canary share ${share} of ${JSON.stringify(evidence)}`);
      }

      const good = await release(svc, 'v3');
      const passed = analysisOf(good);
      assert.equal(
        good.state.status,
        'succeeded',
        `${svc}: ${JSON.stringify(passed)} ${JSON.stringify(gateway!.tally())}`,
      );
      assert.equal(passed?.verdict, 'pass');
      // Only Istio's template has a latency rule: the others promote early on the sequential test; Istio's is judged
      // at the end of the window on the histogram.
      assert.match(
        passed?.summary ?? '',
        svc !== 'api'
          ? /early promotion: no error regression/
          : /no error regression.*p95 latency [\d.]+ ms within 2000\.00 ms/,
      );
      assert.equal(image(svc), `registry.example.com/shop/${svc}:v3`);
    }

    // Blue-green, judged on Istio's counts for the switched stack's workload: a 5 % stack is switched back.
    const switchedBack = await release('checkout', 'v2');
    assert.equal(switchedBack.state.status, 'rolled-back', JSON.stringify(analysisOf(switchedBack)));
    assert.match(
      analysisOf(switchedBack)?.summary ?? '',
      /error rate [\d.]+% over \d+ requests exceeds 3\.00%/,
    );
    assert.equal(image('checkout'), 'registry.example.com/shop/checkout:v1');
    const green = await release('checkout', 'v3');
    assert.equal(green.state.status, 'succeeded', JSON.stringify(analysisOf(green)));
    assert.match(analysisOf(green)?.summary ?? '', /error rate [\d.]+% over \d+ requests within 3\.00%/);
    assert.equal(image('checkout'), 'registry.example.com/shop/checkout:v3');

    const shared = await release('search', 'v3');
    const evidence = analysisOf(shared);
    assert.equal(shared.state.status, 'rolled-back');
    assert.equal(evidence?.verdict, 'inconclusive');
    assert.match(evidence?.summary ?? '', /ingress-nginx counts requests per Service.*cannot be told apart/);
  });
});
