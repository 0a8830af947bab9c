/**
 * Priority groups on the local target: services go group by group, and `pauseAfter` holds the release after
 * its group until `slipway promote` — the next group's service is untouched until then.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../local/local-harness.js';
import { startRuntime } from './engine-harness.js';

const service = (name: string) => `
  ${name}:
    image: registry.example.com/${name}
    local: { command: node examples/demo/service.js }
    port: 8080
    health: { readiness: { path: /health/ready, period: 200ms } }
    release: { strategy: rolling }`;

const SPEC = `
apiVersion: slipway.dev/v1
kind: Platform
metadata: { name: priorities }
environments:
  staging:
    clusters: { stg: { local: {} } }
priorities:
  - { name: 1A, services: [mesh], pauseAfter: true }
  - { name: 1B, services: [identity] }
services:${service('identity')}${service('mesh')}
`;

describe('priority groups', { timeout: 120_000 }, () => {
  it('pauseAfter waits for promote after its group before the next group starts', async () => {
    await using h = await startRuntime(SPEC);
    const c = h.controller;
    const running = async () =>
      Object.fromEntries((await c.services()).map((d) => [d.service, d.groups.stable?.version]));
    const id = (
      await c.release(
        {
          changes: [
            { service: 'identity', version: 'v1' },
            { service: 'mesh', version: 'v1' },
          ],
        },
        'ops',
      )
    ).release.id;
    await eventually(async () => (await c.get(id)).state.status === 'paused', 60_000, 'the pause after 1A');
    const view = await c.get(id);
    const pause = view.plan.steps.find((s) => s.kind === 'pause');
    assert.equal(pause?.id, 'staging/stg/mesh/04-pause-after-1A');
    assert.match(
      pause?.title ?? '',
      /priority group 1A is through on stg: wait for slipway promote before identity/,
    );
    assert.deepEqual(await running(), { mesh: 'v1' }, 'identity waits');
    await c.promote(id, 'ops');
    const done = await c.wait(id);
    assert.equal(done.state.status, 'succeeded', h.lines.join('\n'));
    assert.deepEqual(await running(), { mesh: 'v1', identity: 'v1' });
  });
});
