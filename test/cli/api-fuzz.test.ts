/**
 * The API under arbitrary bodies and paths (fast-check, bounded): every answer is a 4xx that names what is
 * wrong, never a 5xx; a body over the limit is refused without being read whole.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request } from 'node:http';
import fc from 'fast-check';
import { HttpApi } from '../../src/server/http-api.js';
import { BASE_SPEC, startRuntime } from '../engine/engine-harness.js';
import { assertPeakMemoryBounded } from '../fuzz-memory.js';

describe('API bodies, fuzzed', { timeout: 180_000 }, () => {
  it('answers arbitrary JSON bodies on every route with a 4xx, never a 5xx', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller);
    const url = await api.listen(0);
    try {
      const routes = [
        '/v1/releases',
        '/v1/rollback',
        '/v1/releases/r1/approve',
        '/v1/releases/r1/promote',
        '/v1/releases/r1/abort',
      ];
      const body = fc.oneof(
        fc.jsonValue(),
        fc.record({ request: fc.jsonValue(), actor: fc.jsonValue() }, { requiredKeys: [] }),
        fc.record({
          request: fc.record(
            {
              changes: fc.array(
                fc.record({ service: fc.string(), version: fc.string() }, { requiredKeys: [] }),
                { maxLength: 3 },
              ),
            },
            { requiredKeys: [] },
          ),
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...routes), body, async (route, value) => {
          const res = await fetch(`${url}${route}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(value),
          });
          const answer = (await res.json()) as { error?: { code: string; message: string } };
          assert.ok(
            res.status < 500,
            `${route} ${JSON.stringify(value).slice(0, 200)} → ${res.status} ${JSON.stringify(answer)}`,
          );
          if (res.status >= 400) assert.ok(answer.error?.code && answer.error.message);
        }),
        { numRuns: 300, seed: 20261130 },
      );
      assertPeakMemoryBounded();
      const json = { 'content-type': 'application/json' };
      const notJson = await fetch(`${url}/v1/releases`, {
        method: 'POST',
        headers: json,
        body: '{"request":',
      });
      assert.equal(notJson.status, 400);
      const empty = await fetch(`${url}/v1/releases`, { method: 'POST', headers: json, body: '{}' });
      assert.equal(empty.status, 400);
      assert.match(((await empty.json()) as { error: { message: string } }).error.message, /^request: /);
      const badPath = await fetch(`${url}/v1/releases/%E0%A4%A/approve`, {
        method: 'POST',
        headers: json,
        body: '{}',
      });
      assert.equal(badPath.status, 400);
      const huge = await fetch(`${url}/v1/releases`, {
        method: 'POST',
        headers: json,
        body: 'x'.repeat(3 * 1024 * 1024),
      }).catch(() => undefined);
      if (huge) assert.equal(huge.status, 413);
    } finally {
      await api.close();
    }
  });

  it('refuses what a web page could send: a cross-site form, a foreign Origin, a rebound Host', async () => {
    await using h = await startRuntime(BASE_SPEC());
    const api = new HttpApi(h.controller);
    const url = await api.listen(0);
    const release = JSON.stringify({
      request: { changes: [{ service: 'web', version: 'v1' }] },
      actor: 'ceo',
    });
    try {
      const form = await fetch(`${url}/v1/releases`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: release,
      });
      assert.equal(form.status, 415);
      const evil = await fetch(`${url}/v1/releases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
        body: release,
      });
      assert.equal(evil.status, 403);
      const port = new URL(url).port;
      const rebound = await new Promise<number>((resolve, reject) =>
        request(
          { host: '127.0.0.1', port, path: '/v1/releases', headers: { host: 'attacker.example' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', reject)
          .end(),
      );
      assert.equal(rebound, 403);
      assert.deepEqual(await h.controller.list(), [], 'nothing was released');
    } finally {
      await api.close();
    }
  });
});
