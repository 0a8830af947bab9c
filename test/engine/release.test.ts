/** The release engine against real local processes: strategies, gates, rollback, approval, notifications. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { LoadGenerator } from '../../src/loadgen/load-generator.js';
import { freePort } from '../../src/targets/local/free-port.js';
import { eventually } from '../local/local-harness.js';
import { BASE_SPEC, startRuntime } from './engine-harness.js';
import { startReceiver } from './notify-receiver.js';

const stableVersions = async (runtime: Awaited<ReturnType<typeof startRuntime>>['runtime']) =>
  Object.fromEntries((await runtime.controller.services()).map((d) => [d.cluster, d.groups.stable?.version]));

describe('release engine', { timeout: 300_000 }, () => {
  it('releases a healthy canary through staging and two waves under load, losing no request, and notifies once', async () => {
    const good = await startReceiver('ok');
    const slow = await startReceiver('slow');
    const dead = `http://127.0.0.1:${await freePort()}`;
    const notify = `notify:
  slack: { webhookEnv: T_SLACK }
  telegram: { botTokenEnv: T_TG_TOKEN, chatId: 42 }
  webhooks:
    - { name: good, urlEnv: T_GOOD }
    - { name: dead, urlEnv: T_DEAD }
    - { name: slow, urlEnv: T_SLOW }`;
    await using h = await startRuntime(BASE_SPEC({ notify }), {
      T_SLACK: `${good.url}/slack`,
      T_TG_TOKEN: '123:abc',
      SLIPWAY_TELEGRAM_API: `${good.url}/tg`,
      T_GOOD: `${good.url}/hook`,
      T_DEAD: dead,
      T_SLOW: slow.url,
    });
    try {
      const first = await h.controller.wait(
        (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'alice')).release.id,
      );
      assert.equal(first.state.status, 'succeeded');
      const loads = [...h.runtime.localTargets.values()].map((t) =>
        new LoadGenerator({ url: `${t.endpoint('web')}/`, rps: 80, durationMs: 120_000 }).start(),
      );
      const view = await h.controller.wait(
        (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'alice')).release.id,
      );
      const reports = await Promise.all(loads.map((l) => l.stop()));
      assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
      assert.deepEqual(await stableVersions(h.runtime), { east: 'v2', stg: 'v2', west: 'v2' });
      assert.equal(
        reports.reduce((a, r) => a + r.failed, 0),
        0,
        JSON.stringify(reports.map((r) => r.byStatus)),
      );
      assert.ok(reports.every((r) => r.requests > 100));
      assert.equal(await h.runtime.store.verifyChain(view.release.id), undefined);
      // Each message once per channel, even though one receiver is dead and one never answers.
      await eventually(
        () => good.received.filter((r) => r.path === '/hook').length >= 4,
        10_000,
        'webhook messages',
      );
      const hookKeys = good.received.filter((r) => r.path === '/hook').map((r) => r.key);
      assert.equal(new Set(hookKeys).size, hookKeys.length, 'a message was delivered twice');
      assert.ok(hookKeys.includes(`${view.release.id}/release-succeeded`));
      const slack = good.received.find(
        (r) => r.path === '/slack' && r.key === `${view.release.id}/release-succeeded`,
      );
      assert.match(String(slack?.body['text']), /succeeded/);
      const tg = good.received.find((r) => r.path === '/tg/bot123:abc/sendMessage');
      assert.equal(tg?.body['chat_id'], 42);
      assert.ok(slow.received.length > 0, 'the slow receiver got messages it never answered');
    } finally {
      good.close();
      slow.close();
    }
  });

  it('a failed gate in the second production wave rolls back every touched cluster, in reverse order', async () => {
    const failOnWest = `checks:
  smoke: { http: { path: /health, expect: 200 } }
  not-west: { command: { run: 'test "$SLIPWAY_CLUSTER" != west' } }`;
    const spec = BASE_SPEC({ steps: '[{ weight: 50 }, { check: not-west }]' }).replace(
      'checks:\n  smoke: { http: { path: /health, expect: 200 } }',
      failOnWest,
    );
    await using h = await startRuntime(spec);
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'bob')).release.id,
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'bob')).release.id,
    );
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /not-west: exit code 1/);
    assert.deepEqual(await stableVersions(h.runtime), { east: 'v1', stg: 'v1', west: 'v1' });
    for (const [cluster, target] of h.runtime.localTargets) {
      const s = await target.observe({ service: 'web', cluster });
      assert.deepEqual(s.groups.find((g) => g.group === 'stable')?.versions, ['v1'], cluster);
      assert.equal(s.groups.find((g) => g.group === 'canary')?.replicas.length, 0, cluster);
      assert.deepEqual(s.weights, { stable: 100 }, cluster);
    }
    const order = (await h.runtime.store.events(view.release.id)).flatMap((e) =>
      e.type === EventType.rollbackStepCompleted && e.payload.step.endsWith('2-stable')
        ? [e.payload.step.split('/')[2]]
        : [],
    );
    assert.deepEqual(order, ['west', 'east', 'stg']);
  });

  it('waits for approval, records the approver, and rolls back on abort', async () => {
    await using h = await startRuntime(BASE_SPEC({ approval: 'approval: { required: true, approvals: 2 }' }));
    // The first deployment also waits at production's gate.
    let first = (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'carol'))
      .release;
    await eventually(
      async () => (await h.controller.get(first.id)).state.status === 'waiting-approval',
      60_000,
      'the approval gate',
    );
    await h.controller.approve(first.id, 'dave');
    await assert.rejects(h.controller.approve('r-missing', 'dave'), /no release r-missing/);
    assert.equal(
      (await h.controller.get(first.id)).state.status,
      'waiting-approval',
      'two approvals are needed',
    );
    await h.controller.approve(first.id, 'erin');
    let view = await h.controller.wait(first.id);
    assert.equal(view.state.status, 'succeeded');
    assert.deepEqual([...(view.state.approvals.get('production') ?? [])].sort(), ['dave', 'erin']);

    const second = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'carol'))
      .release.id;
    await eventually(
      async () => (await h.controller.get(second)).state.status === 'waiting-approval',
      60_000,
      'the approval gate',
    );
    await h.controller.abort(second, 'frank', 'wrong version');
    view = await h.controller.wait(second);
    assert.equal(view.state.status, 'rolled-back');
    assert.equal(view.state.abort?.by, 'frank');
    assert.deepEqual(await stableVersions(h.runtime), { east: 'v1', stg: 'v1', west: 'v1' });
    const [latest] = await h.controller.list();
    assert.equal(latest?.status, 'rolled-back');
    first = latest!;
  });

  it('an approval that does not come within approval.timeout fails the gate and rolls back', async () => {
    await using h = await startRuntime(
      BASE_SPEC({ approval: 'approval: { required: true, role: release-manager, timeout: 1s }' }),
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'carol')).release.id,
    );
    assert.equal(view.state.status, 'rolled-back');
    assert.match(
      view.state.failure?.reason ?? '',
      /0 of 1 approval\(s\) by release-manager within 1 s: the approval timed out/,
    );
    assert.match(
      view.plan.steps.find((s) => s.kind === 'approval')?.title ?? '',
      /approval for production by release-manager, within 1s or the release stops/,
    );
  });

  it('rolls a service back to its previous version on request, as a release of its own', async () => {
    await using h = await startRuntime(BASE_SPEC());
    for (const version of ['v1', 'v2']) {
      const v = await h.controller.wait(
        (await h.controller.release({ changes: [{ service: 'web', version }] }, 'gina')).release.id,
      );
      assert.equal(v.state.status, 'succeeded');
    }
    const rollback = await h.controller.wait(
      (await h.controller.rollback({ service: 'web' }, 'gina')).release.id,
    );
    assert.equal(rollback.release.kind, 'rollback');
    assert.equal(rollback.state.status, 'succeeded');
    assert.deepEqual(await stableVersions(h.runtime), { east: 'v1', stg: 'v1', west: 'v1' });
  });

  it('a version whose replicas crash fails its gate and is rolled back', async () => {
    await using h = await startRuntime(
      BASE_SPEC().replace(
        'bad: { env: { DEMO_ERROR_RATE: "1" } }',
        'bad: { env: { NODE_OPTIONS: "--require ./no-such-module.cjs" } }',
      ),
    );
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'hal')).release.id,
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'bad' }] }, 'hal')).release.id,
    );
    assert.equal(view.state.status, 'rolled-back');
    assert.match(
      view.state.failure?.reason ?? '',
      /never became ready: 3 replicas exited at start \(exit code 1: .*Cannot find module/,
    );
    assert.deepEqual(await stableVersions(h.runtime), { east: 'v1', stg: 'v1', west: 'v1' });
  });

  it('an inconclusive analysis with onInconclusive: pause waits for a person, then continues on promote', async () => {
    await using h = await startRuntime(
      BASE_SPEC({ analysis: 'onInconclusive: pause' }).replace('minSample: 0', 'minSample: 1000'),
    );
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'max')).release.id,
    );
    const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'max')).release
      .id;
    await eventually(
      async () => (await h.controller.get(id)).state.status === 'paused',
      60_000,
      'the pause for a person',
    );
    await h.controller.promote(id, 'nora');
    await eventually(
      async () =>
        ['paused', 'succeeded'].includes((await h.controller.get(id)).state.status) &&
        (await h.controller.get(id)).state.steps.get('staging/stg/web/03-analysis')?.completedAt !==
          undefined,
      60_000,
      'the step to continue',
    );
    const analysis = (await h.controller.get(id)).state.steps.get('staging/stg/web/03-analysis');
    assert.match(analysis?.evidence?.summary ?? '', /continued by nora/);
    // Each later analysis is inconclusive too and waits again; abort rolls the release back.
    await eventually(
      async () => (await h.controller.get(id)).state.status === 'paused',
      60_000,
      'the next pause',
    );
    await h.controller.abort(id, 'nora', 'enough');
    assert.equal((await h.controller.wait(id)).state.status, 'rolled-back');
  });

  it('a promote answers exactly the gate waiting now: refused between gates, never carried to a later pause', async () => {
    const steps =
      '[{ weight: 50 }, { analysis: quick, for: 1s }, { pause: 3s }, { pause: { untilPromoted: true } }]';
    await using h = await startRuntime(
      BASE_SPEC({ analysis: 'onInconclusive: pause', steps }).replace('minSample: 0', 'minSample: 1000'),
    );
    const c = h.controller;
    await c.wait(
      (await c.release({ changes: [{ service: 'web', version: 'v1' }], environments: ['staging'] }, 'max'))
        .release.id,
    );
    const id = (
      await c.release({ changes: [{ service: 'web', version: 'v2' }], environments: ['staging'] }, 'max')
    ).release.id;
    const at = async (step: string, status: string) => {
      const s = (await c.get(id)).state;
      return s.current === `staging/stg/web/${step}` && s.status === status;
    };
    await eventually(() => at('03-analysis', 'paused'), 60_000, 'the inconclusive analysis to wait');
    await c.promote(id, 'nora');
    await eventually(() => at('04-pause', 'running'), 60_000, 'the timed pause');
    await assert.rejects(
      c.promote(id, 'nora'),
      /RELEASE_NOT_WAITING|not waiting for a promotion: it is running at staging\/stg\/web\/04-pause/,
    );
    await eventually(() => at('05-pause', 'paused'), 60_000, 'the manual pause');
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(await at('05-pause', 'paused'), 'the earlier promote did not pass the manual pause');
    await c.promote(id, 'ivo');
    const done = await c.wait(id);
    assert.equal(done.state.status, 'succeeded');
    assert.match(
      done.state.steps.get('staging/stg/web/05-pause')?.evidence?.summary ?? '',
      /promoted by ivo/,
    );
  });
});
