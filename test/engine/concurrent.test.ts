/**
 * Concurrent releases on the local target: ten releases of different services run at once and all finish;
 * a release that would change a service another one is changing on the same cluster is refused, naming it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startRuntime } from './engine-harness.js';

const service = (name: string) => `
  ${name}:
    image: registry.example.com/${name}
    local: { command: node examples/demo/service.js, gracePeriod: 2s }
    port: 8080
    replicas: 1
    health: { readiness: { path: /health/ready, period: 200ms } }
    release: { strategy: rolling }`;

const SERVICES = ['web', 'api', 'worker', 'mailer', 'search', 'cart', 'auth', 'billing', 'media', 'notify'];

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: concurrent }
environments:
  staging:
    clusters: { stg: { local: {} } }
services:${SERVICES.map(service).join('')}
`;

describe('concurrent releases', { timeout: 180_000 }, () => {
  it('runs ten releases of different services at once, and refuses one that would interleave', async () => {
    await using h = await startRuntime(SPEC);
    const c = h.controller;
    const services = SERVICES;
    const started = await Promise.all(
      services.map((s) => c.release({ changes: [{ service: s, version: 'v1' }] }, 'ivy')),
    );
    // While they run, another release of web on the same cluster is refused, whichever it races with.
    await assert.rejects(
      c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy'),
      (e: Error & { code?: string }) =>
        e.code === 'RELEASE_IN_PROGRESS' &&
        new RegExp(`release ${started[0]!.release.id} is still \\w+ and changes web on stg`).test(e.message),
    );
    const done = await Promise.all(started.map((s) => c.wait(s.release.id)));
    assert.deepEqual(
      done.map((d) => d.state.status),
      services.map(() => 'succeeded'),
      done.map((d) => d.state.failure?.reason).join('; '),
    );
    // At once, not one after another: every release had begun before any of them ended.
    const spans = await Promise.all(
      started.map(async (s) => {
        const events = await h.runtime.store.events(s.release.id);
        const first = events.find((e) => e.type === 'step-started')!;
        return { begun: Date.parse(first.time), ended: Date.parse(events.at(-1)!.time) };
      }),
    );
    assert.ok(
      Math.max(...spans.map((x) => x.begun)) < Math.min(...spans.map((x) => x.ended)),
      JSON.stringify(spans),
    );
    const stg = h.runtime.localTargets.get('stg')!;
    for (const s of services) {
      const status = await stg.observe({ service: s, cluster: 'stg' });
      assert.deepEqual(status.groups.find((g) => g.group === 'stable')?.versions, ['v1'], s);
    }
    // Once they are done, web can be released again.
    const again = await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy')).release.id,
    );
    assert.equal(again.state.status, 'succeeded');
  });
});
