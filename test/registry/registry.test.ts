/**
 * The registry preflight against the real distribution server: a pushed tag exists, a missing one is
 * named; the bearer-token flow through a front that demands a token; a release whose image tag is
 * missing stops at preflight and changes nothing on the cluster.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { OciRegistry } from '../../src/registry/oci-registry.js';
import { startClusters, startKubeRuntime } from '../kube/kube-harness.js';
import { startRegistry } from './registry-harness.js';

describe('registry preflight (docker-registry)', { timeout: 120_000 }, () => {
  it('finds a pushed tag with its digest and names a missing one', async () => {
    await using registry = await startRegistry();
    const digest = await registry.push('shop/web', 'v2');
    const client = new OciRegistry();
    const found = await client.exists(`${registry.host}/shop/web`, 'v2');
    assert.deepEqual(found, { found: true, detail: `${registry.host}/shop/web:v2 (${digest})` });
    const missing = await client.exists(`${registry.host}/shop/web`, 'v3');
    assert.equal(missing.found, false);
    assert.match(missing.detail, /shop\/web:v3 is not in 127\.0\.0\.1:\d+/);
  });

  it('follows the bearer-token flow a registry asks for', async () => {
    await using registry = await startRegistry();
    await registry.push('shop/web', 'v2');
    let tokensIssued = 0;
    // A front that answers 401 with a Bearer challenge until it sees the token its realm issued.
    const front = createServer((req, res) => {
      if (req.url?.startsWith('/token')) {
        tokensIssued++;
        assert.match(req.url, /scope=repository%3Ashop%2Fweb%3Apull/);
        res.end(JSON.stringify({ token: 'granted' }));
        return;
      }
      if (req.headers.authorization !== 'Bearer granted') {
        const realm = `http://127.0.0.1:${(front.address() as { port: number }).port}/token`;
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm}",service="registry"` }).end();
        return;
      }
      void fetch(`${registry.url}${req.url}`, {
        method: req.method!,
        headers: { accept: String(req.headers.accept) },
      }).then((r) => {
        res
          .writeHead(r.status, { 'docker-content-digest': r.headers.get('docker-content-digest') ?? '' })
          .end();
      });
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    try {
      const host = `127.0.0.1:${(front.address() as { port: number }).port}`;
      const check = await new OciRegistry().exists(`${host}/shop/web`, 'v2');
      assert.equal(check.found, true, check.detail);
      assert.equal(tokensIssued, 1);
    } finally {
      front.close();
    }
  });

  it('stops a release whose new tag is not in the registry, before anything changes', async () => {
    await using registry = await startRegistry();
    await registry.push('shop/web', 'v2');
    await using clusters = await startClusters(['sim-east']);
    const spec = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: registry }
environments:
  production:
    namespace: shop
    clusters: { east: { kubernetes: { context: sim-east } } }
services:
  web:
    image: ${registry.host}/shop/web
    version: v1
    port: 8080
    replicas: 2
    health: { readiness: /health }
    release: { strategy: rolling }
release:
  preflight: { registry: "${registry.host}" }
`;
    await using h = await startKubeRuntime(spec, clusters.kubeconfig, clusters.dir);
    const bad = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v3' }] }, 't')).release.id,
    );
    assert.notEqual(bad.state.status, 'succeeded');
    assert.match(
      bad.state.failure?.reason ?? '',
      /missing from 127\.0\.0\.1:\d+: 127\.0\.0\.1:\d+\/shop\/web:v3 is not in/,
    );
    assert.equal(
      clusters.sim('sim-east').requests.filter((r) => r.method === 'PATCH').length,
      0,
      'nothing applied',
    );
    const good = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 't')).release.id,
    );
    assert.equal(good.state.status, 'succeeded', h.lines.join('\n'));
    assert.match(
      good.state.steps.get('preflight/images')?.evidence?.summary ?? '',
      /shop\/web:v2 \(sha256:[0-9a-f]{64}\)/,
    );
  });
});
