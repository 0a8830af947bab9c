/**
 * Releases on simulated Kubernetes clusters: what is applied is what render prints; a rolling release
 * goes through staging and two waves; a crash-looping version is caught with the pod and exit code named
 * and rolled back on every touched cluster in reverse order; transient API faults change nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredObjects } from '../../src/targets/kubernetes/desired-objects.js';
import { getPath, type Json, leafPaths } from '../kube-sim/field-ownership.js';
import { startClusters, startKubeRuntime } from './kube-harness.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: kubetest }
environments:
  staging:
    namespace: staging
    clusters: { stg: { kubernetes: { context: sim-stg } } }
  production:
    namespace: shop
    clusters:
      east: { kubernetes: { context: sim-east } }
      west: { kubernetes: { context: sim-west } }
    waves: [[east], [west]]
services:
  web:
    image: registry.example.com/shop/web
    version: v1
    port: 8080
    replicas: 3
    health: { readiness: /health, liveness: /health }
    resources: { requests: { cpu: 100m, memory: 64Mi }, limits: { cpu: 500m, memory: 128Mi } }
    release:
      strategy: rolling
      maxSurge: 1
      maxUnavailable: 0
      progressDeadline: 10m
      checks: [smoke, kubectl-sees-it]
checks:
  smoke: { http: { path: /health, expect: 200 } }
  kubectl-sees-it:
    command:
      run: kubectl --context "$SLIPWAY_KUBE_CONTEXT" -n "$SLIPWAY_NAMESPACE" get deployment {{service}} -o jsonpath='{.spec.template.spec.containers[0].image}'
      expectOutput: "web:{{version}}$"
      timeout: 30s
`;

const CONTEXTS = ['sim-stg', 'sim-east', 'sim-west'];

interface Snap {
  cluster: string;
  snapshot: { objects: { ref: { kind: string; name: string; namespace?: string }; live: unknown }[] };
}

type Live = { spec: { template: { spec: { containers: { image: string }[] } } } };

describe('releases on Kubernetes clusters (simulated)', { timeout: 180_000 }, () => {
  it('applies exactly what render prints, through staging and both waves, and rolls a crash loop back everywhere', async () => {
    await using clusters = await startClusters(CONTEXTS);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;

    const first = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release.id,
    );
    assert.equal(first.state.status, 'succeeded', h.lines.join('\n'));
    // The http check went through each API server's service proxy; the command check ran the real kubectl.
    for (const context of CONTEXTS)
      assert.ok(
        clusters.sim(context).requests.some((r) => /\/services\/web:8080\/proxy\/health$/.test(r.path)),
        context,
      );
    const command = first.state.steps.get('production/west/web/03-check')?.evidence;
    assert.equal(command?.verdict, 'pass', JSON.stringify(command));

    // What is applied is what render prints: every rendered field is live, with render's value.
    for (const [cluster, context] of [
      ['stg', 'sim-stg'],
      ['east', 'sim-east'],
      ['west', 'sim-west'],
    ] as const) {
      const objects = desiredObjects(h.spec, cluster, 'web', 'v2');
      assert.ok(objects.some((o) => o.kind === 'Deployment') && objects.some((o) => o.kind === 'Namespace'));
      for (const object of objects) {
        const resource = clusters
          .sim(context)
          .served()
          .find((r) => r.kind === object.kind)!;
        const live = clusters
          .sim(context)
          .store.get(resource, object.metadata.namespace, object.metadata.name);
        assert.ok(live, `${cluster}: ${object.kind} ${object.metadata.name} was applied`);
        for (const path of leafPaths(object as unknown as Json))
          assert.deepEqual(
            getPath(live.object, path),
            getPath(object as unknown as Json, path),
            `${cluster}: ${object.kind}.${path}`,
          );
        assert.ok(live.owners['slipway'], 'owned by the field manager slipway');
      }
    }

    // v3 crash-loops. Staging catches it first; fail it only in the second wave by making staging healthy.
    const bad = await c.wait(
      (
        await c.release(
          { changes: [{ service: 'web', version: 'v3-crashloop' }], environments: ['staging'] },
          'test',
        )
      ).release.id,
    );
    assert.equal(bad.state.status, 'rolled-back');
    assert.match(
      bad.state.failure?.reason ?? '',
      /pod web-\S+ container \S+ is in CrashLoopBackOff.*exit code 1/,
    );
    const deployment = (context: string) => {
      const resource = clusters
        .sim(context)
        .served()
        .find((r) => r.kind === 'Deployment')!;
      const ns = context === 'sim-stg' ? 'staging' : 'shop';
      return clusters.sim(context).store.get(resource, ns, 'web')?.object as unknown as Live | undefined;
    };
    assert.equal(
      deployment('sim-stg')?.spec.template.spec.containers[0]?.image,
      'registry.example.com/shop/web:v2',
    );
  });

  it('rolls a version that crash-loops only in the second wave back on every touched cluster, in reverse order, through API faults', async () => {
    // v3 is fine on staging and in the first wave; in the second wave's cluster its pods crash-loop.
    await using clusters = await startClusters(
      CONTEXTS,
      {},
      {
        'sim-west': { badImage: (image) => (image.endsWith(':v3') ? 'crashloop' : undefined) },
      },
    );
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const ok = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release.id,
    );
    assert.equal(ok.state.status, 'succeeded', h.lines.join('\n'));

    // Someone scaled the first wave's Deployment by hand: the exact restore must bring that back too.
    const scaled = await fetch(
      `${clusters.sim('sim-east').url}/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=kubectl-scale`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          spec: { replicas: 4 },
          metadata: { labels: { 'team.example.com/owner': 'nora' } },
        }),
      },
    );
    assert.equal(scaled.status, 200);

    // Transient faults on the first wave's cluster: 500s on applies, a 429 with Retry-After on reads.
    const east = clusters.sim('sim-east');
    east.faults.push(
      { match: (m) => m === 'PATCH', fault: { status: 500 }, times: 2 },
      {
        match: (m, p) => m === 'GET' && p.includes('/deployments/'),
        fault: { status: 429, retryAfterSeconds: 1 },
        times: 1,
      },
    );
    const id = (await c.release({ changes: [{ service: 'web', version: 'v3' }] }, 'test')).release.id;
    const bad = await c.wait(id);
    assert.equal(bad.state.status, 'rolled-back', h.lines.join('\n'));
    assert.equal(
      east.faults.reduce((n, f) => n + f.times, 0),
      0,
      'every injected fault was met',
    );
    assert.match(
      bad.state.failure?.reason ?? '',
      /west: pod web-\S+ container \S+ is in CrashLoopBackOff.*exit code 1/,
    );

    const events = await h.runtime.store.events(id);
    const restored = events
      .filter((e) => e.type === 'rollback-step-completed')
      .map((e) => String((e.payload as { step: string }).step))
      .filter((s) => s.endsWith('-stable'));
    assert.deepEqual(
      restored.map((s) => s.split('/')[2]),
      ['west', 'east', 'stg'],
      'stable restored on every touched cluster, the last touched first',
    );
    // Every object the release touched equals its backup again (server-set fields aside).
    const backups = events
      .filter((e) => e.type === 'step-completed')
      .flatMap((e) => (e.payload as { result?: { snapshots?: Snap[] } }).result?.snapshots ?? []);
    assert.equal(backups.length, 3, 'one snapshot per touched cluster');
    for (const b of backups) {
      const sim = clusters.sim(`sim-${b.cluster}`);
      for (const { ref, live: before } of b.snapshot.objects) {
        assert.ok(before, `${ref.kind} ${ref.name} existed before v3`);
        const resource = sim.served().find((r) => r.kind === ref.kind)!;
        const now = sim.store.get(resource, ref.namespace, ref.name)!.object;
        assert.deepEqual(
          leafPaths(now).sort(),
          leafPaths(before as Json).sort(),
          `${b.cluster}: ${ref.kind} ${ref.name} fields`,
        );
        for (const path of leafPaths(before as Json))
          assert.deepEqual(
            getPath(now, path),
            getPath(before as Json, path),
            `${b.cluster}: ${ref.kind}.${path}`,
          );
      }
    }
    for (const [context, ns] of [
      ['sim-stg', 'staging'],
      ['sim-east', 'shop'],
      ['sim-west', 'shop'],
    ] as const) {
      const sim = clusters.sim(context);
      const live = sim.store.get(
        sim.served().find((r) => r.kind === 'Deployment')!,
        ns,
        'web',
      )?.object as unknown as Live;
      assert.equal(live.spec.template.spec.containers[0]?.image, 'registry.example.com/shop/web:v2', context);
      if (context === 'sim-east')
        assert.equal((live.spec as { replicas?: number }).replicas, 4, 'the hand-made scale is back');
    }
  });

  it('deletes what a failed first release created, and keeps the namespace', async () => {
    await using clusters = await startClusters(['sim-stg', 'sim-east', 'sim-west']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const request = { changes: [{ service: 'web', version: 'v2-crashloop' }], environments: ['staging'] };
    const id = (await c.release(request, 'test')).release.id;
    assert.equal((await c.wait(id)).state.status, 'rolled-back');
    const sim = clusters.sim('sim-stg');
    const left = ['Deployment', 'Service', 'NetworkPolicy', 'Pod'].flatMap((kind) =>
      sim.store
        .list(
          sim.served().find((r) => r.kind === kind)!,
          'staging',
        )
        .map((o) => `${kind}/${(o.object['metadata'] as { name: string }).name}`),
    );
    assert.deepEqual(left, []);
    assert.ok(
      sim.store.get(
        sim.served().find((r) => r.kind === 'Namespace')!,
        undefined,
        'staging',
      ),
    );
  });
});
