/**
 * Notifications on every occasion a person may want to hear of: a canary paused for promotion, an
 * inconclusive analysis, an abort — by default — and each step's completion for a channel that asks for it.
 * An occasion no channel wants is not even recorded in the log.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { eventually } from '../local/local-harness.js';
import { BASE_SPEC, startRuntime } from './engine-harness.js';
import { startReceiver } from './notify-receiver.js';

/** A template no test traffic can satisfy: its analyses end inconclusive. */
const STRICT = `
  strict:
    provider: builtin
    interval: 100ms
    minSample: 100000
    errorRate: { max: 1% }`;

const STEPS = '[{ weight: 50 }, { pause: { untilPromoted: true } }, { analysis: quick, for: 1s }]';

describe('notifications on more occasions', { timeout: 180_000 }, () => {
  it('paused, inconclusive and aborted by default; step-completed to the channel that asks', async () => {
    const receiver = await startReceiver('ok');
    const notify = `notify:
  webhooks:
    - { name: all, urlEnv: T_ALL }
    - { name: steps, urlEnv: T_STEPS, on: [step-completed] }`;
    const spec = BASE_SPEC({ notify, steps: STEPS, analysis: STRICT });
    await using h = await startRuntime(spec, {
      T_ALL: `${receiver.url}/all`,
      T_STEPS: `${receiver.url}/steps`,
    });
    const c = h.controller;
    const got = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => String(r.key));
    try {
      await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ann')).release.id);
      // Paused for promotion: told once, with the command; promoted, the release goes on.
      const v2 = (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ann')).release.id;
      await eventually(async () => (await c.get(v2)).state.status === 'paused', 30_000, 'the pause');
      await eventually(
        () => got('/all').some((k) => k.startsWith(`${v2}/paused/`)),
        10_000,
        'paused message',
      );
      // Every cluster pauses (staging, then each production wave): promote each pause as it comes.
      let promoted = 0;
      await eventually(
        async () => {
          const state = (await c.get(v2)).state;
          if (state.status === 'paused')
            await c.promote(v2, 'ann').then(
              () => promoted++,
              () => undefined,
            );
          return state.status === 'succeeded';
        },
        60_000,
        'v2 promoted through every pause',
      );
      assert.equal(promoted, 3);
      assert.equal(
        got('/all').filter((k) => k.startsWith(`${v2}/paused/`)).length,
        3,
        'one message per pause',
      );
      // Aborted during the next pause.
      const v3 = (await c.release({ changes: [{ service: 'web', version: 'v3' }] }, 'ann')).release.id;
      await eventually(async () => (await c.get(v3)).state.status === 'paused', 30_000, 'the pause');
      await c.abort(v3, 'bob', 'wrong build');
      assert.equal((await c.wait(v3)).state.status, 'rolled-back');
      await eventually(() => got('/all').includes(`${v3}/aborted`), 10_000, 'aborted message');
      const aborted = receiver.received.find((r) => r.key === `${v3}/aborted`);
      assert.match(String(aborted?.body['text']), /aborted by bob: wrong build/);

      const all = got('/all');
      assert.ok(all.includes(`${v2}/release-succeeded`));
      assert.ok(!all.some((k) => k.includes('/step/')), 'no step messages by default');
      // The steps channel: one message per completed step of v2, nothing else.
      const steps = got('/steps');
      const v2Steps = (await c.get(v2)).plan.steps.map((s) => `${v2}/step/${s.id}`);
      await eventually(() => v2Steps.every((k) => got('/steps').includes(k)), 10_000, 'step messages');
      assert.ok(
        steps.every((k) => k.includes('/step/')),
        steps.join(', '),
      );
    } finally {
      receiver.close();
    }
  });

  it('an inconclusive analysis is told; an occasion nobody wants is not recorded', async () => {
    const receiver = await startReceiver('ok');
    const spec = BASE_SPEC({
      notify: 'notify:\n  webhooks: [{ name: all, urlEnv: T_ALL }]',
      steps: '[{ weight: 50 }, { analysis: strict, for: 500ms }]',
      analysis: STRICT,
    });
    await using h = await startRuntime(spec, { T_ALL: `${receiver.url}/all` });
    const c = h.controller;
    try {
      await c.wait((await c.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ann')).release.id);
      const id = (await c.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ann')).release.id;
      assert.equal((await c.wait(id)).state.status, 'rolled-back');
      await eventually(
        () => receiver.received.some((r) => String(r.key).startsWith(`${id}/inconclusive/`)),
        10_000,
        'inconclusive message',
      );
      const message = receiver.received.find((r) => String(r.key).startsWith(`${id}/inconclusive/`));
      assert.match(String(message?.body['text']), /only 0 of the 100000 canary requests needed|inconclusive/);
      const sent = (await h.runtime.store.events(id))
        .filter((e) => e.type === EventType.notificationSent)
        .map((e) => String(e.payload['event']));
      assert.ok(!sent.includes('step-completed'), 'nobody asked for step messages: none recorded');
    } finally {
      receiver.close();
    }
  });
});
