/** Blue-green, rolling, and a canary with a promotion pause and an A/B step, on real processes. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EventType } from '../../src/engine/events.js';
import { eventually } from '../local/local-harness.js';
import { BASE_SPEC, startRuntime } from './engine-harness.js';

const served = async (endpoint: string, headers: Record<string, string> = {}) =>
  (await fetch(`${endpoint}/`, { headers })).headers.get('x-served-by')?.split('@')[1]?.split('/')[0];

/** The spec with one staging cluster and no production. */
const stagingOnly = (spec: string) =>
  spec.replace(
    /environments:[\s\S]*?services:/,
    'environments:\n  staging:\n    clusters: { stg: { local: {} } }\nservices:',
  );

/** The base spec with web released blue-green, its preview checked, and these more policy lines. */
const blueGreenSpec = (policy: string) =>
  BASE_SPEC().replace(
    /release:\n {6}strategy: canary\n {6}steps: .*\n/,
    `release:\n      strategy: blue-green\n      previewChecks: [smoke]\n${policy}`,
  );

/** web@v1 released, then web@v2 released to its end. */
async function v1ThenV2(h: Awaited<ReturnType<typeof startRuntime>>) {
  await h.controller.wait(
    (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ivy')).release.id,
  );
  return h.controller.wait(
    (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy')).release.id,
  );
}

/**
 * One staging cluster running web@v1, and web@v2 released with these canary steps, paused at its
 * `pause: { untilPromoted: true }`: the runtime (disposable), the release and the router's address.
 */
async function pausedCanary(steps: string, policy = '') {
  const h = await startRuntime(stagingOnly(BASE_SPEC({ steps: `${steps}${policy}` })));
  await h.controller.wait(
    (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'kim')).release.id,
  );
  const id = (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'kim')).release.id;
  await eventually(async () => (await h.controller.get(id)).state.status === 'paused', 60_000, 'the pause');
  return Object.assign(h, { id, endpoint: h.runtime.localTargets.get('stg')!.endpoint('web') });
}

