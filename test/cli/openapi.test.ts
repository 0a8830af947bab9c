/** The API describes itself: an OpenAPI 3.1 document whose request bodies are the schemas that validate them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpApi } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('GET /v1/openapi.json', { timeout: 60_000 }, () => {
  it('lists every route with its role, and each body as the validating schema', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller);
    const url = await api.listen(0);
    try {
      const doc = (await (await fetch(`${url}/v1/openapi.json`)).json()) as Obj;
      assert.equal(doc['openapi'], '3.1.0');
      assert.deepEqual(Object.keys(doc['paths']).sort(), [
        '/',
        '/assets/{file}',
        '/healthz',
        '/v1/dora',
        '/v1/lint',
        '/v1/openapi.json',
        '/v1/plan',
        '/v1/releases',
        '/v1/releases/{id}',
        '/v1/releases/{id}/abort',
        '/v1/releases/{id}/approve',
        '/v1/releases/{id}/diagnostics',
        '/v1/releases/{id}/events',
        '/v1/releases/{id}/promote',
        '/v1/releases/{id}/stream',
        '/v1/render',
        '/v1/rollback',
        '/v1/services',
        '/v1/whoami',
      ]);
      assert.equal(doc['paths']['/v1/releases/{id}/stream']['get']['x-slipway-role'], 'viewer');
      const post = doc['paths']['/v1/releases']['post'];
      assert.equal(post['x-slipway-role'], 'operator');
      const schema = post['requestBody']['content']['application/json']['schema'];
      assert.deepEqual(schema['required'], ['request']);
      const change = schema['properties']['request']['properties']['changes'];
      assert.equal(change['maxItems'], 500);
      assert.deepEqual(change['items']['required'], ['service', 'version']);
      assert.equal(doc['paths']['/v1/releases/{id}/approve']['post']['x-slipway-role'], 'approver');
      assert.deepEqual(doc['paths']['/healthz']['get']['security'], []);
      // What the document says is required, the server requires.
      const bad = await fetch(`${url}/v1/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request: { changes: [{ service: 'web' }] } }),
      });
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as Obj)['error']['message'], /request\.changes\.0\.version/);
    } finally {
      await api.close();
    }
  });
});
