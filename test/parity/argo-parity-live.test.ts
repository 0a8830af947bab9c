/**
 * Parity specs released on the local target, as their Argo Rollouts examples run: a blue-green release that
 * waits for a person before the switch, and a canary at 0 % of the traffic reached only by a header, then
 * weighted in after `promote`. Only pause lengths are shortened.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { startRuntime } from '../engine/engine-harness.js';
import { eventually } from '../local/local-harness.js';

const versionOf = async (endpoint: string, headers: Record<string, string> = {}) =>
  (await fetch(`${endpoint}/`, { headers })).headers.get('x-served-by')?.split('@')[1]?.split('/')[0];

async function parityRuntime(file: string, shorten: [string, string][]) {
  let text = readFileSync(`examples/argo-parity/${file}`, 'utf8');
  for (const [from, to] of shorten) {
    assert.ok(text.includes(from), `${file} has ${from}`);
    text = text.replace(from, to);
  }
  const h = await startRuntime(text);
  const c = h.controller;
  const first = await c.wait(
    (await c.release({ changes: [{ service: 'rollouts-demo', version: 'blue' }] }, 'kim')).release.id,
  );
  assert.equal(first.state.status, 'succeeded', first.state.failure?.reason);
  const id = (await c.release({ changes: [{ service: 'rollouts-demo', version: 'green' }] }, 'kim')).release
    .id;
  await eventually(async () => (await c.get(id)).state.status === 'paused', 60_000, 'the pause');
  return Object.assign(h, { id, endpoint: h.runtime.localTargets.get('local-1')!.endpoint('rollouts-demo') });
}

describe('Argo Rollouts parity on the local target', { timeout: 240_000 }, () => {
  it('blue-green with a manual gate: green waits as preview, `promote` switches, blue is kept for the delay', async () => {
    await using h = await parityRuntime('bluegreen.yaml', [['scaleDownDelay: 30s', 'scaleDownDelay: 1s']]);
    for (let i = 0; i < 20; i++) assert.equal(await versionOf(h.endpoint), 'blue');
    const groups = (
      await h.runtime.localTargets.get('local-1')!.observe({ service: 'rollouts-demo', cluster: 'local-1' })
    ).groups;
    assert.deepEqual(groups.find((g) => g.group === 'preview')?.versions, ['green']);
    await h.controller.promote(h.id, 'kim');
    const view = await h.controller.wait(h.id);
    assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
    for (let i = 0; i < 20; i++) assert.equal(await versionOf(h.endpoint), 'green');
  });

  it('a 0 %-traffic canary reached by header, then weighted in after `promote`', async () => {
    await using h = await parityRuntime('header-routing.yaml', [['{ pause: 10s }', '{ pause: 1s }']]);
    for (let i = 0; i < 20; i++) {
      assert.equal(await versionOf(h.endpoint), 'blue', 'no request without the header reaches the canary');
      assert.equal(await versionOf(h.endpoint, { 'x-canary': 'true' }), 'green');
    }
    await h.controller.promote(h.id, 'kim');
    await eventually(
      async () => {
        const seen = new Set<string | undefined>();
        for (let i = 0; i < 40; i++) seen.add(await versionOf(h.endpoint));
        return seen.has('green') && seen.has('blue');
      },
      30_000,
      'the 50 % step',
    );
    const view = await h.controller.wait(h.id);
    assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
    for (let i = 0; i < 20; i++) assert.equal(await versionOf(h.endpoint), 'green');
  });
});
