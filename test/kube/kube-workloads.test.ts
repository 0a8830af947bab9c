/** Rolling releases of a StatefulSet and a DaemonSet on a simulated cluster, and a crash loop in each caught and rolled back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startClusters, startKubeRuntime } from './kube-harness.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: workloads }
environments:
  production:
    namespace: infra
    clusters: { east: { kubernetes: { context: sim-east } } }
services:
  db:
    image: registry.example.com/infra/db
    version: v1
    workload: statefulset
    port: 5432
    replicas: 3
    health: { readiness: /ready }
    release: { strategy: rolling }
  agent:
    image: registry.example.com/infra/agent
    version: v1
    workload: daemonset
    port: 9100
    health: { readiness: /ready }
    release: { strategy: rolling }
`;

const imageOf = (object: unknown) =>
  (object as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec
    .containers[0]?.image;

describe('StatefulSets and DaemonSets on a simulated cluster', { timeout: 120_000 }, () => {
  it('rolls both out, and rolls a crash loop back to the version before', async () => {
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const c = h.controller;
    const release = async (version: string) =>
      c.wait(
        (
          await c.release(
            {
              changes: [
                { service: 'db', version },
                { service: 'agent', version },
              ],
            },
            'test',
          )
        ).release.id,
      );
    assert.equal((await release('v2')).state.status, 'succeeded', h.lines.join('\n'));
    const sim = clusters.sim('sim-east');
    const get = (kind: string, name: string) =>
      sim.store.get(
        sim.served().find((r) => r.kind === kind)!,
        'infra',
        name,
      )?.object;
    assert.equal(imageOf(get('StatefulSet', 'db')), 'registry.example.com/infra/db:v2');
    assert.equal(imageOf(get('DaemonSet', 'agent')), 'registry.example.com/infra/agent:v2');
    assert.equal(
      (get('DaemonSet', 'agent') as { status: { numberReady: number } }).status.numberReady,
      3,
      'one pod per node',
    );

    const bad = await release('v3-crashloop');
    assert.equal(bad.state.status, 'rolled-back');
    assert.match(bad.state.failure?.reason ?? '', /CrashLoopBackOff/);
    assert.equal(imageOf(get('StatefulSet', 'db')), 'registry.example.com/infra/db:v2');
    assert.equal(imageOf(get('DaemonSet', 'agent')), 'registry.example.com/infra/agent:v2');
  });
});