describe('strategies', { timeout: 300_000 }, () => {
  it('blue-green: preview checked, traffic switched, old stack scaled down after the delay', async () => {
    await using h = await startRuntime(blueGreenSpec('      scaleDownDelay: 1s\n'));
    const view = await v1ThenV2(h);
    assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
    const kinds = view.plan.steps
      .filter((s) => s.cluster === 'east' && s.kind !== 'preflight')
      .map((s) => s.kind);
    assert.deepEqual(kinds, [
      'ensure-replicas',
      'check',
      'set-weights',
      'pause',
      'promote',
      'record-version',
    ]);
    for (const [cluster, target] of h.runtime.localTargets) {
      const s = await target.observe({ service: 'web', cluster });
      assert.deepEqual(s.groups.find((g) => g.group === 'stable')?.versions, ['v2']);
      assert.equal(s.groups.find((g) => g.group === 'preview')?.replicas.length, 0);
      assert.equal(await served(target.endpoint('web')), 'v2');
    }
  });

  it('release.preflight.checks run once before anything changes; a failing one changes nothing', async () => {
    // Check commands get an allow-listed environment, so the test fails them through a file.
    const marker = join(mkdtempSync(join(tmpdir(), 'slipway-preflight-')), 'tests-fail');
    const spec = `${BASE_SPEC()}release:\n  preflight: { checks: [tests] }\n`.replace(
      'checks:\n',
      `checks:\n  tests: { command: { run: 'test ! -e ${marker}', timeout: 10s } }\n`,
    );
    await using h = await startRuntime(spec);
    const first = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ivy')).release.id,
    );
    assert.equal(first.state.status, 'succeeded', first.state.failure?.reason);
    const checks = first.plan.steps.filter((s) => s.id.startsWith('preflight/check-'));
    assert.deepEqual(
      checks.map((s) => s.title),
      ['check tests before anything changes'],
    );
    assert.ok(first.plan.steps.indexOf(checks[0]!) < first.plan.steps.findIndex((s) => s.kind === 'backup'));
    assert.ok(first.state.steps.get('preflight/check-tests')?.completedAt, 'it ran');

    writeFileSync(marker, '');
    {
      const failed = await h.controller.wait(
        (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy')).release.id,
      );
      assert.notEqual(failed.state.status, 'succeeded');
      assert.match(failed.state.failure?.reason ?? '', /tests/);
      const stg = h.runtime.localTargets.get('stg')!;
      assert.equal(await served(stg.endpoint('web')), 'v1', 'nothing changed');
      assert.equal(failed.state.steps.get('staging/stg/web/01-ensure')?.startedAt, undefined);
    }
  });

  it('blue-green: a failed preview check switches nothing and rolls back', async () => {
    const spec = BASE_SPEC()
      .replace(
        /release:\n {6}strategy: canary\n {6}steps: .*\n/,
        'release:\n      strategy: blue-green\n      previewChecks: [missing-page]\n',
      )
      .replace('checks:\n', 'checks:\n  missing-page: { http: { path: /health, expect: 204 } }\n');
    await using h = await startRuntime(spec);
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'ivy')).release.id,
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'ivy')).release.id,
    );
    assert.equal(view.state.status, 'rolled-back');
    assert.match(view.state.failure?.reason ?? '', /→ 200 \(expected 204\)/);
    const stg = h.runtime.localTargets.get('stg')!;
    assert.equal(await served(stg.endpoint('web')), 'v1');
    assert.equal(
      (await stg.observe({ service: 'web', cluster: 'stg' })).groups.find((g) => g.group === 'preview')
        ?.replicas.length,
      0,
    );
  });

  it('rolling: replicas replaced in place, then checks', async () => {
    const spec = BASE_SPEC().replace(
      /release:\n {6}strategy: canary\n {6}steps: .*\n/,
      'release:\n      strategy: rolling\n      maxSurge: 1\n      maxUnavailable: 0\n      checks: [smoke]\n',
    );
    await using h = await startRuntime(spec);
    await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v1' }] }, 'jo')).release.id,
    );
    const view = await h.controller.wait(
      (await h.controller.release({ changes: [{ service: 'web', version: 'v2' }] }, 'jo')).release.id,
    );
    assert.equal(view.state.status, 'succeeded');
    assert.deepEqual(
      view.plan.steps.filter((s) => s.cluster === 'west' && s.kind !== 'preflight').map((s) => s.kind),
      ['ensure-replicas', 'check', 'record-version'],
    );
  });

  it('canary: an A/B step routes matching requests, and a pause waits for `promote`', async () => {
    const steps =
      "[{ weight: 0 }, { match: { headers: { x-beta: 'on' } } }, { pause: { untilPromoted: true } }, { weight: 100 }]";
    await using h = await pausedCanary(steps);
    const { id, endpoint } = h;
    for (let i = 0; i < 10; i++) {
      assert.equal(await served(endpoint), 'v1');
      assert.equal(await served(endpoint, { 'x-beta': 'on' }), 'v2');
    }
    await h.controller.promote(id, 'kim');
    const view = await h.controller.wait(id);
    assert.equal(view.state.status, 'succeeded');
    assert.equal(await served(endpoint), 'v2');
  });

  it("autoPromote as a duration (Argo's autoPromotionSeconds): on by itself when nobody promotes, at once when somebody does", async () => {
    // Blue-green, staging only: the checked preview waits 1 s for a promote that does not come, then is switched.
    await using h = await startRuntime(stagingOnly(blueGreenSpec('      autoPromote: 1s\n')));
    const view = await v1ThenV2(h);
    assert.equal(view.state.status, 'succeeded', view.state.failure?.reason);
    const hold = view.plan.steps.find((s) => s.kind === 'pause' && s.untilPromoted)!;
    assert.match(hold.title, /at most 1s: then on by itself/);
    const events = await h.runtime.store.events(view.release.id);
    assert.ok(
      events.some(
        (e) =>
          e.type === EventType.stepStarted &&
          e.payload['step'] === hold.id &&
          e.payload['waiting'] === 'promotion',
      ),
      'it waited for a promote',
    );
    assert.match(
      view.state.steps.get(hold.id)?.evidence?.summary ?? '',
      /promoted automatically: nobody promoted or aborted within 1 s/,
    );
    assert.equal(await served(h.runtime.localTargets.get('stg')!.endpoint('web')), 'v2');

    // A canary whose hold would last 10 min: the person's promote ends it.
    await using c = await pausedCanary('[{ weight: 50 }]', '\n      autoPromote: 10m');
    await c.controller.promote(c.id, 'kim');
    const promoted = await c.controller.wait(c.id);
    assert.equal(promoted.state.status, 'succeeded');
    const held = promoted.plan.steps.find((s) => s.kind === 'pause' && s.untilPromoted)!;
    assert.equal(promoted.state.steps.get(held.id)?.evidence?.summary, 'promoted by kim');
  });

  it('canary: A/B header rules by prefix and by regular expression, as well as exact', async () => {
    const steps =
      "[{ weight: 0 }, { match: { headers: { x-user: { prefix: 'beta-' }, x-build: { regex: '^2[0-9]{3}$' } } } }, { pause: { untilPromoted: true } }, { weight: 100 }]";
    await using h = await pausedCanary(steps);
    const { id, endpoint } = h;
    // Both headers must match: the prefix and the expression.
    assert.equal(await served(endpoint, { 'x-user': 'beta-ann', 'x-build': '2031' }), 'v2');
    assert.equal(await served(endpoint, { 'x-user': 'beta-ann', 'x-build': '1999' }), 'v1');
    assert.equal(await served(endpoint, { 'x-user': 'ann-beta-', 'x-build': '2031' }), 'v1');
    assert.equal(await served(endpoint, { 'x-build': '2031' }), 'v1');
    await h.controller.abort(id, 'kim', 'done looking');
    assert.equal((await h.controller.wait(id)).state.status, 'rolled-back');
  });
});
