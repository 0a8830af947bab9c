/**
 * Preflight on clusters, before anything changes: the API server answers, every kind is served (a
 * missing CRD names the service), each verb is allowed (a denial names the RBAC rule to add); a missing
 * kubeconfig context and an unreachable server are located, clear failures.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { kubeconfigText } from '../kube-sim/kubeconfig.js';
import { startClusters, startKubeRuntime } from './kube-harness.js';

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: preflight }
environments:
  production:
    namespace: shop
    clusters:
      east: { kubernetes: { context: sim-east } }
services:
  web:
    image: registry.example.com/shop/web
    version: v1
    port: 8080
    replicas: 2
    health: { readiness: /health }
    metrics: { path: /metrics }
    release: { strategy: rolling }
`;

const applied = (sim: { requests: { method: string }[] }) =>
  sim.requests.filter((r) => r.method === 'PATCH').length;

describe('preflight on Kubernetes clusters (simulated)', { timeout: 120_000 }, () => {
  it('names the missing RBAC rule and the missing CRD with the service that needs it, and changes nothing', async () => {
    await using clusters = await startClusters(['sim-east'], {
      crds: ['httproutes.gateway.networking.k8s.io'], // no ServiceMonitor CRD
    });
    clusters
      .sim('sim-east')
      .denials.push(
        { verb: 'patch', resource: 'deployments', namespace: 'shop' },
        { verb: 'get', resource: 'services/proxy', namespace: 'shop' },
      );
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release
      .id;
    const view = await h.controller.wait(id);
    assert.notEqual(view.state.status, 'succeeded');
    const reason = view.state.failure?.reason ?? '';
    assert.match(reason, /cluster east \(context sim-east\): Kubernetes v1\.31\.0-kube-sim/);
    assert.match(
      reason,
      /ServiceMonitor \(monitoring\.coreos\.com\/v1\) is not served: install its CRD \(needed by web\)/,
    );
    assert.match(
      reason,
      /missing permission: patch deployments\.apps in namespace shop — add to a Role: \{ apiGroups: \["apps"\], resources: \["deployments"\], verbs: \["patch"\] \}/,
    );
    assert.match(reason, /missing permission: get services\/proxy in namespace shop/);
    assert.equal(applied(clusters.sim('sim-east')), 0, 'nothing was applied');
  });

  it('passes on a cluster that has everything', async () => {
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(SPEC, clusters.kubeconfig, clusters.dir);
    const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release
      .id;
    const view = await h.controller.wait(id);
    assert.equal(view.state.status, 'succeeded', h.lines.join('\n'));
    const preflight = view.state.steps.get('preflight/cluster/east')?.evidence;
    assert.equal(preflight?.verdict, 'pass');
    assert.match(preflight?.summary ?? '', /Kubernetes v1\.31\.0-kube-sim/);
  });

  it('checks prerequisites on each cluster with the real kubectl, and names how to install a missing one', async () => {
    const context = 'kubectl --context "$SLIPWAY_KUBE_CONTEXT"';
    const spec = `${SPEC}
prerequisites:
  - name: api-server
    check: ${context} get --raw /version
  - name: x0tta6bl4-root-ca
    description: ClusterIssuer for the root CA
    check: ${context} get clusterissuers.cert-manager.io x0tta6bl4-root-ca
    helm: { chart: jetstack/cert-manager, repo: https://charts.jetstack.io, namespace: cert-manager }
`;
    await using clusters = await startClusters(['sim-east']);
    await using h = await startKubeRuntime(spec, clusters.kubeconfig, clusters.dir);
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release.id,
    );
    assert.notEqual(view.state.status, 'succeeded');
    assert.equal(view.state.steps.get('preflight/east/prerequisite-api-server')?.evidence?.verdict, 'pass');
    assert.match(
      view.state.failure?.reason ?? '',
      /prerequisite x0tta6bl4-root-ca is missing on east \(.*\); install it: helm install x0tta6bl4-root-ca jetstack\/cert-manager --repo https:\/\/charts\.jetstack\.io -n cert-manager --create-namespace/,
    );
    assert.equal(applied(clusters.sim('sim-east')), 0, 'nothing was applied');
  });

  it('fails clearly on an unreachable API server and on a context the kubeconfig lacks', async () => {
    await using clusters = await startClusters(['sim-east']);
    // The kubeconfig points at a port nobody listens on.
    const dead = join(clusters.dir, 'dead.kubeconfig');
    writeFileSync(dead, kubeconfigText([{ context: 'sim-east', url: 'http://127.0.0.1:9' }]));
    await using h = await startKubeRuntime(SPEC, dead, clusters.dir);
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release.id,
    );
    assert.match(
      view.state.failure?.reason ?? '',
      /cluster east \(context sim-east\) is unreachable: .*ECONNREFUSED/,
    );

    const other = join(clusters.dir, 'other.kubeconfig');
    writeFileSync(other, kubeconfigText([{ context: 'somewhere-else', url: clusters.sim('sim-east').url }]));
    mkdirSync(join(clusters.dir, 'second'));
    await using h2 = await startKubeRuntime(SPEC, other, join(clusters.dir, 'second'));
    const view2 = await h2.controller.wait(
      (await h2.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'test')).release.id,
    );
    assert.match(
      view2.state.failure?.reason ?? '',
      /the context "sim-east" is not in the kubeconfig .* \(it has: somewhere-else\)/,
    );
  });
});
